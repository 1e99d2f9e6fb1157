// jira_user: a Jira Server/Data Center user. The id is the immutable user key, so a rename
// is an in-place update; the password is write-only in Jira, so state keeps the configured
// value.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "provider/core/log.h"
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/fourplusone.h"
#include "resources/jira_access.h"
#include "resources/validators.h"
#include "provider/text/unicode.h"

namespace tfjira {
namespace {

const FieldMap kUserFields = {{"username", "name"},     {"email", "email"},
                              {"emailAddress", "email"}, {"fullname", "display_name"},
                              {"displayName", "display_name"}, {"password", "password"},
                              {"active", "active"}};

tf::Schema UserSchema() {
  tf::Schema s;
  s.block.description =
      "A Jira user. The id is the user **key**, which never changes, so renaming the user "
      "(changing `name`) is an in-place update. Users created before Jira 8.4 (or with legacy "
      "keys) have the lower-cased original username as key, which survives renames: a new "
      "user may then take a renamed user's old name. Import therefore looks the given id up "
      "as a **username** first and as a key only when no user has that name.";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "The user key (same as `key`)."));
  a.push_back(StableIdAttr("key", "The user key: immutable, survives renames (e.g. "
                                  "`JIRAUSER10100`)."));
  tf::Attribute name = RequiredAttr(
      "name", tf::Type::String(),
      "The username. Changing it renames the user in place. A difference in letter case "
      "alone is not a change, since Jira compares usernames case-insensitively.");
  name.semantic_equal = tf::CaseInsensitiveEquality();
  name.validators.push_back(tf::NonEmptyString());
  name.validators.push_back(TrimmedNameValidator());
  a.push_back(name);
  tf::Attribute email = RequiredAttr(
      "email", tf::Type::String(),
      "The e-mail address, compared ignoring letter case. Where Jira's *User email visibility* "
      "is `masked` (REST shows `bob at example dot com`) or `hidden` (REST leaves it out), the "
      "real address cannot be read: state keeps the configured value, and a change made in "
      "Jira (drift) cannot be detected. An import where addresses are masked keeps the masked "
      "form and plans clean against the configured address. An import where they are hidden "
      "reads an empty string, which cannot be compared: the first plan after it shows one "
      "in-place update that sets the configured address in Jira; after that, changes to "
      "`email` in the configuration are sent as usual.");
  email.validators.push_back(EmailValidator());
  email.semantic_equal = EmailEquality();
  a.push_back(email);
  tf::Attribute display = OptionalAttr("display_name", tf::Type::String(),
                                       "The full name shown in Jira. Defaults to `name`.");
  display.computed = true;
  a.push_back(display);
  tf::Attribute password = OptionalAttr(
      "password", tf::Type::String(),
      "The password, set on create and changed with `PUT /user/password` when it changes. "
      "Jira never returns it: state keeps the configured value, and an import leaves it null. "
      "When omitted, Jira generates a random password.");
  password.sensitive = true;
  a.push_back(password);
  tf::Attribute password_wo = OptionalAttr(
      "password_wo", tf::Type::String(),
      "The password, write-only (Terraform 1.11 and later): set on create, and set again "
      "whenever `password_wo_version` changes. It never reaches plan or state. Conflicts with "
      "`password`.");
  password_wo.sensitive = true;
  password_wo.write_only = true;
  a.push_back(password_wo);
  a.push_back(OptionalAttr(
      "password_wo_version", tf::Type::Number(),
      "Any value; changing it sets the password from `password_wo` again, in place. Terraform "
      "cannot compare write-only values, so this is how a rotation is requested."));
  tf::Attribute active = OptionalAttr(
      "active", tf::Type::Bool(),
      "Whether the user may log in. Default `true`. Jira before 8.3 cannot change it over "
      "REST: there, planning a change is an error. Users Jira refuses to delete (they "
      "reported or are assigned issues, or commented) can be deactivated instead.");
  active.computed = true;
  active.default_value = tf::Value::Bool(true);
  a.push_back(active);
  tf::Attribute notify = OptionalAttr(
      "notify", tf::Type::Bool(),
      "Send Jira's \"user created\" e-mail on create. Create-only: it is read only when the "
      "user is created, so changing it later plans no change. Default `false`.");
  notify.computed = true;
  notify.default_value = tf::Value::Bool(false);
  a.push_back(notify);
  tf::Attribute apps = OptionalAttr(
      "application_keys", tf::Type::Set(tf::Type::String()),
      "The applications the user has access to (Jira 7.0 and later), by key, e.g. "
      "`[\"jira-software\"]`. A user without application access holds no licence seat and "
      "cannot see any project, whatever the permission schemes grant. Sent as "
      "`applicationKeys` on create and changed in place afterwards (`POST` and `DELETE "
      "/rest/api/2/user/application`); access given or taken in Jira by hand is put back on "
      "the next apply. Access is read with `expand=applicationRoles`, and Jira counts a user "
      "as having an application while they are in one of its groups. When omitted, Jira "
      "grants the applications marked *selected by default*, and this attribute shows what "
      "it gave without ever planning a change. When an application has no licence seat left, "
      "the error names it on this attribute.");
  apps.computed = true;
  apps.validators.push_back([](const tf::Value& v, const tf::Path& path, tf::Diagnostics& d) {
    if (!v.is_known()) return;
    for (const auto& item : v.items()) {
      if (item.is_known() && !IsTrimmedName(item.as_string())) {
        d.AddAttributeError(path, "Invalid application key",
                            "Application keys such as \"jira-software\" are never blank and "
                            "have no surrounding spaces; got \"" + item.as_string() + "\".");
      }
    }
  });
  a.push_back(apps);
  return s;
}

