// data "jira_projects": every project the provider's account can browse, optionally filtered
// by project type or category. Jira Server returns them all from one GET /rest/api/2/project
// (it does not page that list), sorted by key.
#include <algorithm>

#include "provider/text/unicode.h"
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/jira_access.h"

namespace tfjira {
namespace {

tf::Type ProjectType() {
  return tf::Type::Object({{"id", tf::Type::String()},
                           {"key", tf::Type::String()},
                           {"name", tf::Type::String()},
                           {"lead", tf::Type::String()},
                           {"project_type_key", tf::Type::String()},
                           {"category", tf::Type::String()}});
}

class ProjectsDataSource final : public tf::DataSource {
 public:
  std::string TypeName() const override { return "jira_projects"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    s.block.description =
        "Lists the Jira projects the provider's account can browse, optionally only those of "
        "one project type or one category.";
    auto& a = s.block.attributes;
    a.push_back(ComputedAttr("id", tf::Type::String(), "Always `projects`."));
    a.push_back(OptionalAttr("project_type_key", tf::Type::String(),
                             "Only projects of this type, e.g. `software` or `business`."));
    a.push_back(OptionalAttr("category", tf::Type::String(),
                             "Only projects in the category of this name (letter case does "
                             "not matter)."));
    a.push_back(ComputedAttr("keys", tf::Type::List(tf::Type::String()),
                             "The keys of the matching projects, sorted."));
    a.push_back(ComputedAttr("projects", tf::Type::List(ProjectType()),
                             "The matching projects, sorted by key: `id`, `key`, `name`, "
                             "`lead` (username), `project_type_key` and `category` (null when "
                             "none)."));
    return s;
  }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void Read(const tf::DataSourceReadRequest& req, tf::DataSourceReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    auto type = tf::GetString(req.config, "project_type_key");
    auto category = tf::GetString(req.config, "category");
    auto all = client->ListProjects();
    if (!all.ok()) {
      AddJiraError(diags, "Cannot list Jira projects", all.error());
      return;
    }
    std::vector<jira::Project> matching;
    for (const auto& p : all.value()) {
      if (type && p.project_type_key != *type) continue;
      if (category && !text::EqualsIgnoreCase(p.category_name, *category)) continue;
      matching.push_back(p);
    }
    std::sort(matching.begin(), matching.end(),
              [](const jira::Project& a, const jira::Project& b) { return a.key < b.key; });
    std::vector<tf::Value> keys, projects;
    for (const auto& p : matching) {
      keys.push_back(tf::Value::String(p.key));
      projects.push_back(tf::Value::ObjectOf(
          ProjectType(),
          {{"id", tf::Value::String(std::to_string(p.id))},
           {"key", tf::Value::String(p.key)},
           {"name", tf::Value::String(p.name)},
           {"lead", tf::Value::String(p.lead)},
           {"project_type_key", tf::Value::String(p.project_type_key)},
           {"category", p.category_name.empty() ? tf::Value::Null(tf::Type::String())
                                                : tf::Value::String(p.category_name)}}));
    }
    resp.state = tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"id", tf::Value::String("projects")},
         {"project_type_key", req.config.attr("project_type_key")},
         {"category", req.config.attr("category")},
         {"keys", tf::Value::List(tf::Type::String(), std::move(keys))},
         {"projects", tf::Value::List(ProjectType(), std::move(projects))}});
  }

 private:
  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::DataSource> NewProjectsDataSource() {
  return std::make_unique<ProjectsDataSource>();
}

}  // namespace tfjira
