output "username" {
  description = "The username to enter in GitLab's Jira integration settings."
  value       = jira_user.gitlab.name
}

output "permission_scheme_id" {
  description = "Assign this scheme to the Jira projects that GitLab should administer."
  value       = jira_permission_scheme.gitlab.id
}

output "project_permission_schemes" {
  description = "The permission scheme id each listed project now uses."
  value       = { for key, a in jira_project_permission_scheme.gitlab : key => a.scheme_id }
}
