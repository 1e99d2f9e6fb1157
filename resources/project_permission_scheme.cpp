// jira_project_permission_scheme: which permission scheme one project uses.
//
// Jira REST v2: GET /project/{key}/permissionscheme reads the assignment and
// PUT /project/{key}/permissionscheme {"id": N} changes it. Every project always has exactly
// one scheme, so "destroying" the assignment means putting the project back on the scheme it
// used before Terraform assigned one (recorded in private state at create), or on the Default
// Permission Scheme (id 0) when that scheme no longer exists or was never recorded (import).
#include <charconv>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "provider/text/unicode.h"
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/jira_access.h"

namespace tfjira {
namespace {

constexpr int64_t kDefaultSchemeId = 0;  // Jira's Default Permission Scheme

std::optional<int64_t> ParseSchemeId(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id < 0) {
    return std::nullopt;
  }
  return id;
}

tf::Validator SchemeIdValidator() {
  return [](const tf::Value& v, const tf::Path& path, tf::Diagnostics& diags) {
    if (!v.is_known()) return;
    if (!ParseSchemeId(v.as_string())) {
      diags.AddAttributeError(path, "Invalid permission scheme id",
                              "Expected a permission scheme id such as \"10100\" (or \"0\" for "
                              "the Default Permission Scheme), got \"" + v.as_string() + "\".");
    }
  };
}

// Project keys compare as Jira compares them: without regard to letter case.
tf::SemanticEquality KeyEquality() {
  return [](const tf::Value& a, const tf::Value& b) {
    return a.is_known() && b.is_known() && text::EqualsIgnoreCase(a.as_string(), b.as_string());
  };
}

// Private state: {"previous_scheme_id": N}, the scheme the project had before create.
std::string EncodePrevious(std::optional<int64_t> previous) {
  if (!previous) return "";
  return nlohmann::json{{"previous_scheme_id", *previous}}.dump();
}

std::optional<int64_t> DecodePrevious(const std::string& data) {
  if (data.empty()) return std::nullopt;
  auto j = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto it = j.find("previous_scheme_id");
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

tf::Schema ProjectSchemeSchema() {
  tf::Schema s;
  s.block.description =
      "Assigns a permission scheme to one Jira project. A project assigned another scheme by "
      "hand is put back on the next apply. On destroy the project goes back to the scheme it "
      "used before this resource assigned one; when that scheme has been deleted since (or the "
      "assignment was imported, so the earlier scheme is unknown) it goes to the Default "
      "Permission Scheme (id 0).";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "The project key, as Jira stores it."));
  tf::Attribute key = RequiredAttr(
      "project_key", tf::Type::String(),
      "The project key (for example `GL`). Letter case alone is no change; another project "
      "replaces the resource.");
  key.requires_replace = true;
  key.semantic_equal = KeyEquality();
  key.validators.push_back(tf::NonEmptyString());
  a.push_back(key);
  tf::Attribute scheme = RequiredAttr(
      "scheme_id", tf::Type::String(),
      "The permission scheme id, for example `jira_permission_scheme.gitlab.id`; `0` is the "
      "Default Permission Scheme. Changed in place.");
  scheme.validators.push_back(SchemeIdValidator());
  a.push_back(scheme);
  return s;
}

class ProjectPermissionSchemeResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "jira_project_permission_scheme"; }
  tf::Schema GetSchema() const override { return ProjectSchemeSchema(); }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    if (req.proposed_new_state.is_null() || !req.prior_state.is_null()) return;
    // A new assignment: say now, at plan time, when the project does not exist.
    auto key = tf::GetString(req.proposed_new_state, "project_key");
    if (!key || key->empty() || !jira_.configured()) return;
    tf::Diagnostics ignored;
    auto client = jira_.Client(req.cancel, ignored);
    if (!client) return;
    auto project = client->GetProjectPermissionScheme(*key);
    if (!project.ok() && project.error().kind == jira::ErrorKind::kNotFound) {
      resp.diagnostics.AddAttributeError(tf::Path().AtName("project_key"), "Project not found",
                                         NoProjectDetail(*key));
    }
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    const tf::Value& plan = req.planned_state;
    resp.state = tf::Value::Null(plan.type());
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string key = tf::GetString(plan, "project_key").value_or("");
    auto scheme_id = ParseSchemeId(tf::GetString(plan, "scheme_id").value_or(""));
    if (!scheme_id) return;  // the validator already said why

    // The project's scheme is an administrator's read: it works even for projects the
    // account may not browse, so it is also the existence check.
    auto before = client->GetProjectPermissionScheme(key);
    if (!before.ok()) {
      ReportProjectError(diags, "Cannot read the permission scheme of project \"" + key + "\"",
                         key, before.error());
      return;
    }
    // The key as Jira stores it, when the account may see the project; otherwise as given.
    auto project = client->GetProject(key);
    const std::string id = project.ok() ? project->key : key;
    if (!Assign(*client, id, *scheme_id, diags)) return;
    resp.private_data = EncodePrevious(before->id);
    resp.state = State(id, key, *scheme_id);
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& state = req.current_state;
    std::string id = tf::GetString(state, "id").value_or("");
    auto current = client->GetProjectPermissionScheme(id);
    if (!current.ok()) {
      if (current.error().kind == jira::ErrorKind::kNotFound) {
        resp.state = tf::Value::Null(state.type());  // the project is gone
        return;
      }
      AddJiraError(diags, "Cannot read the permission scheme of project \"" + id + "\"",
                   current.error());
      return;
    }
    std::string key = tf::GetString(state, "project_key").value_or(id);
    resp.state = State(id, key, current->id);
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    resp.state = req.prior_state;
    std::string id = tf::GetString(req.prior_state, "id").value_or("");
    auto scheme_id = ParseSchemeId(tf::GetString(req.planned_state, "scheme_id").value_or(""));
    if (!scheme_id) return;
    if (!Assign(*client, id, *scheme_id, diags)) return;
    resp.state = State(id, tf::GetString(req.planned_state, "project_key").value_or(id),
                       *scheme_id);
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string id = tf::GetString(req.prior_state, "id").value_or("");
    int64_t target = kDefaultSchemeId;
    if (auto previous = DecodePrevious(req.private_data)) {
      auto scheme = client->GetPermissionScheme(*previous);
      if (scheme.ok()) {
        target = *previous;
      } else if (scheme.error().kind != jira::ErrorKind::kNotFound) {
        AddJiraError(diags, "Cannot read permission scheme " + std::to_string(*previous) +
                                " to put project \"" + id + "\" back on it",
                     scheme.error());
        return;
      }
    }
    auto assigned = client->AssignSchemeToProject(id, target);
    if (assigned.ok()) return;
    if (assigned.error().kind == jira::ErrorKind::kNotFound) {
      // Either the project is gone (nothing left to restore) or the target scheme vanished
      // a moment ago; the project's own read tells which.
      auto project = client->GetProjectPermissionScheme(id);
      if (!project.ok() && project.error().kind == jira::ErrorKind::kNotFound) return;
      if (target != kDefaultSchemeId) {
        auto fallback = client->AssignSchemeToProject(id, kDefaultSchemeId);
        if (fallback.ok()) return;
        AddJiraError(diags, "Cannot put project \"" + id + "\" back on the default scheme",
                     fallback.error());
        return;
      }
    }
    AddJiraError(diags, "Cannot put project \"" + id + "\" back on permission scheme " +
                            std::to_string(target),
                 assigned.error());
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    if (req.id.empty() || req.id.find('/') != std::string::npos) {
      resp.diagnostics.AddError("Invalid import id",
                                "Import a jira_project_permission_scheme by the project key, "
                                "e.g. GL; got \"" + req.id + "\".");
      return;
    }
    // Jira's spelling of the key comes from the read that follows; the scheme the project
    // had before is unknown, so destroy will use the Default Permission Scheme.
    resp.state = resp.state.WithAttr("id", tf::Value::String(req.id))
                     .WithAttr("project_key", tf::Value::String(req.id));
  }

 private:
  static std::string NoProjectDetail(const std::string& key) {
    return "Jira has no project with key \"" + key + "\" that the provider's account can see. "
           "Check the key (for example GL), and that the account may browse the project.";
  }

  tf::Value State(const std::string& id, const std::string& key, int64_t scheme_id) const {
    return tf::Value::ObjectOf(GetSchema().ImpliedType(),
                               {{"id", tf::Value::String(id)},
                                {"project_key", tf::Value::String(key)},
                                {"scheme_id", tf::Value::String(std::to_string(scheme_id))}});
  }

  void ReportProjectError(tf::Diagnostics& diags, const std::string& summary,
                          const std::string& key, const jira::Error& e) const {
    if (e.kind == jira::ErrorKind::kNotFound) {
      diags.AddAttributeError(tf::Path().AtName("project_key"), "Project not found",
                              NoProjectDetail(key));
      return;
    }
    AddJiraError(diags, summary, e);
  }

  // PUT the scheme; a 404 is told apart (scheme or project missing) by reading both.
  bool Assign(jira::Client& client, const std::string& project_key, int64_t scheme_id,
              tf::Diagnostics& diags) const {
    auto assigned = client.AssignSchemeToProject(project_key, scheme_id);
    if (assigned.ok()) return true;
    const jira::Error& e = assigned.error();
    if (e.kind == jira::ErrorKind::kNotFound) {
      auto scheme = client.GetPermissionScheme(scheme_id);
      if (!scheme.ok() && scheme.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("scheme_id"), "Permission scheme not found",
                                "Jira has no permission scheme with id " +
                                    std::to_string(scheme_id) + ".");
        return false;
      }
      auto project = client.GetProjectPermissionScheme(project_key);
      if (!project.ok() && project.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("project_key"), "Project not found",
                                NoProjectDetail(project_key));
        return false;
      }
    }
    AddJiraError(diags, "Cannot assign permission scheme " + std::to_string(scheme_id) +
                            " to project \"" + project_key + "\"",
                 e);
    return false;
  }

  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::Resource> NewProjectPermissionSchemeResource() {
  return std::make_unique<ProjectPermissionSchemeResource>();
}

}  // namespace tfjira
