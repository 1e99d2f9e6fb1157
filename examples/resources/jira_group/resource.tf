resource "jira_group" "developers" {
  name = "gitlab-developers"
}

# Terraform 1.5+: import by the group name.
import {
  to = jira_group.developers
  id = "gitlab-developers"
}
