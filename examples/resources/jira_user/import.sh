# Import adopts a user that already exists in YOUR Jira: replace "gitlab" (a username) or
# "JIRAUSER10100" (a user key, shown by the jira_user data source or
# GET /rest/api/2/user?username=NAME) with one of your own users, since Terraform manages
# (and may change or delete) whatever it imports. The password is not imported.
terraform import jira_user.gitlab gitlab
terraform import jira_user.gitlab JIRAUSER10100
