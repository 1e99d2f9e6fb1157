terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

resource "jira_user" "gitlab" {
  name  = "gitlab"
  email = "gitlab@example.com"
}

data "jira_permission_scheme" "default" {
  name = "Default Permission Scheme"
}

# One grant in a scheme Terraform does not otherwise manage. Never use it on a scheme that a
# jira_permission_scheme resource manages: that resource removes grants it does not list.
resource "jira_permission_scheme_grant" "gitlab_browse" {
  scheme_id        = data.jira_permission_scheme.default.id
  permission       = "BROWSE_PROJECTS"
  holder_type      = "user"
  holder_parameter = jira_user.gitlab.name # a username; stored in Jira as the user key
}
