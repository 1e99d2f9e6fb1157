# Look a user up by username ...
data "jira_user" "gitlab" {
  name = "gitlab"
}

# ... or by the immutable user key.
data "jira_user" "by_key" {
  key = "JIRAUSER10100"
}

output "gitlab_email" {
  value = data.jira_user.gitlab.email
}
