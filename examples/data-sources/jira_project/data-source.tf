data "jira_project" "gitlab" {
  key = "GL"
}

output "gitlab_project_scheme" {
  value = data.jira_project.gitlab.permission_scheme_id
}
