# A membership is imported by "<group>/<username>". The username is everything after the
# last slash, so group names that contain slashes still import.
terraform import jira_group_membership.gitlab gitlab-developers/gitlab
