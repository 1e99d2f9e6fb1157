terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

resource "jira_user" "alice" {
  name  = "alice"
  email = "alice@example.com"
}

resource "jira_user" "bob" {
  name  = "bob"
  email = "bob@example.com"
}

resource "jira_group" "developers" {
  name = "gitlab-developers"
}

# Authoritative: users added to the group by hand are removed on the next apply. Do not
# also manage this group with jira_group_membership.
resource "jira_group_members" "developers" {
  group     = jira_group.developers.name
  usernames = [jira_user.alice.name, jira_user.bob.name]
}
