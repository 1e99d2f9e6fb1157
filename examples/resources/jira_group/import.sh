# A group is imported by its name (quote names that contain spaces).
terraform import jira_group.developers gitlab-developers
