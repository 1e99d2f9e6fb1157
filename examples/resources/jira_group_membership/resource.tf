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

# Adds the user to the group. Renaming the user later keeps this membership: Jira holds it
# by the user key.
resource "jira_group_membership" "gitlab" {
  group    = jira_group.developers.name
  username = jira_user.gitlab.name
}
