// jira_permission_scheme: a permission scheme and, authoritatively, its grants. Apply adds
// and deletes only the grants that differ, so unchanged grants keep their ids in Jira.
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/grants.h"
#include "resources/jira_access.h"
#include "resources/scheme_grants.h"
#include "resources/validators.h"

namespace tfjira {
namespace {

const FieldMap kSchemeFields = {{"name", "name"}, {"description", "description"}};

tf::Schema SchemeSchema() {
  tf::Schema s;
  s.block.description =
      "A Jira permission scheme with its grants. The scheme is authoritative over its grants: "
      "grants added in Jira by hand are removed on the next apply, grants removed by hand are "
      "re-added, and order never matters.\n\n"
      "When the provider configuration is known at plan time, the holders of new or changed "
      "grants are looked up in Jira, all of them in one run: a user or group Jira lacks is a "
      "warning (another resource of the same apply may create it), a project role id Jira "
      "lacks is an error naming the roles it has. Apply checks every holder again before "
      "anything is written, and reports all the missing ones together.";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "The scheme id, as a string."));
  tf::Attribute name = RequiredAttr("name", tf::Type::String(),
                                    "The scheme name, unique in Jira. Updated in place.");
  name.validators.push_back(tf::NonEmptyString());
  name.validators.push_back(TrimmedNameValidator());
  a.push_back(name);
  a.push_back(OptionalAttr("description", tf::Type::String(),
                           "A description. Updated in place."));
  auto grant = std::make_shared<tf::Block>();
  grant->description = "One permission granted to one holder.";
  grant->attributes = GrantAttributes(/*computed=*/false);
  tf::NestedBlock nb;
  nb.type_name = "grant";
  nb.block = grant;
  nb.nesting = tf::Nesting::kSet;
  s.block.block_types.push_back(nb);
  return s;
}

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 0) return std::nullopt;
  return id;
}

class PermissionSchemeResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "jira_permission_scheme"; }
  tf::Schema GetSchema() const override { return SchemeSchema(); }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void ValidateConfig(const tf::ValidateResourceRequest& req,
                      tf::ValidateResourceResponse& resp) override {
    const tf::Value& grants = req.config.attr("grant");
    if (!grants.is_known()) return;
    for (const auto& g : grants.items()) {
      ValidateGrant(g, tf::Path().AtName("grant"), resp.diagnostics);
    }
  }

  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    if (req.proposed_new_state.is_null()) return;
    tf::Value plan = resp.planned_state.is_null() ? req.proposed_new_state : resp.planned_state;
    if (!req.prior_state.is_null()) {
      plan = plan.WithAttr("id", req.prior_state.attr("id"))
                 .WithAttr("grant",
                           KeepPriorSpelling(plan.attr("grant"), req.prior_state.attr("grant")));
    }
    resp.planned_state = plan;
    CheckPermissionKeys(plan.attr("grant"), req.cancel, resp.diagnostics);
    // The holders of new or changed grants, when Jira can be reached: all of them in one run.
    const tf::Value& grants = plan.attr("grant");
    if (jira_.configured() && grants.is_known() &&
        (req.prior_state.is_null() || grants != req.prior_state.attr("grant"))) {
      tf::Diagnostics ignored;
      if (auto client = jira_.Client(req.cancel, ignored)) {
        CheckHolders(*client, grants.items(), tf::Path().AtName("grant"), HolderCheck::kPlan,
                     resp.diagnostics);
      }
    }
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& plan = req.planned_state;
    resp.state = tf::Value::Null(plan.type());
    auto desired = GrantsToJira(*client, plan.attr("grant"), diags);
    if (!desired) return;

    jira::PermissionScheme scheme;
    scheme.name = tf::GetString(plan, "name").value_or("");
    scheme.description = tf::GetString(plan, "description").value_or("");
    scheme.grants = DiffGrants({}, *desired).to_add;
    auto created = client->CreatePermissionScheme(scheme);
    int64_t id = 0;
    if (created.ok()) {
      id = created->id;
    } else if (MayHaveBeenApplied(created.error())) {
      // The answer may have been lost after Jira created the scheme: names are unique, so
      // look it up by name before failing, and never create a second one.
      auto all = client->ListPermissionSchemes(/*with_grants=*/false);
      if (all.ok()) {
        for (const auto& s : all.value()) {
          if (s.name == scheme.name && s.description == scheme.description) id = s.id;
        }
      }
    }
    if (id == 0) {
      const jira::Error& e = created.error();
      // Whether the name is taken is read from Jira's list, not from the error's wording,
      // and the existing scheme's id is what importing it needs.
      std::optional<int64_t> existing;
      if (auto all = client->ListPermissionSchemes(/*with_grants=*/false); all.ok()) {
        for (const auto& s : all.value()) {
          if (EqualsIgnoreCase(s.name, scheme.name)) existing = s.id;
        }
      }
      if (existing) {
        diags.AddAttributeError(tf::Path().AtName("name"), "Permission scheme already exists",
                                "Jira already has a permission scheme named \"" + scheme.name +
                                    "\", with id " + std::to_string(*existing) +
                                    ". Choose another name, or import that scheme to manage it: "
                                    "terraform import <address> " + std::to_string(*existing) + ".");
      } else {
        AddJiraError(diags, "Cannot create permission scheme \"" + scheme.name + "\"", e,
                     kSchemeFields);
      }
      return;
    }
    // The scheme now exists: from here on, state must describe it even if a step fails.
    resp.state = plan.WithAttr("id", tf::Value::String(std::to_string(id)));
    Reconcile(*client, id, *desired, diags);
    ReadBack(*client, id, plan, resp.state, diags);
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& state = req.current_state;
    std::string id_text = tf::GetString(state, "id").value_or("");
    auto id = ParseId(id_text);
    if (!id) {
      diags.AddAttributeError(tf::Path().AtName("id"), "Invalid permission scheme id",
                              "Expected a numeric scheme id, got \"" + id_text + "\".");
      return;
    }
    auto scheme = client->GetPermissionScheme(*id);
    if (!scheme.ok()) {
      if (scheme.error().kind == jira::ErrorKind::kNotFound) {
        resp.state = tf::Value::Null(state.type());
        return;
      }
      AddJiraError(diags, "Cannot read permission scheme " + id_text, scheme.error());
      return;
    }
    resp.state = StateFrom(*client, scheme.value(), state, diags);
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& plan = req.planned_state;
    const tf::Value& prior = req.prior_state;
    auto id = ParseId(tf::GetString(prior, "id").value_or(""));
    resp.state = prior;
    if (!id) {
      diags.AddAttributeError(tf::Path().AtName("id"), "Invalid permission scheme id",
                              "The state holds no numeric scheme id.");
      return;
    }
    auto desired = GrantsToJira(*client, plan.attr("grant"), diags);
    if (!desired) return;
    if (plan.attr("name") != prior.attr("name") ||
        plan.attr("description") != prior.attr("description")) {
      auto updated = client->UpdatePermissionScheme(
          *id, tf::GetString(plan, "name").value_or(""),
          tf::GetString(plan, "description").value_or(""));
      if (!updated.ok() && !MayHaveBeenApplied(updated.error())) {
        AddJiraError(diags, "Cannot update permission scheme " + std::to_string(*id),
                     updated.error(), kSchemeFields);
        ReadBack(*client, *id, prior, resp.state, diags);
        return;
      }
    }
    Reconcile(*client, *id, *desired, diags);
    ReadBack(*client, *id, plan, resp.state, diags);
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    auto id = ParseId(tf::GetString(req.prior_state, "id").value_or(""));
    if (!id) return;  // nothing in Jira can match
    auto st = client->DeletePermissionScheme(*id);
    if (st.ok() || st.error().kind == jira::ErrorKind::kNotFound) return;
    if (MayHaveBeenApplied(st.error())) {
      auto check = client->GetPermissionScheme(*id);
      if (!check.ok() && check.error().kind == jira::ErrorKind::kNotFound) return;
    }
    AddJiraError(diags, "Cannot delete permission scheme " + std::to_string(*id), st.error());
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    if (!ParseId(req.id)) {
      resp.diagnostics.AddError("Invalid import id",
                                "Import a jira_permission_scheme by its numeric id (e.g. "
                                "10100); got \"" + req.id + "\".");
      return;
    }
    resp.state = resp.state.WithAttr("id", tf::Value::String(req.id));
  }

 private:
  // Brings the scheme's grants to `desired` with individual POST/DELETE calls. A call whose
  // answer was lost may still have happened, so the grants are listed again and the diff
  // recomputed (a few rounds) instead of repeating calls blindly.
  void Reconcile(jira::Client& client, int64_t id,
                 const std::vector<jira::PermissionGrant>& desired, tf::Diagnostics& diags) {
    constexpr int kRounds = 4;
    for (int round = 0; round < kRounds; ++round) {
      auto current = client.ListGrants(id);
      if (!current.ok()) {
        if (MayHaveBeenApplied(current.error()) && round + 1 < kRounds) continue;
        AddJiraError(diags, "Cannot list the grants of permission scheme " + std::to_string(id),
                     current.error());
        return;
      }
      GrantDiff diff = DiffGrants(current.value(), desired);
      if (diff.empty()) return;
      bool uncertain = false;
      for (const auto& g : diff.to_delete) {
        auto st = client.DeleteGrant(id, g.id);
        if (st.ok() || st.error().kind == jira::ErrorKind::kNotFound) continue;
        if (MayHaveBeenApplied(st.error())) { uncertain = true; continue; }
        AddJiraError(diags, "Cannot remove grant " + g.permission + " from permission scheme " +
                                std::to_string(id), st.error());
        return;
      }
      for (const auto& g : diff.to_add) {
        auto added = client.AddGrant(id, g);
        if (added.ok()) continue;
        if (MayHaveBeenApplied(added.error())) { uncertain = true; continue; }
        AddJiraError(diags, "Cannot grant " + g.permission + " to " + g.holder.type +
                                (g.holder.parameter.empty() ? "" : " " + g.holder.parameter) +
                                " in permission scheme " + std::to_string(id),
                     added.error());
        return;
      }
      if (!uncertain) return;
    }
    diags.AddError("Permission scheme grants not settled",
                   "Jira kept failing while the grants of permission scheme " +
                       std::to_string(id) + " were changed; run apply again.");
  }

  // Replaces `state` with the scheme as Jira now has it (keeps `state` if it cannot be read).
  void ReadBack(jira::Client& client, int64_t id, const tf::Value& reference, tf::Value& state,
                tf::Diagnostics& diags) {
    auto scheme = client.GetPermissionScheme(id);
    if (!scheme.ok()) {
      AddJiraError(diags, "Cannot read permission scheme " + std::to_string(id) +
                              " back after applying it", scheme.error());
      return;
    }
    state = StateFrom(client, scheme.value(), reference, diags);
  }

  tf::Value StateFrom(jira::Client& client, const jira::PermissionScheme& s,
                      const tf::Value& reference, tf::Diagnostics& diags) const {
    tf::Value description = tf::Value::String(s.description);
    if (s.description.empty() && !reference.attr("description").is_known()) {
      description = tf::Value::Null(tf::Type::String());
    }
    return tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"id", tf::Value::String(std::to_string(s.id))},
         {"name", tf::Value::String(s.name)},
         {"description", description},
         {"grant", GrantsFromJira(client, s.grants, reference.attr("grant"), diags)}});
  }

  // Keys outside the built-in list may come from Jira apps: ask Jira (once) when it can be
  // reached; otherwise Jira's own answer at apply decides.
  void CheckPermissionKeys(const tf::Value& grants, const tf::CancelToken& cancel,
                           tf::Diagnostics& diags) {
    if (!grants.is_known() || !jira_.configured()) return;
    for (const auto& g : grants.items()) {
      auto key = tf::GetString(g, "permission");
      if (!key || key->empty() || IsBuiltInProjectPermission(*key) || IsGlobalPermission(*key)) {
        continue;
      }
      if (!permissions_) {
        tf::Diagnostics ignored;
        auto client = jira_.Client(cancel, ignored);
        if (!client) return;
        auto list = client->GetPermissions();
        if (!list.ok()) return;  // not fatal at plan time
        permissions_ = list.value();
      }
      const jira::Permission* found = nullptr;
      for (const auto& p : *permissions_) {
        if (p.key == *key) found = &p;
      }
      if (found == nullptr) {
        std::vector<std::string> known;
        for (const auto& p : *permissions_) {
          if (p.type != "GLOBAL") known.push_back(p.key);
        }
        auto nearest = NearestPermissionKey(*key, known);
        diags.AddAttributeError(tf::Path().AtName("grant"), "Unknown permission",
                                "In " + DescribeGrant(g) + ": \"" + *key +
                                    "\" is not a permission key this Jira knows" +
                                    (nearest ? "; did you mean " + *nearest + "?"
                                             : " (for example ADMINISTER_PROJECTS or BROWSE_PROJECTS)."));
      } else if (found->type == "GLOBAL") {
        diags.AddAttributeError(tf::Path().AtName("grant"),
                                "Global permission in a permission scheme",
                                "In " + DescribeGrant(g) + ": " + *key +
                                    " is a global permission and cannot be granted in a "
                                    "permission scheme.");
      }
    }
  }

  JiraAccess jira_;
  std::optional<std::vector<jira::Permission>> permissions_;
};

}  // namespace

std::unique_ptr<tf::Resource> NewPermissionSchemeResource() {
  return std::make_unique<PermissionSchemeResource>();
}

}  // namespace tfjira
