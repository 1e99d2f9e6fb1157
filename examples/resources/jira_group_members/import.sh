# The member list is imported by the group name.
terraform import jira_group_members.developers gitlab-developers
