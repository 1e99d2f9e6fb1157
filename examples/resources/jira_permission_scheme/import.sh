# A permission scheme is imported by its numeric id; its grants are read too.
terraform import jira_permission_scheme.gitlab 10100
