# Import adopts a membership that already exists in YOUR Jira: the id is
# "<group>/<username>" of your own group and user (replace "gitlab-developers/gitlab"),
# since Terraform manages (and may remove) whatever it imports. The username is everything
# after the last slash, so group names that contain slashes still import.
terraform import jira_group_membership.gitlab gitlab-developers/gitlab
