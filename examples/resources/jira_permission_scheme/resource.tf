terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

resource "jira_user" "gitlab" {
  name         = "gitlab"
  email        = "gitlab@example.com"
  display_name = "GitLab integration"
}

resource "jira_group" "developers" {
  name = "gitlab-developers"
}

resource "jira_permission_scheme" "gitlab" {
  name        = "GitLab integration"
  description = "Lets the GitLab integration administer projects."

  # Grants are a set: order never matters, and grants added in Jira by hand are removed
  # on the next apply.
  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "group"
    holder_parameter = jira_group.developers.name
  }

  grant {
    permission       = "BROWSE_PROJECTS"
    holder_type      = "user"
    holder_parameter = jira_user.gitlab.name # a username; Jira stores the user key
  }

  grant {
    permission  = "BROWSE_PROJECTS"
    holder_type = "projectLead" # this holder type takes no parameter
  }
}
