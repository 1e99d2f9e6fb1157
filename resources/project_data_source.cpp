// data "jira_project": one project by key, with the id of the permission scheme it uses.
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/jira_access.h"

namespace tfjira {
namespace {

class ProjectDataSource final : public tf::DataSource {
 public:
  std::string TypeName() const override { return "jira_project"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    s.block.description =
        "Looks up one Jira project by key: its id, name, lead, project type and the id of the "
        "permission scheme it uses.";
    auto& a = s.block.attributes;
    tf::Attribute key = RequiredAttr("key", tf::Type::String(),
                                     "The project key, e.g. `GL` (letter case does not matter).");
    key.validators.push_back(tf::NonEmptyString());
    a.push_back(key);
    a.push_back(ComputedAttr("id", tf::Type::String(), "The project id, as a string."));
    a.push_back(ComputedAttr("name", tf::Type::String(), "The project name."));
    a.push_back(ComputedAttr("description", tf::Type::String(), "The project description."));
    a.push_back(ComputedAttr("lead", tf::Type::String(), "The username of the project lead."));
    a.push_back(ComputedAttr("project_type_key", tf::Type::String(),
                             "The project type, e.g. `software` or `business`."));
    a.push_back(ComputedAttr("category", tf::Type::String(),
                             "The project category's name; null when it has none."));
    a.push_back(ComputedAttr("permission_scheme_id", tf::Type::String(),
                             "The id of the permission scheme the project uses."));
    return s;
  }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void Read(const tf::DataSourceReadRequest& req, tf::DataSourceReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string key = tf::GetString(req.config, "key").value_or("");
    auto project = client->GetProject(key);
    if (!project.ok()) {
      if (project.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("key"), "Project not found",
                                "Jira has no project with key \"" + key + "\" that the "
                                "provider's account can see.");
      } else {
        AddJiraError(diags, "Cannot read Jira project \"" + key + "\"", project.error());
      }
      return;
    }
    auto scheme = client->GetProjectPermissionScheme(project->key);
    if (!scheme.ok()) {
      AddJiraError(diags, "Cannot read the permission scheme of project \"" + key + "\"",
                   scheme.error());
      return;
    }
    const jira::Project& p = project.value();
    resp.state = tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"key", req.config.attr("key")},
         {"id", tf::Value::String(std::to_string(p.id))},
         {"name", tf::Value::String(p.name)},
         {"description", tf::Value::String(p.description)},
         {"lead", tf::Value::String(p.lead)},
         {"project_type_key", tf::Value::String(p.project_type_key)},
         {"category", p.category_name.empty() ? tf::Value::Null(tf::Type::String())
                                              : tf::Value::String(p.category_name)},
         {"permission_scheme_id", tf::Value::String(std::to_string(scheme->id))}});
  }

 private:
  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::DataSource> NewProjectDataSource() {
  return std::make_unique<ProjectDataSource>();
}

}  // namespace tfjira
