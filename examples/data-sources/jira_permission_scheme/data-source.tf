terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

# Reads a scheme by its name; its id is what `terraform import jira_permission_scheme` takes.
data "jira_permission_scheme" "default" {
  name = "Default Permission Scheme"
}

output "default_scheme_id" {
  value = data.jira_permission_scheme.default.id
}

output "default_scheme_grants" {
  value = data.jira_permission_scheme.default.grant
}
