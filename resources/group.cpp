// jira_group: a Jira group. Groups have no id and no rename in Jira Server/Data Center, so
// the name is the identity and changing it replaces the group.
#include <string>

#include "provider/core/log.h"
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/fourplusone.h"
#include "resources/jira_access.h"
#include "provider/text/unicode.h"
#include "resources/validators.h"

namespace tfjira {
namespace {

const FieldMap kGroupFields = {{"name", "name"}, {"groupname", "name"}};

tf::Schema GroupSchema() {
  tf::Schema s;
  s.block.description = "A Jira group. Jira cannot rename groups, so a new name replaces it.";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "The group name as Jira stores it."));
  tf::Attribute name = RequiredAttr(
      "name", tf::Type::String(),
      "The group name. Changing it replaces the group; a difference in letter case alone is "
      "not a change. Any characters Jira accepts (spaces, slashes, ...) may be used.");
  name.requires_replace = true;
  name.semantic_equal = tf::CaseInsensitiveEquality();
  name.validators.push_back(tf::NonEmptyString());
  name.validators.push_back(TrimmedNameValidator());
  a.push_back(name);
  tf::Attribute swap = OptionalAttr(
      "delete_swap_group", tf::Type::String(),
      "A group to hand this group's restricted comments and worklogs to when the group is "
      "deleted (sent as `swapGroup`). Jira refuses to delete a group that comments or worklogs "
      "are restricted to unless one is given. Set it, apply, then destroy: a delete uses the "
      "value in state.");
  swap.semantic_equal = tf::CaseInsensitiveEquality();
  swap.validators.push_back(tf::NonEmptyString());
  a.push_back(swap);
  return s;
}

class GroupResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "jira_group"; }
  tf::Schema GetSchema() const override { return GroupSchema(); }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  // fourplusone/jira's jira_group: id and name are the group name, as ours.
  void MoveState(const tf::MoveStateRequest& req, tf::MoveStateResponse& resp) override {
    if (!IsFourplusoneSource(req, "jira_group")) return;
    resp.accepted = true;
    resp.state = req.decoded;
    if (resp.state.is_known() && resp.state.attr("id").is_null()) {
      resp.state = resp.state.WithAttr("id", resp.state.attr("name"));
    }
  }

  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    if (req.proposed_new_state.is_null() || req.prior_state.is_null()) return;
    tf::Value plan = resp.planned_state.is_null() ? req.proposed_new_state : resp.planned_state;
    if (plan.attr("name") == req.prior_state.attr("name")) {
      resp.planned_state = plan.WithAttr("id", req.prior_state.attr("id"));
    }
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string name = tf::GetString(req.planned_state, "name").value_or("");
    auto created = client->CreateGroup(name);
    std::optional<jira::Group> group;
    if (created.ok()) {
      group = created.value();
    } else if (MayHaveBeenApplied(created.error())) {
      // The answer may have been lost after Jira created the group: look before failing.
      auto found = client->GetGroup(name);
      if (found.ok()) {
        tf::log::Info("adopting group created by a request whose answer was lost",
                      {{"name", name}});
        group = found.value();
      }
    }
    if (!group) {
      const jira::Error& e = created.error();
      // Jira answers a duplicate with 400, worded in the account's language: whether the
      // group exists is read from Jira, not from the message.
      if (e.http_status == 400 && client->GetGroup(name).ok()) {
        diags.AddAttributeError(tf::Path().AtName("name"), "Jira group already exists",
                                e.Message() +
                                    " To manage the existing group, import it: terraform import "
                                    "<address> \"" + name + "\"");
      } else {
        AddJiraError(diags, "Cannot create Jira group \"" + name + "\"", e, kGroupFields);
      }
      resp.state = tf::Value::Null(req.planned_state.type());
      return;
    }
    resp.state = StateFrom(*group, req.planned_state);
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string id = tf::GetString(req.current_state, "id").value_or("");
    auto group = client->GetGroup(id);
    if (!group.ok()) {
      if (group.error().kind == jira::ErrorKind::kNotFound) {
        resp.state = tf::Value::Null(req.current_state.type());
        return;
      }
      AddJiraError(diags, "Cannot read Jira group \"" + id + "\"", group.error());
      return;
    }
    resp.state = StateFrom(group.value(), req.current_state);
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    // Only a case-insensitive-equal name (anything else replaces) or delete_swap_group, which
    // is used on delete only, can change here: nothing to change in Jira.
    resp.state = req.planned_state.WithAttr("id", req.prior_state.attr("id"));
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string id = tf::GetString(req.prior_state, "id").value_or("");
    std::optional<std::string> swap = tf::GetString(req.prior_state, "delete_swap_group");
    auto st = client->DeleteGroup(id, swap);
    if (st.ok() || st.error().kind == jira::ErrorKind::kNotFound) return;
    const jira::Error& e = st.error();
    if (MayHaveBeenApplied(e) || e.http_status == 400) {
      auto check = client->GetGroup(id);
      if (!check.ok() && check.error().kind == jira::ErrorKind::kNotFound) return;
      if (check.ok() && e.http_status == 400 && !swap) {
        // 400 and the group still there, with no swapGroup sent: the refusal Jira documents
        // for groups that comments or worklogs are restricted to. Its words stay for the user.
        diags.AddAttributeError(
            tf::Path().AtName("delete_swap_group"), "Jira refuses to delete group \"" + id + "\"",
            "Jira: " + e.Message() + ". When comments or worklogs are restricted to this group, "
            "Jira deletes it only if they are handed to another group: set delete_swap_group to "
            "that group's name, apply, then delete again.");
        return;
      }
    }
    AddJiraError(diags, "Cannot delete Jira group \"" + id + "\"", e, kGroupFields);
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    if (req.id.empty()) {
      resp.diagnostics.AddError("Invalid import id", "Import a jira_group by its name.");
      return;
    }
    // The name is left to Read, so that state takes Jira's spelling ("qa/testers" imported
    // as "QA/Testers"), not the letter case of the id typed on the command line.
    resp.state = resp.state.WithAttr("id", tf::Value::String(req.id));
  }

 private:
  tf::Value StateFrom(const jira::Group& g, const tf::Value& reference) const {
    tf::Value name = reference.attr("name");
    if (!name.is_known() || !text::EqualsIgnoreCase(name.as_string(), g.name)) {
      name = tf::Value::String(g.name);
    }
    tf::Value swap = reference.attr("delete_swap_group");
    if (!swap.is_known()) swap = tf::Value::Null(tf::Type::String());
    return tf::Value::ObjectOf(GetSchema().ImpliedType(), {{"id", tf::Value::String(g.name)},
                                                           {"name", name},
                                                           {"delete_swap_group", swap}});
  }

  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::Resource> NewGroupResource() { return std::make_unique<GroupResource>(); }

}  // namespace tfjira
