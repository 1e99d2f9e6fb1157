# `terraform test` (Terraform 1.6+) for the GitLab integration, offline against the Jira
# emulator: apply the configuration, check its outputs and resources, read the objects back
# through the jira_user and jira_group data sources, and let `terraform test` destroy
# everything at the end.
#
#   build/bin/jira-emulator --listen 127.0.0.1:0 &
#   export JIRA_URL=http://127.0.0.1:<port> JIRA_USERNAME=admin JIRA_PASSWORD=admin
#   terraform init && terraform test
#
# The same pattern tests any Jira module without a Jira server.

variables {
  gitlab_username = "gitlab-test"
  gitlab_email    = "gitlab-test@example.com"
  gitlab_password = "Test-only-Passw0rd"
  group_name      = "gitlab-developers-test"
}

run "apply" {
  command = apply

  assert {
    condition     = output.username == "gitlab-test"
    error_message = "The username output must be the configured username."
  }

  assert {
    condition     = jira_user.gitlab.key != "" && jira_user.gitlab.id == jira_user.gitlab.key
    error_message = "jira_user.gitlab must be identified by its user key."
  }

  assert {
    condition     = jira_user.gitlab.active && jira_user.gitlab.display_name == "GitLab integration"
    error_message = "The user must be active, with the configured display name."
  }

  assert {
    condition     = jira_user.gitlab.application_keys == toset(["jira-software"])
    error_message = "The user must have access to Jira Software, or it sees no project."
  }

  assert {
    condition     = jira_user.gitlab.password_wo_version == 1
    error_message = "password_wo_version must default to 1."
  }

  assert {
    condition     = jira_group_membership.gitlab.id == "gitlab-developers-test/gitlab-test"
    error_message = "The membership id must be <group>/<username>."
  }

  assert {
    condition     = can(tonumber(output.permission_scheme_id))
    error_message = "The permission_scheme_id output must be the numeric scheme id."
  }

  assert {
    condition = anytrue([
      for g in jira_permission_scheme.gitlab.grant :
      g.permission == "ADMINISTER_PROJECTS" && g.holder_type == "group" && g.holder_parameter == "gitlab-developers-test"
    ])
    error_message = "The scheme must grant Administer Projects to the group."
  }
}

# What Jira now holds, read back through the provider's data sources.
run "read_back" {
  command = apply

  module {
    source = "./tests/verify"
  }

  variables {
    username = run.apply.username
    group    = "gitlab-developers-test"
  }

  assert {
    condition     = output.user_email == "gitlab-test@example.com" && output.user_active
    error_message = "The jira_user data source must find the active user with its e-mail address."
  }

  assert {
    condition     = contains(output.group_members, "gitlab-test")
    error_message = "The jira_group data source must list the user among the group's members."
  }
}
