# An assignment is imported by the project key. The scheme the project used before is then
# unknown, so destroying it later puts the project on the Default Permission Scheme.
terraform import 'jira_project_permission_scheme.gitlab["GL"]' GL
