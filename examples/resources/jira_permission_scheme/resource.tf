resource "jira_permission_scheme" "gitlab" {
  name        = "GitLab integration"
  description = "Lets the GitLab integration administer projects."

  # Grants are a set: order never matters, and grants added in Jira by hand are removed
  # on the next apply.
  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "group"
    holder_parameter = "gitlab-developers"
  }

  grant {
    permission       = "BROWSE_PROJECTS"
    holder_type      = "user"
    holder_parameter = "gitlab" # a username; stored in Jira as the user key
  }

  grant {
    permission  = "BROWSE_PROJECTS"
    holder_type = "projectLead" # this holder type takes no parameter
  }
}

# Terraform 1.5+: import by the numeric scheme id.
import {
  to = jira_permission_scheme.gitlab
  id = "10100"
}