// Keeps the reference spelling when Jira's differs only in letter case.
tf::Value SameOrJira(const tf::Value& reference, const std::string& jira_value) {
  if (reference.is_known() && text::EqualsIgnoreCase(reference.as_string(), jira_value)) {
    return reference;
  }
  return tf::Value::String(jira_value);
}

// The e-mail for state: Jira's when it shows one, otherwise (masked or hidden) the
// reference's, so an apply never reports an inconsistent result and a plan never shows a
// change Jira made invisible. With no reference (an import), whatever Jira shows.
tf::Value EmailFromJira(const tf::Value& reference, const std::string& jira_email) {
  if (!jira::EmailShown(jira_email) && reference.is_known()) return reference;
  return SameOrJira(reference, jira_email);
}

// Whether `found` may be the user a create asked for (an answer lost on the way): same name
// (Jira looked it up), same display name, and the e-mail as far as Jira lets us see it.
bool LooksLikeRequested(const jira::User& found, const jira::NewUser& requested) {
  if (found.display_name != requested.display_name) return false;
  if (jira::EmailShown(found.email)) return text::EqualsIgnoreCase(found.email, requested.email);
  return found.email.empty() ||
         text::EqualsIgnoreCase(found.email, jira::MaskedEmail(requested.email));
}

const tf::Path kActive = tf::Path().AtName("active");

std::string ActiveUnsupported(const jira::ServerInfo& server) {
  return "Jira " + VersionText(server) + " cannot activate or deactivate users over its REST "
         "API (supported from Jira 8.3). Change it in Jira's user management, or leave "
         "`active` as it is in Jira.";
}

// Whether the plan (create or update) asks Jira to change `active`. A create with the
// default (true) does not: Jira creates active users.
bool ChangesActive(const tf::Value& plan, const tf::Value& prior) {
  const tf::Value& want = plan.attr("active");
  if (!want.is_known()) return false;
  if (prior.is_null()) return !want.as_bool();
  return want != prior.attr("active");
}

const tf::Path kApplicationKeys = tf::Path().AtName("application_keys");

