// jira_permission_scheme_grant: one grant in a permission scheme that Terraform does not
// otherwise manage (often Jira's Default Permission Scheme). Every attribute forces
// replacement; a grant deleted in Jira by hand is created again on the next apply.
// User holders are usernames here and user keys in Jira, as in jira_permission_scheme.
#include <charconv>
#include <map>
#include <optional>
#include <string>

#include "provider/text/unicode.h"
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/grants.h"
#include "resources/jira_access.h"
#include "resources/scheme_grants.h"

namespace tfjira {
namespace {

std::optional<int64_t> ParseNonNegative(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id < 0) {
    return std::nullopt;
  }
  return id;
}

struct GrantId {
  int64_t scheme = 0;
  int64_t grant = 0;
};

// "<scheme_id>/<grant_id>", both numeric.
std::optional<GrantId> ParseGrantId(std::string_view id) {
  size_t slash = id.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto scheme = ParseNonNegative(id.substr(0, slash));
  auto grant = ParseNonNegative(id.substr(slash + 1));
  if (!scheme || !grant) return std::nullopt;
  return GrantId{*scheme, *grant};
}

std::string FormatGrantId(const GrantId& id) {
  return std::to_string(id.scheme) + "/" + std::to_string(id.grant);
}

tf::Schema GrantSchema() {
  tf::Schema s;
  s.block.description =
      "One grant in a Jira permission scheme, for schemes Terraform does not otherwise manage "
      "(for example the Default Permission Scheme). A grant deleted in Jira by hand is created "
      "again on the next apply; changing any attribute replaces the grant.\n\n"
      "`jira_permission_scheme` is authoritative over the grants of the schemes it manages: "
      "it removes every grant it does not list. Never point this resource at a scheme that "
      "`jira_permission_scheme` manages, or the two undo each other on every apply.";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "`<scheme_id>/<grant_id>`; also the import id."));
  auto replace = [](tf::Attribute attr) {
    attr.requires_replace = true;
    return attr;
  };
  tf::Attribute scheme = replace(RequiredAttr(
      "scheme_id", tf::Type::String(),
      "The permission scheme id, e.g. `data.jira_permission_scheme.default.id` (`0` is the "
      "Default Permission Scheme)."));
  scheme.validators.push_back([](const tf::Value& v, const tf::Path& path, tf::Diagnostics& d) {
    if (v.is_known() && !ParseNonNegative(v.as_string())) {
      d.AddAttributeError(path, "Invalid permission scheme id",
                          "Expected a numeric scheme id, got \"" + v.as_string() + "\".");
    }
  });
  a.push_back(scheme);
  a.push_back(replace(RequiredAttr("permission", tf::Type::String(),
                                   "The project permission key, e.g. `ADMINISTER_PROJECTS`.")));
  a.push_back(replace(RequiredAttr(
      "holder_type", tf::Type::String(),
      "Who receives it: `group`, `user`, `projectRole`, `applicationRole`, `reporter`, "
      "`assignee`, `projectLead`, `anyone`, ...")));
  tf::Attribute parameter = replace(OptionalAttr(
      "holder_parameter", tf::Type::String(),
      "The group name, **username** (stored in Jira as the user key), project role id, "
      "application key or custom field id; required exactly for the holder types that take "
      "one. Group and user names compare case-insensitively."));
  parameter.semantic_equal = tf::CaseInsensitiveEquality();
  a.push_back(parameter);
  return s;
}

const tf::Path kHolderParameter = tf::Path().AtName("holder_parameter");

class PermissionSchemeGrantResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "jira_permission_scheme_grant"; }
  tf::Schema GetSchema() const override { return GrantSchema(); }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void ValidateConfig(const tf::ValidateResourceRequest& req,
                      tf::ValidateResourceResponse& resp) override {
    auto& diags = resp.diagnostics;
    const tf::Value& permission = req.config.attr("permission");
    if (permission.is_known()) {
      if (permission.as_string().empty()) {
        diags.AddAttributeError(tf::Path().AtName("permission"), "Invalid permission",
                                "permission must not be empty.");
      } else if (IsGlobalPermission(permission.as_string())) {
        diags.AddAttributeError(tf::Path().AtName("permission"),
                                "Global permission in a permission scheme",
                                permission.as_string() + " is a global permission and cannot "
                                "be granted in a permission scheme.");
      }
    }
    const tf::Value& type = req.config.attr("holder_type");
    const tf::Value& parameter = req.config.attr("holder_parameter");
    if (!type.is_known()) return;
    const HolderParameter* rule = FindHolderType(type.as_string());
    if (rule == nullptr) {
      std::string names;
      for (const auto& n : HolderTypeNames()) names += (names.empty() ? "" : ", ") + n;
      diags.AddAttributeError(tf::Path().AtName("holder_type"), "Unknown holder_type",
                              "holder_type \"" + type.as_string() + "\" is not one of: " +
                                  names + ".");
      return;
    }
    bool has = parameter.is_unknown() || (parameter.is_known() && !parameter.as_string().empty());
    if (*rule == HolderParameter::kRequired && !has) {
      diags.AddAttributeError(tf::Path().AtName("holder_parameter"), "Missing holder_parameter",
                              "holder_type \"" + type.as_string() + "\" needs holder_parameter.");
    } else if (*rule == HolderParameter::kNone && has) {
      diags.AddAttributeError(tf::Path().AtName("holder_parameter"),
                              "Unexpected holder_parameter",
                              "holder_type \"" + type.as_string() + "\" takes no "
                              "holder_parameter; remove it.");
    }
  }

  // The holder (user, group, project role), when Jira can be reached: an unknown user or
  // group is a warning (another resource of this apply may create it), an unknown role an
  // error.
  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    if (req.proposed_new_state.is_null() || !jira_.configured()) return;
    const tf::Value& plan =
        resp.planned_state.is_null() ? req.proposed_new_state : resp.planned_state;
    if (!req.prior_state.is_null() &&
        plan.attr("holder_parameter") == req.prior_state.attr("holder_parameter") &&
        plan.attr("holder_type") == req.prior_state.attr("holder_type")) {
      return;  // an existing grant: nothing new to check
    }
    tf::Diagnostics ignored;
    if (auto client = jira_.Client(req.cancel, ignored)) {
      CheckHolders(*client, {plan}, kHolderParameter, HolderCheck::kPlan, resp.diagnostics);
    }
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    const tf::Value& plan = req.planned_state;
    resp.state = tf::Value::Null(plan.type());
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    auto scheme_id = ParseNonNegative(tf::GetString(plan, "scheme_id").value_or(""));
    if (!scheme_id) return;
    auto grant = ToJira(*client, plan, diags);
    if (!grant) return;

    // Jira keeps one grant per permission and holder: an identical grant already there (made
    // by hand, or by an earlier attempt whose answer was lost) is adopted, never duplicated.
    auto existing = FindSame(*client, *scheme_id, *grant, diags);
    if (!existing) return;
    int64_t grant_id = existing->value_or(0);
    if (grant_id == 0) {
      auto added = client->AddGrant(*scheme_id, *grant);
      if (added.ok()) {
        grant_id = added->id;
      } else if (MayHaveBeenApplied(added.error())) {
        tf::Diagnostics ignored;
        if (auto again = FindSame(*client, *scheme_id, *grant, ignored)) {
          grant_id = again->value_or(0);
        }
      }
      if (grant_id == 0) {
        ReportSchemeError(diags, "Cannot add the grant to permission scheme " +
                                     std::to_string(*scheme_id),
                          *client, *scheme_id, added.error());
        return;
      }
    }
    resp.state = plan.WithAttr("id", tf::Value::String(FormatGrantId({*scheme_id, grant_id})));
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& state = req.current_state;
    std::string id_text = tf::GetString(state, "id").value_or("");
    auto id = ParseGrantId(id_text);
    if (!id) {
      diags.AddAttributeError(tf::Path().AtName("id"), "Invalid grant id",
                              "Expected \"<scheme_id>/<grant_id>\", got \"" + id_text + "\".");
      return;
    }
    auto grant = client->GetGrant(id->scheme, id->grant);
    if (!grant.ok()) {
      if (grant.error().kind == jira::ErrorKind::kNotFound) {
        resp.state = tf::Value::Null(state.type());  // deleted by hand: planned again
        return;
      }
      AddJiraError(diags, "Cannot read grant " + id_text, grant.error());
      return;
    }
    const jira::PermissionGrant& g = grant.value();
    tf::Value parameter = tf::Value::Null(tf::Type::String());
    if (!g.holder.parameter.empty()) {
      std::string p = g.holder.parameter;
      if (g.holder.type == "user") {
        auto user = client->GetUserByKey(p);
        if (!user.ok() && user.error().kind != jira::ErrorKind::kNotFound) {
          AddJiraError(diags, "Cannot read the user of grant " + id_text, user.error());
          return;
        }
        if (user.ok()) p = user->name;
      }
      // The configuration's spelling wins where Jira's names agree up to letter case.
      auto prior = tf::GetString(state, "holder_parameter");
      if (prior && text::EqualsIgnoreCase(*prior, p)) p = *prior;
      parameter = tf::Value::String(p);
    }
    resp.state = tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"id", tf::Value::String(FormatGrantId(*id))},
         {"scheme_id", tf::Value::String(std::to_string(id->scheme))},
         {"permission", tf::Value::String(g.permission)},
         {"holder_type", tf::Value::String(g.holder.type)},
         {"holder_parameter", parameter}});
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    // Every attribute forces replacement; only letter-case changes reach an update.
    resp.state = req.planned_state.WithAttr("id", req.prior_state.attr("id"));
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    auto id = ParseGrantId(tf::GetString(req.prior_state, "id").value_or(""));
    if (!id) return;  // nothing in Jira can match
    auto st = client->DeleteGrant(id->scheme, id->grant);
    if (st.ok() || st.error().kind == jira::ErrorKind::kNotFound) return;
    if (MayHaveBeenApplied(st.error())) {
      auto check = client->GetGrant(id->scheme, id->grant);
      if (!check.ok() && check.error().kind == jira::ErrorKind::kNotFound) return;
    }
    AddJiraError(diags, "Cannot delete grant " + FormatGrantId(*id), st.error());
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    if (!ParseGrantId(req.id)) {
      resp.diagnostics.AddError("Invalid import id",
                                "Import a jira_permission_scheme_grant by \"<scheme_id>/"
                                "<grant_id>\", e.g. 0/10203; got \"" + req.id + "\".");
      return;
    }
    resp.state = resp.state.WithAttr("id", tf::Value::String(req.id));
  }

 private:
  // The planned grant in Jira's terms (usernames become user keys).
  std::optional<jira::PermissionGrant> ToJira(jira::Client& client, const tf::Value& plan,
                                              tf::Diagnostics& diags) const {
    jira::PermissionGrant g;
    g.permission = tf::GetString(plan, "permission").value_or("");
    g.holder.type = tf::GetString(plan, "holder_type").value_or("");
    g.holder.parameter = tf::GetString(plan, "holder_parameter").value_or("");
    // The holder must exist before anything is written: user, group or project role.
    std::map<std::string, std::string> user_keys;
    if (!CheckHolders(client, {plan}, kHolderParameter, HolderCheck::kApply, diags, &user_keys)) {
      return std::nullopt;
    }
    if (g.holder.type == "user" && !g.holder.parameter.empty()) {
      g.holder.parameter = user_keys.at(g.holder.parameter);
    }
    return g;
  }

  // The id of a grant equal to `grant` in the scheme (0 when none); nullopt on error.
  std::optional<std::optional<int64_t>> FindSame(jira::Client& client, int64_t scheme_id,
                                                 const jira::PermissionGrant& grant,
                                                 tf::Diagnostics& diags) const {
    auto grants = client.ListGrants(scheme_id);
    if (!grants.ok()) {
      ReportSchemeError(diags, "Cannot list the grants of permission scheme " +
                                   std::to_string(scheme_id),
                        client, scheme_id, grants.error());
      return std::nullopt;
    }
    const std::string key = GrantKey(grant);
    for (const auto& g : grants.value()) {
      if (GrantKey(g) == key) return std::optional<int64_t>(g.id);
    }
    return std::optional<int64_t>(0);
  }

  static void ReportSchemeError(tf::Diagnostics& diags, const std::string& summary,
                                jira::Client& client, int64_t scheme_id, const jira::Error& e) {
    if (e.kind == jira::ErrorKind::kNotFound) {
      auto scheme = client.GetPermissionScheme(scheme_id);
      if (!scheme.ok() && scheme.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("scheme_id"), "Permission scheme not found",
                                "Jira has no permission scheme with id " +
                                    std::to_string(scheme_id) + ".");
        return;
      }
    }
    AddJiraError(diags, summary, e, {{"permission", "permission"}});
  }

  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::Resource> NewPermissionSchemeGrantResource() {
  return std::make_unique<PermissionSchemeGrantResource>();
}

}  // namespace tfjira
