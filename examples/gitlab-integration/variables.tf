variable "gitlab_username" {
  description = "Username of the Jira account that GitLab's Jira integration signs in with."
  type        = string
  default     = "gitlab"
}

variable "gitlab_email" {
  description = "E-mail address of that account."
  type        = string
  default     = "gitlab@example.com"
}

variable "gitlab_password" {
  description = "Password of that account. GitLab's Jira integration uses HTTP basic auth (no SSO). Ephemeral: never saved in plan or state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "gitlab_password_version" {
  description = "Bump it (1, 2, ...) together with a new gitlab_password to rotate the password in place."
  type        = number
  default     = 1
}

variable "group_name" {
  description = "Group that holds the integration account and receives the project permissions."
  type        = string
  default     = "gitlab-developers"
}

variable "jira_project_keys" {
  description = "Keys of the Jira projects GitLab integrates with; each is put on the GitLab permission scheme."
  type        = list(string)
  default     = []
}
