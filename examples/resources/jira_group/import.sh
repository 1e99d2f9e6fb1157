# Import adopts a group that already exists in YOUR Jira: replace "gitlab-developers" with the
# name of your own group, since Terraform manages (and may change or delete) whatever it
# imports. Group names are case-insensitive in Jira; the state takes Jira's spelling.
# Quote names that contain spaces.
terraform import jira_group.developers gitlab-developers
