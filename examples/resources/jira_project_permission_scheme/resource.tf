terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

resource "jira_permission_scheme" "gitlab" {
  name        = "GitLab integration"
  description = "Lets the GitLab integration administer projects."

  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "group"
    holder_parameter = "jira-administrators"
  }

  grant {
    permission       = "BROWSE_PROJECTS"
    holder_type      = "group"
    holder_parameter = "jira-administrators"
  }
}

# Every software project the provider's account can see (none on an empty Jira).
data "jira_projects" "software" {
  project_type_key = "software"
}

# Destroying an assignment puts the project back on the scheme it used before (or on the
# Default Permission Scheme when that one has been deleted since).
resource "jira_project_permission_scheme" "gitlab" {
  for_each = toset(data.jira_projects.software.keys)

  project_key = each.value
  scheme_id   = jira_permission_scheme.gitlab.id
}
