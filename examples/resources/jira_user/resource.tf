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

# Terraform 1.5+ can import with a block instead of the command line.
# The ID is the username or the user key.
import {
  to = jira_user.gitlab
  id = "gitlab"
}
