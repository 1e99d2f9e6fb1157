// data "jira_user": a user looked up by username or by key.
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/jira_access.h"

namespace tfjira {
namespace {

class UserDataSource final : public tf::DataSource {
 public:
  std::string TypeName() const override { return "jira_user"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    s.block.description = "Looks up a Jira user by username (`name`) or user `key`; set exactly "
                          "one of them.";
    auto& a = s.block.attributes;
    a.push_back(ComputedAttr("id", tf::Type::String(), "The user key."));
    tf::Attribute name = OptionalAttr("name", tf::Type::String(),
                                      "The username to look up (case-insensitive).");
    name.computed = true;
    a.push_back(name);
    tf::Attribute key = OptionalAttr("key", tf::Type::String(), "The user key to look up.");
    key.computed = true;
    a.push_back(key);
    a.push_back(ComputedAttr("email", tf::Type::String(), "The e-mail address."));
    a.push_back(ComputedAttr("display_name", tf::Type::String(), "The full name."));
    a.push_back(ComputedAttr("active", tf::Type::Bool(), "Whether the user may log in."));
    return s;
  }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void ValidateConfig(const tf::ValidateDataSourceRequest& req,
                      tf::ValidateDataSourceResponse& resp) override {
    const tf::Value& name = req.config.attr("name");
    const tf::Value& key = req.config.attr("key");
    if (name.is_null() && key.is_null()) {
      resp.diagnostics.AddError("Missing lookup attribute",
                                "Set either name or key to look up a Jira user.");
    } else if (!name.is_null() && !key.is_null()) {
      resp.diagnostics.AddAttributeError(tf::Path().AtName("key"), "Conflicting attributes",
                                         "Set only one of name and key.");
    }
  }

  void Read(const tf::DataSourceReadRequest& req, tf::DataSourceReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    auto name = tf::GetString(req.config, "name");
    auto key = tf::GetString(req.config, "key");
    auto user = name ? client->GetUserByName(*name) : client->GetUserByKey(key.value_or(""));
    if (!user.ok()) {
      tf::Path path = tf::Path().AtName(name ? "name" : "key");
      std::string what = name ? "username \"" + *name + "\"" : "key \"" + key.value_or("") + "\"";
      if (user.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(path, "Jira user not found", "No Jira user has the " + what + ".");
      } else {
        AddJiraError(diags, "Cannot read Jira user with " + what, user.error());
      }
      return;
    }
    const jira::User& u = user.value();
    resp.state = tf::Value::ObjectOf(
        GetSchema().ImpliedType(),
        {{"id", tf::Value::String(u.key)},
         {"name", name ? tf::Value::String(*name) : tf::Value::String(u.name)},
         {"key", tf::Value::String(u.key)},
         {"email", tf::Value::String(u.email)},
         {"display_name", tf::Value::String(u.display_name)},
         {"active", tf::Value::Bool(u.active)}});
  }

 private:
  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::DataSource> NewUserDataSource() { return std::make_unique<UserDataSource>(); }

}  // namespace tfjira
