terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

# Reads projects by key: here every project the account can see, so that this example
# also applies on a Jira without projects; to read one project, write its key:
#   data "jira_project" "gitlab" { key = "GL" }
data "jira_projects" "all" {}

data "jira_project" "each" {
  for_each = toset(data.jira_projects.all.keys)
  key      = each.value
}

output "permission_scheme_by_project" {
  value = { for key, project in data.jira_project.each : key => project.permission_scheme_id }
}
