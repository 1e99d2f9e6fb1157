terraform {
  required_providers {
    jira = {
      source  = "tfjira/jira"
      version = "~> 0.1"
    }
  }
}

# Basic auth against Jira Server or Data Center. Every attribute can also come from the
# environment of the process that runs the provider (JIRA_URL, JIRA_USERNAME or JIRA_USER,
# JIRA_PASSWORD, JIRA_TOKEN, JIRA_CA_FILE, JIRA_INSECURE_SKIP_VERIFY, JIRA_REQUEST_TIMEOUT,
# JIRA_MAX_RETRIES); an attribute set here wins over the environment.
provider "jira" {
  url      = "https://jira.example.com/jira" # a context path is allowed
  username = "admin"
  password = var.jira_password

  request_timeout = "30s"
  max_retries     = 4
}

variable "jira_password" {
  type      = string
  sensitive = true
}

# Data Center personal access token instead of a password (sent as a Bearer token):
#
# provider "jira" {
#   url   = "https://jira.example.com"
#   token = var.jira_token
# }
