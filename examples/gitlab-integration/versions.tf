terraform {
  required_version = ">= 1.11" # write-only attributes and ephemeral variables

  required_providers {
    jira = {
      source  = "tfjira/jira"
      version = "~> 0.1"
    }
  }
}

# The connection comes from the environment so that this walkthrough runs unchanged
# against a real Jira Server or against the bundled emulator:
#   JIRA_URL=http://127.0.0.1:<port>  JIRA_USERNAME=admin  JIRA_PASSWORD=admin
provider "jira" {}
