terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

# The provider reads its settings from JIRA_URL, JIRA_USERNAME and JIRA_PASSWORD (or
# JIRA_TOKEN) when no provider block sets them.

resource "jira_group" "developers" {
  name = "gitlab-developers"
}
