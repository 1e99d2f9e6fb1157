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
  password     = var.gitlab_password # sensitive; Jira never returns it
}

variable "gitlab_password" {
  type      = string
  sensitive = true
}
