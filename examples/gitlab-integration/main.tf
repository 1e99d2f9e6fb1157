# GitLab's guide to a Jira Server user for the Jira integration, as configuration:
# 1. a user with a name, an e-mail address and a password, and (beyond the guide) access to
#    Jira Software, without which the user sees no project at all;
# 2. a group;
# 3. the user in the group;
# 4. a permission scheme;
# 5. granting Administer Projects to the group;
# 5b. (beyond the guide) assigning the scheme to the projects GitLab integrates with.

resource "jira_user" "gitlab" {
  name         = var.gitlab_username
  email        = var.gitlab_email
  display_name = "GitLab integration"

  # Write-only: sent to Jira, never stored in plan or state. To rotate, set a new
  # gitlab_password and bump gitlab_password_version (Terraform cannot compare write-only
  # values, so the version is what tells it to set the password again).
  password_wo         = var.gitlab_password
  password_wo_version = var.gitlab_password_version

  # Application access: a user without it cannot see any project, whatever the permission
  # scheme below grants, so GitLab's calls would find nothing. Said explicitly (rather than
  # left to Jira's "selected by default" applications) so that access removed in Jira by
  # hand is put back on the next apply. It takes one Jira Software licence seat.
  application_keys = ["jira-software"]
}

resource "jira_group" "gitlab_developers" {
  name = var.group_name
}

resource "jira_group_membership" "gitlab" {
  group    = jira_group.gitlab_developers.name
  username = jira_user.gitlab.name
}

resource "jira_permission_scheme" "gitlab" {
  name        = "GitLab integration"
  description = "Lets the GitLab integration account administer the projects that use this scheme."

  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "group"
    holder_parameter = jira_group.gitlab_developers.name
  }
}

# 5b. Put the projects GitLab integrates with on that scheme, so the integration account
# administers exactly those projects. Destroying puts each project back on its earlier scheme.
resource "jira_project_permission_scheme" "gitlab" {
  for_each = toset(var.jira_project_keys)

  project_key = each.value
  scheme_id   = jira_permission_scheme.gitlab.id
}

# 6. Hand the credentials to GitLab. With the GitLab provider configured as well, the
# project integration can take them straight from the resources above:
#
# resource "gitlab_project_integration_jira" "jira" {
#   project        = "my-group/my-project"
#   url            = "https://jira.example.com"
#   jira_auth_type = 0 # basic auth: GitLab's Jira integration does not support SSO
#   username       = jira_user.gitlab.name
#   password_wo    = var.gitlab_password # if your GitLab provider offers a write-only password
# }