// Application access (applicationKeys, expand=applicationRoles, /user/application) exists
// from Jira 7.0, which replaced the global USE permission with it (Jira 7.0 REST reference;
// /user/application is marked experimental there).
// [Inferred] A user "has" an application while Jira lists it under applicationRoles, which
// Jira derives from membership of the application's groups: removing the access removes the
// user from the application's default group, and a membership managed elsewhere (for
// example jira_group_membership in jira-software-users) gives the access back.
bool SupportsApplicationAccess(const jira::ServerInfo& server) {
  return VersionAtLeast(server.version_numbers, 7, 0);
}

std::vector<std::string> StringSet(const tf::Value& set) {
  std::vector<std::string> out;
  if (!set.is_known() || set.is_null()) return out;
  for (const auto& item : set.items()) {
    if (item.is_known()) out.push_back(item.as_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

tf::Value StringSetValue(const std::vector<std::string>& items) {
  std::vector<tf::Value> values;
  for (const auto& s : items) values.push_back(tf::Value::String(s));
  return tf::Value::Set(tf::Type::String(), std::move(values));
}

std::string Quoted(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "\"" : ", \"") + s + "\"";
  return out.empty() ? "none" : out;
}

class UserResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "jira_user"; }
  tf::Schema GetSchema() const override { return UserSchema(); }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void ValidateConfig(const tf::ValidateResourceRequest& req,
                      tf::ValidateResourceResponse& resp) override {
    if (!req.config.attr("password").is_null() && !req.config.attr("password_wo").is_null()) {
      resp.diagnostics.AddAttributeError(
          tf::Path().AtName("password_wo"), "Conflicting password attributes",
          "Set either password or password_wo, not both. password_wo keeps the password out of "
          "plan and state (Terraform 1.11 and later).");
    }
  }

  // fourplusone/jira's jira_user: id is the user key; name, email and display_name match.
  void MoveState(const tf::MoveStateRequest& req, tf::MoveStateResponse& resp) override {
    if (!IsFourplusoneSource(req, "jira_user")) return;
    resp.accepted = true;
    resp.state = FromForeignState(req.decoded);
  }
  void CompleteState(const tf::UpgradeStateRequest& req, tf::UpgradeStateResponse& resp) override {
    resp.state = FromForeignState(req.decoded);
  }

  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    if (req.proposed_new_state.is_null()) return;  // destroy
    tf::Value plan = resp.planned_state.is_null() ? req.proposed_new_state : resp.planned_state;
    const tf::Value& prior = req.prior_state;
    if (req.config.attr("display_name").is_null()) {
      // Not configured: defaults to the name on create, and follows a rename when it was
      // still the default; otherwise whatever Jira has stays.
      tf::Value display = plan.attr("name");
      if (!prior.is_null()) {
        bool renamed = plan.attr("name") != prior.attr("name");
        bool was_default = prior.attr("display_name") == prior.attr("name");
        if (!(renamed && was_default)) display = prior.attr("display_name");
      }
      plan = plan.WithAttr("display_name", display);
    }
    if (!prior.is_null()) {
      plan = plan.WithAttr("id", prior.attr("id")).WithAttr("key", prior.attr("key"));
      // notify matters only on create: keeping the prior value (which Terraform accepts in
      // place of the configured one) plans no update that would do nothing.
      if (!prior.attr("notify").is_null() || req.config.attr("notify").is_null()) {
        plan = plan.WithAttr("notify", prior.attr("notify"));
      }
    }
    if (req.config.attr("application_keys").is_null()) {
      // Not configured: whatever Jira grants by default on create, and never a change after.
      plan = plan.WithAttr("application_keys",
                           prior.is_null() ? tf::Value::Unknown(tf::Type::Set(tf::Type::String()))
                                           : prior.attr("application_keys"));
    }
    if (const jira::ServerInfo* server = jira_.Server();
        server && !SupportsActiveOverRest(*server) && ChangesActive(plan, prior)) {
      resp.diagnostics.AddAttributeError(kActive, "Cannot change active on this Jira",
                                         ActiveUnsupported(*server));
    }
    if (prior.is_null() || plan.attr("application_keys") != prior.attr("application_keys")) {
      CheckApplicationKeys(req.config.attr("application_keys"), req.cancel, resp.diagnostics);
    }
    resp.planned_state = plan;
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& plan = req.planned_state;
    jira::NewUser nu;
    nu.name = tf::GetString(plan, "name").value_or("");
    nu.email = tf::GetString(plan, "email").value_or("");
    nu.display_name = tf::GetString(plan, "display_name").value_or(nu.name);
    nu.password = tf::GetString(plan, "password");
    if (!nu.password) nu.password = tf::GetString(req.config, "password_wo");  // write-only
    if (nu.password) tf::log::RegisterSecret(*nu.password);  // never in a log line
    nu.notify = tf::GetBool(plan, "notify").value_or(false);
    const tf::Value& apps = plan.attr("application_keys");
    if (apps.is_known() && !apps.is_null()) nu.application_keys = StringSet(apps);

    auto created = client->CreateUser(nu);
    std::optional<jira::User> user;
    if (created.ok()) {
      user = created.value();
    } else if (MayHaveBeenApplied(created.error())) {
      // The request may have reached Jira with its answer lost: adopt the user only if it
      // is the one we asked for, so a retry never duplicates and nothing is orphaned.
      auto found = client->GetUserByName(nu.name);
      if (found.ok() && LooksLikeRequested(found.value(), nu)) {
        tf::log::Info("adopting user created by a request whose answer was lost",
                      {{"name", nu.name}});
        user = found.value();
      }
    }
    if (!user) {
      const jira::Error& e = created.error();
      // Jira refuses a duplicate with 400 in the account's language: ask Jira whether a
      // user of that name exists rather than reading the message. One error for one problem.
      if (e.http_status == 400 && client->GetUserByName(nu.name).ok()) {
        std::string said = e.Message();
        if (!said.ends_with('.')) said += '.';
        diags.AddAttributeError(tf::Path().AtName("name"), "Jira user already exists",
                                said + " To manage the existing user, import it: "
                                "terraform import <address> " + nu.name);
      } else if (e.http_status == 400 && nu.application_keys &&
                 ReportFullApplications(*client, *nu.application_keys, nu.name, e, diags)) {
        // the seat-limit error is on application_keys
      } else {
        AddJiraError(diags, "Cannot create Jira user \"" + nu.name + "\"", e, kUserFields);
      }
      resp.state = tf::Value::Null(plan.type());
      return;
    }
    // The create answer lists no applications: read them (what Jira granted by default).
    if (auto with_apps = client->GetUserWithApplications(user->key); with_apps.ok()) {
      user = with_apps.value();
    }
    resp.state = StateFrom(*user, plan);
    bool want_active = tf::GetBool(plan, "active").value_or(true);
    if (user->active != want_active) {
      if (const jira::ServerInfo* server = jira_.Server();
          server && !SupportsActiveOverRest(*server)) {
        diags.AddAttributeError(kActive, "Created Jira user \"" + nu.name +
                                             "\" but could not set active",
                                ActiveUnsupported(*server));
        return;
      }
      jira::UserChanges changes;
      changes.active = want_active;
      auto updated = client->UpdateUser(user->key, changes);
      if (!updated.ok()) {
        AddJiraError(diags, "Created Jira user \"" + nu.name + "\" but could not set active",
                     updated.error(), kUserFields);
        Reread(*client, user->key, plan, resp.state);
        return;
      }
      resp.state = StateFrom(WithApplicationsOf(*user, updated.value()), plan);
    }
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& state = req.current_state;
    std::string id = tf::GetString(state, "id").value_or("");
    // An import (no name in state yet) means the user NAMED id; the key is the fallback.
    // Keys of users created before Jira 8.4 are lower-cased original names that survive
    // renames, so a key lookup first could pick a renamed user instead of the named one.
    const bool importing = state.attr("name").is_null();
    auto user = importing ? client->GetUserByName(id) : client->GetUserWithApplications(id);
    if (importing && !user.ok() && user.error().kind == jira::ErrorKind::kNotFound) {
      user = client->GetUserWithApplications(id);
    } else if (importing && user.ok()) {
      user = client->GetUserWithApplications(user->key);
    }
    if (!user.ok()) {
      if (user.error().kind == jira::ErrorKind::kNotFound) {
        resp.state = tf::Value::Null(state.type());
        return;
      }
      AddJiraError(diags, "Cannot read Jira user \"" + id + "\"", user.error());
      return;
    }
    resp.state = StateFrom(user.value(), state);
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& plan = req.planned_state;
    const tf::Value& prior = req.prior_state;
    std::string key = tf::GetString(prior, "key").value_or("");

    jira::UserChanges changes;
    bool any = false;
    auto changed = [&](const char* attr) { return plan.attr(attr) != prior.attr(attr); };
    if (changed("name")) { changes.name = tf::GetString(plan, "name"); any = true; }
    if (changed("email")) { changes.email = tf::GetString(plan, "email"); any = true; }
    if (changed("display_name") && plan.attr("display_name").is_known()) {
      changes.display_name = tf::GetString(plan, "display_name");
      any = true;
    }
    if (changed("active")) {
      if (const jira::ServerInfo* server = jira_.Server();
          server && !SupportsActiveOverRest(*server)) {
        diags.AddAttributeError(kActive, "Cannot change active on this Jira",
                                ActiveUnsupported(*server));
        resp.state = prior;
        return;
      }
      changes.active = tf::GetBool(plan, "active");
      any = true;
    }
    // Until every step succeeds, state describes Jira with the prior password.
    tf::Value reference = plan.WithAttr("password", prior.attr("password"))
                              .WithAttr("password_wo_version", prior.attr("password_wo_version"));
    if (any) {
      auto updated = client->UpdateUser(key, changes);
      if (!updated.ok()) {
        AddJiraError(diags, "Cannot update Jira user \"" + key + "\"", updated.error(),
                     kUserFields);
        resp.state = prior;
        Reread(*client, key, reference, resp.state);
        return;
      }
      resp.state = StateFrom(updated.value(), reference);
    } else {
      resp.state = reference;
    }
    if (!UpdateApplications(*client, key, plan, prior, reference, resp.state, diags)) return;
    const tf::Value& password = plan.attr("password");
    if (changed("password") && password.is_known()) {
      tf::log::RegisterSecret(password.as_string());
      auto set = client->SetPassword(key, password.as_string());
      if (!set.ok()) {
        AddJiraError(diags, "Cannot change the password of Jira user \"" + key + "\"",
                     set.error(), kUserFields);
        return;  // state keeps the prior password
      }
    }
    resp.state = resp.state.WithAttr("password", password);
    // The write-only password is only in the config; a new version sets it again.
    const tf::Value& password_wo = req.config.attr("password_wo");
    if (changed("password_wo_version") && password_wo.is_known()) {
      tf::log::RegisterSecret(password_wo.as_string());
      auto set = client->SetPassword(key, password_wo.as_string());
      if (!set.ok()) {
        AddJiraError(diags, "Cannot change the password of Jira user \"" + key + "\"",
                     set.error(), kUserFields);
        return;  // state keeps the prior version, so the next apply tries again
      }
    }
    resp.state = resp.state.WithAttr("password_wo_version", plan.attr("password_wo_version"));
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string key = tf::GetString(req.prior_state, "key").value_or("");
    auto st = client->DeleteUser(key);
    if (st.ok() || st.error().kind == jira::ErrorKind::kNotFound) return;
    const jira::Error& e = st.error();
    if (MayHaveBeenApplied(e) || e.http_status == 400) {
      auto check = client->GetUserByKey(key);
      if (!check.ok() && check.error().kind == jira::ErrorKind::kNotFound) return;
      if (check.ok() && e.http_status == 400) {
        // 400 and the user is still there: Jira refuses to delete users with content
        // (reported or assigned issues, comments, project lead). Its reason is in Jira's
        // words, in the account's language; the advice does not depend on them.
        diags.AddError("Jira refuses to delete user \"" + check->name + "\"",
                       "Jira: " + e.Message() +
                           ". Jira does not delete users who reported or are assigned issues, "
                           "commented, or lead a project. Set active = false to deactivate the "
                           "user instead, and remove the resource from state (terraform state "
                           "rm) if Terraform should stop managing it.");
        return;
      }
    }
    AddJiraError(diags, "Cannot delete Jira user \"" + key + "\"", e);
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    if (req.id.empty()) {
      resp.diagnostics.AddError("Invalid import id",
                                "Import a jira_user by its username or its user key.");
      return;
    }
    resp.state = resp.state.WithAttr("id", tf::Value::String(req.id));
  }

 private:
  // Builds state from Jira's user; `reference` (plan or prior state) supplies what Jira
  // does not return (password, notify) and the spelling of case-insensitive values.
  tf::Value StateFrom(const jira::User& u, const tf::Value& reference) const {
    tf::Value notify = reference.attr("notify");
    if (!notify.is_known()) notify = tf::Value::Bool(false);
    tf::Value password = reference.attr("password");
    if (password.is_unknown()) password = tf::Value::Null(tf::Type::String());
    // Jira's applications when it listed them; otherwise (before Jira 7.0) what the
    // reference says, or none.
    tf::Value apps = u.applications ? StringSetValue(*u.applications) : reference.attr("application_keys");
    if (!apps.is_known()) apps = tf::Value::Null(tf::Type::Set(tf::Type::String()));
    return tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"id", tf::Value::String(u.key)},
         {"key", tf::Value::String(u.key)},
         {"name", SameOrJira(reference.attr("name"), u.name)},
         {"email", EmailFromJira(reference.attr("email"), u.email)},
         {"display_name", tf::Value::String(u.display_name)},
         {"password", password},
         {"active", tf::Value::Bool(u.active)},
         {"notify", notify},
         {"password_wo_version", reference.attr("password_wo_version")},
         {"application_keys", apps}});
  }

  // `updated` (an answer without applications) with the applications `before` had.
  static jira::User WithApplicationsOf(const jira::User& before, jira::User updated) {
    if (!updated.applications) updated.applications = before.applications;
    return updated;
  }

  // Plan time, when the provider is configured: application keys this Jira does not know, and
  // application access on a Jira before 7.0.
  void CheckApplicationKeys(const tf::Value& configured, const tf::CancelToken& cancel,
                            tf::Diagnostics& diags) {
    if (!configured.is_known() || configured.is_null() || !jira_.configured()) return;
    if (const jira::ServerInfo* server = jira_.Server();
        server && !server->version_numbers.empty() && !SupportsApplicationAccess(*server)) {
      diags.AddAttributeError(kApplicationKeys, "No application access on this Jira",
                              "Jira " + VersionText(*server) + " has no application access "
                              "(introduced in Jira 7.0, which replaced the global USE "
                              "permission). Remove application_keys.");
      return;
    }
    std::vector<std::string> wanted = StringSet(configured);
    if (wanted.empty()) return;
    tf::Diagnostics ignored;
    auto client = jira_.Client(cancel, ignored);
    if (!client) return;
    auto roles = client->ListApplicationRoles();
    if (!roles.ok()) return;  // not fatal at plan time: Jira's answer at apply decides
    std::vector<std::string> known;
    for (const auto& r : roles.value()) known.push_back(r.key);
    for (const auto& key : wanted) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        diags.AddAttributeError(kApplicationKeys, "Unknown application",
                                "Jira has no application \"" + key + "\". This Jira's "
                                "applications are: " + Quoted(known) + ".");
      }
    }
  }

  // After Jira refused access to `keys` with a 400, reads the licences: when one of them has
  // no seat left, reports that on application_keys and returns true. [Inferred] That a full
  // licence is refused with 400 is not documented (Atlassian's REST reference names no status
  // for it); which application is full is read from GET /applicationrole's remainingSeats,
  // never from the message, which is in the account's language.
  bool ReportFullApplications(jira::Client& client, const std::vector<std::string>& keys,
                              const std::string& username, const jira::Error& e,
                              tf::Diagnostics& diags) const {
    auto roles = client.ListApplicationRoles();
    if (!roles.ok()) return false;
    bool reported = false;
    for (const auto& r : roles.value()) {
      if (std::find(keys.begin(), keys.end(), r.key) == keys.end()) continue;
      if (r.unlimited_seats || r.remaining_seats > 0) continue;
      std::string said = e.Message();
      diags.AddAttributeError(
          kApplicationKeys, "No licence seat left for " + r.name,
          "Jira refused to give \"" + username + "\" access to " + r.name + " (" + r.key +
              "): all " + std::to_string(r.number_of_seats) + " seats of its licence are "
              "taken" + (said.empty() ? "" : " (Jira: " + said + ")") +
              ". Free a seat (remove another user's access to " + r.name + ", or deactivate "
              "a user) or extend the licence, then apply again.");
      reported = true;
    }
    return reported;
  }

  // Brings the user's applications to the plan's (when configured and changed): removals
  // first, then additions. On failure, `state` is re-read from Jira and false is returned.
  bool UpdateApplications(jira::Client& client, const std::string& key, const tf::Value& plan,
                          const tf::Value& prior, const tf::Value& reference, tf::Value& state,
                          tf::Diagnostics& diags) const {
    const tf::Value& want_value = plan.attr("application_keys");
    if (!want_value.is_known() || want_value.is_null()) return true;
    if (want_value == prior.attr("application_keys")) return true;  // refreshed: no drift
    // What Jira has now: a change made since the refresh is seen, and nothing is added or
    // removed twice.
    auto now = client.GetUserWithApplications(key);
    if (!now.ok()) {
      AddJiraError(diags, "Cannot read the application access of Jira user \"" + key + "\"",
                   now.error());
      return false;
    }
    std::vector<std::string> want = StringSet(want_value);
    std::vector<std::string> have = now->applications ? *now->applications : StringSet(prior.attr("application_keys"));
    std::sort(have.begin(), have.end());
    std::vector<std::string> to_remove, to_add;
    std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(to_remove));
    std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(to_add));
    if (to_remove.empty() && to_add.empty()) {
      state = StateFrom(now.value(), reference);
      return true;
    }
    const std::string username = now->name;
    bool ok = true;
    for (const auto& app : to_remove) {
      auto st = client.RemoveUserFromApplication(username, app);
      if (!st.ok()) {
        AddJiraError(diags, "Cannot remove Jira user \"" + username + "\" from application \"" +
                                app + "\"", st.error());
        ok = false;
        break;
      }
    }
    for (size_t i = 0; ok && i < to_add.size(); ++i) {
      auto st = client.AddUserToApplication(username, to_add[i]);
      if (!st.ok()) {
        if (st.error().http_status != 400 ||
            !ReportFullApplications(client, {to_add[i]}, username, st.error(), diags)) {
          AddJiraError(diags, "Cannot give Jira user \"" + username + "\" access to application \"" +
                                  to_add[i] + "\"", st.error());
        }
        ok = false;
      }
    }
    // State says what Jira now grants, whether every step succeeded or not.
    if (auto after = client.GetUserWithApplications(key); after.ok()) {
      state = StateFrom(after.value(), reference);
    }
    return ok;
  }

  // State another provider wrote (decoded into our type, our extra attributes null): the
  // key is the id. Jira is not called; the next refresh reads the rest. A state with an id
  // alone (fresh from an import, where the id may be a username) is left to Read.
  tf::Value FromForeignState(const tf::Value& decoded) const {
    if (!decoded.is_known() || !decoded.attr("key").is_null()) return decoded;
    if (decoded.attr("id").is_null() || decoded.attr("name").is_null()) return decoded;
    return decoded.WithAttr("key", decoded.attr("id"));
  }

  // After a failed step, replaces `state` with what Jira now holds (when it can be read).
  void Reread(jira::Client& client, const std::string& key, const tf::Value& reference,
              tf::Value& state) const {
    auto now = client.GetUserWithApplications(key);
    if (now.ok()) state = StateFrom(now.value(), reference);
  }

  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::Resource> NewUserResource() { return std::make_unique<UserResource>(); }

}  // namespace tfjira
