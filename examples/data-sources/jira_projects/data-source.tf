terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

data "jira_projects" "software" {
  project_type_key = "software"
}

output "software_project_keys" {
  value = data.jira_projects.software.keys
}
