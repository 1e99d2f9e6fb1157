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

  # Write-only (Terraform 1.11+): the password is sent to Jira but never stored in plan or
  # state. Terraform cannot compare write-only values, so to rotate the password, change
  # the variable and bump password_wo_version.
  password_wo         = var.gitlab_password
  password_wo_version = 1
}

variable "gitlab_password" {
  type      = string
  sensitive = true
  ephemeral = true # Terraform 1.10+: never saved in plan or state either
}
