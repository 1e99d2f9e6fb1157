resource "jira_group_membership" "gitlab" {
  group    = jira_group.developers.name
  username = jira_user.gitlab.name
}

# Terraform 1.5+: import by the composite ID "<group>/<username>" (see import.sh).
import {
  to = jira_group_membership.gitlab
  id = "gitlab-developers/gitlab"
}
