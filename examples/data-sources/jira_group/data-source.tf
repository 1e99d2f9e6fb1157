terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

# Reads a group that already exists; jira-administrators comes with every Jira Server and
# Data Center installation.
data "jira_group" "administrators" {
  name = "jira-administrators"
}

output "administrator_usernames" {
  value = data.jira_group.administrators.members
}
