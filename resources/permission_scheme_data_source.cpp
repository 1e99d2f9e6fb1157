// data "jira_permission_scheme": a permission scheme by name, with its grants.
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/jira_access.h"
#include "resources/scheme_grants.h"

namespace tfjira {
namespace {

class PermissionSchemeDataSource final : public tf::DataSource {
 public:
  std::string TypeName() const override { return "jira_permission_scheme"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    s.block.description = "Looks up a Jira permission scheme by name, with its grants.";
    auto& a = s.block.attributes;
    a.push_back(ComputedAttr("id", tf::Type::String(), "The scheme id, as a string."));
    a.push_back(RequiredAttr("name", tf::Type::String(), "The scheme name (exact)."));
    a.push_back(ComputedAttr("description", tf::Type::String(), "The description."));
    a.push_back(ComputedAttr("grant", tf::Type::Set(GrantType()),
                             "The grants: `permission`, `holder_type` and `holder_parameter` "
                             "(usernames for user holders; null when the type takes none)."));
    return s;
  }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void Read(const tf::DataSourceReadRequest& req, tf::DataSourceReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string name = tf::GetString(req.config, "name").value_or("");
    auto all = client->ListPermissionSchemes(/*with_grants=*/true);
    if (!all.ok()) {
      AddJiraError(diags, "Cannot list permission schemes", all.error());
      return;
    }
    const jira::PermissionScheme* found = nullptr;
    for (const auto& s : all.value()) {
      if (s.name == name) found = &s;
    }
    if (found == nullptr) {
      diags.AddAttributeError(tf::Path().AtName("name"), "Permission scheme not found",
                              "No Jira permission scheme is named \"" + name + "\".");
      return;
    }
    resp.state = tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"id", tf::Value::String(std::to_string(found->id))},
         {"name", tf::Value::String(found->name)},
         {"description", tf::Value::String(found->description)},
         {"grant", GrantsFromJira(*client, found->grants, tf::Value(), diags)}});
  }

 private:
  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::DataSource> NewPermissionSchemeDataSource() {
  return std::make_unique<PermissionSchemeDataSource>();
}

}  // namespace tfjira
