// data "jira_group": a group by name, with the usernames of its members.
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/jira_access.h"

namespace tfjira {
namespace {

class GroupDataSource final : public tf::DataSource {
 public:
  std::string TypeName() const override { return "jira_group"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    s.block.description = "Looks up a Jira group by name, with its members.";
    auto& a = s.block.attributes;
    a.push_back(ComputedAttr("id", tf::Type::String(), "The group name as Jira stores it."));
    a.push_back(RequiredAttr("name", tf::Type::String(),
                             "The group name to look up (case-insensitive)."));
    a.push_back(ComputedAttr("members", tf::Type::List(tf::Type::String()),
                             "Usernames of the members (active and inactive, including members "
                             "of nested groups), sorted as Jira returns them."));
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
    auto group = client->GetGroup(name);
    if (!group.ok()) {
      if (group.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("name"), "Jira group not found",
                                "No Jira group is named \"" + name + "\".");
      } else {
        AddJiraError(diags, "Cannot read Jira group \"" + name + "\"", group.error());
      }
      return;
    }
    auto members = client->GetAllGroupMembers(group->name, /*include_inactive=*/true);
    if (!members.ok()) {
      AddJiraError(diags, "Cannot list the members of Jira group \"" + name + "\"",
                   members.error());
      return;
    }
    std::vector<tf::Value> usernames;
    for (const auto& u : members.value()) usernames.push_back(tf::Value::String(u.name));
    resp.state = tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"id", tf::Value::String(group->name)},
         {"name", tf::Value::String(name)},
         {"members", tf::Value::List(tf::Type::String(), std::move(usernames))}});
  }

 private:
  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::DataSource> NewGroupDataSource() { return std::make_unique<GroupDataSource>(); }

}  // namespace tfjira
