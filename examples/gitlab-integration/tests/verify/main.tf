# Helper module for gitlab_integration.tftest.hcl: reads what the configuration created
# through the jira_user and jira_group data sources.
terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

variable "username" {
  type = string
}

variable "group" {
  type = string
}

data "jira_user" "gitlab" {
  name = var.username
}

data "jira_group" "gitlab" {
  name = var.group
}

output "user_email" {
  value = data.jira_user.gitlab.email
}

output "user_active" {
  value = data.jira_user.gitlab.active
}

output "group_members" {
  value = data.jira_group.gitlab.members
}
