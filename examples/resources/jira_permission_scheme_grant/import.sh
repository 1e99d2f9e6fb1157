# A grant is imported by "<scheme_id>/<grant_id>".
terraform import jira_permission_scheme_grant.gitlab_browse 0/10203
