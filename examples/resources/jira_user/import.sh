# A user is imported by its username or by its immutable user key.
terraform import jira_user.gitlab gitlab
terraform import jira_user.gitlab JIRAUSER10100
