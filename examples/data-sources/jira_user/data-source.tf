terraform {
  required_providers {
    jira = {
      source = "tfjira/jira"
    }
  }
}

# Look a user up by username (replace "admin" with a user of your Jira) ...
data "jira_user" "admin" {
  name = "admin"
}

# ... or by the immutable user key, which is what `terraform import jira_user` also takes.
data "jira_user" "by_key" {
  key = data.jira_user.admin.key
}

output "admin_email" {
  value = data.jira_user.by_key.email
}
