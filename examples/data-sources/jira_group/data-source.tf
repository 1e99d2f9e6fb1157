data "jira_group" "developers" {
  name = "gitlab-developers"
}

output "developer_usernames" {
  value = data.jira_group.developers.members
}
