// jira_group_membership: one user in one group. The id format is documented in
// membership_id.h. Adding a user who is already a member, or removing one who no longer
// is, counts as success; which of them is the case is always read from Jira (the user's
// groups), never taken from the wording of an error, which follows the account's language.
//
// Nested groups: Jira's REST API v2 has no way to tell a direct membership from one
// inherited through a subgroup. Atlassian's reference says GET /group/member "returns a
// paginated list of users who are members of the specified group and its subgroups", and
// GET /user?expand=groups lists the groups reached through nesting too. So a read sees the
// effective membership, through one call (expand=groups) rather than paging the group.
#include <string>

#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/fourplusone.h"
#include "resources/jira_access.h"
#include "resources/membership_id.h"
#include "provider/text/unicode.h"

namespace tfjira {
namespace {

tf::Schema MembershipSchema() {
  tf::Schema s;
  s.block.description =
      "Membership of one user in one group. The id is `<group>/<username>`: the username is "
      "everything after the last `/`, with `%` and `/` in it written as `%25` and `%2F`, so "
      "group names containing slashes still import. The membership is the user's **direct** "
      "membership, which is what is added and removed. On directories with nested groups, "
      "Jira's REST API cannot tell a direct membership from one inherited through a "
      "subgroup: a direct membership removed by hand while an inherited one remains is not "
      "seen as drift.";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "`<group>/<username>` (see the resource description)."));
  for (auto [name, desc] : {std::pair{"group", "The group name. Changing it replaces the "
                                               "membership; letter case alone is no change."},
                            std::pair{"username", "The username (not the key). Changing it "
                                                  "replaces the membership; letter case alone "
                                                  "is no change."}}) {
    tf::Attribute attr = RequiredAttr(name, tf::Type::String(), desc);
    attr.requires_replace = true;
    attr.semantic_equal = tf::CaseInsensitiveEquality();
    attr.validators.push_back(tf::NonEmptyString());
    a.push_back(attr);
  }
  return s;
}

bool HasGroup(const jira::User& user, const std::string& group) {
  for (const auto& g : user.groups) {
    if (text::EqualsIgnoreCase(g, group)) return true;
  }
  return false;
}

// Jira's answer to "is `username` in `group`?": true/false, or the error of the read.
// A user that does not exist is in no group.
jira::Result<bool> IsMember(jira::Client& client, const MembershipId& m) {
  auto user = client.GetUserByName(m.username, /*with_groups=*/true);
  if (!user.ok()) {
    if (user.error().kind == jira::ErrorKind::kNotFound) return false;
    return user.error();
  }
  return HasGroup(user.value(), m.group);
}

// Our id for a membership state, whatever id it was stored with (ours is unchanged by this).
// Without both attributes there is nothing to rebuild from: left as it is, for Read.
tf::Value WithOurId(const tf::Value& state) {
  auto group = tf::GetString(state, "group");
  auto username = tf::GetString(state, "username");
  if (!state.is_known() || !group || !username) return state;
  return state.WithAttr("id", tf::Value::String(EncodeMembershipId({*group, *username})));
}

class GroupMembershipResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "jira_group_membership"; }
  tf::Schema GetSchema() const override { return MembershipSchema(); }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  // fourplusone/jira's id is "<username>:<group>"; ours is rebuilt from the username and
  // group attributes, never parsed from it, since a username may itself contain ':'.
  void MoveState(const tf::MoveStateRequest& req, tf::MoveStateResponse& resp) override {
    if (!IsFourplusoneSource(req, "jira_group_membership")) return;
    resp.accepted = true;
    if (!tf::GetString(req.decoded, "group") || !tf::GetString(req.decoded, "username")) {
      resp.diagnostics.AddError("Invalid moved jira_group_membership state",
                                "The moved state has no group or username attribute to build the "
                                "membership from.");
      return;
    }
    resp.state = WithOurId(req.decoded);
  }
  void CompleteState(const tf::UpgradeStateRequest& req, tf::UpgradeStateResponse& resp) override {
    resp.state = WithOurId(req.decoded);
  }

  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    if (auto g = tf::GetString(req.proposed_new_state, "group"); g && jira_.member_cache() &&
        jira_.member_cache()->NoteManager(*g, GroupMemberCache::Manager::kGroupMembership)) {
      resp.diagnostics.AddAttributeWarning(tf::Path().AtName("group"), "Group managed twice",
                                           GroupMemberCache::BothManageWarning(*g));
    }
    if (req.proposed_new_state.is_null() || req.prior_state.is_null()) return;
    tf::Value plan = resp.planned_state.is_null() ? req.proposed_new_state : resp.planned_state;
    if (plan.attr("group") == req.prior_state.attr("group") &&
        plan.attr("username") == req.prior_state.attr("username")) {
      resp.planned_state = plan.WithAttr("id", req.prior_state.attr("id"));
    }
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    MembershipId m{tf::GetString(req.planned_state, "group").value_or(""),
                   tf::GetString(req.planned_state, "username").value_or("")};
    if (auto* cache = jira_.member_cache()) cache->Invalidate(m.group);
    auto added = client->AddUserToGroup(m.group, m.username);
    bool ok = added.ok();
    // A 400 (e.g. already a member) or a lost answer: Jira's state decides.
    if (!ok && (added.error().http_status == 400 || MayHaveBeenApplied(added.error()))) {
      auto member = IsMember(*client, m);
      ok = member.ok() && *member;
    }
    if (!ok) {
      Report(*client, diags, "Cannot add \"" + m.username + "\" to group \"" + m.group + "\"",
             added.error(), m);
      resp.state = tf::Value::Null(req.planned_state.type());
      return;
    }
    resp.state = State(m);
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& state = req.current_state;
    MembershipId m{tf::GetString(state, "group").value_or(""),
                   tf::GetString(state, "username").value_or("")};
    // Usually the group's shared member pages answer; a user missing there (or a failed
    // fetch) is confirmed by the direct read below before the membership leaves state.
    if (auto* cache = jira_.member_cache()) {
      auto members = cache->Get(m.group, [&] { return client->GetAllGroupMembers(m.group, true); });
      if (members.ok() && members.value()->Contains(m.username)) return;  // state unchanged
    }
    // The user with its groups answers all three questions at once: a deleted user is a
    // 404, and a deleted group or a removed membership is missing from the list.
    auto user = client->GetUserByName(m.username, /*with_groups=*/true);
    if (!user.ok()) {
      if (user.error().kind == jira::ErrorKind::kNotFound) {
        resp.state = tf::Value::Null(state.type());
        return;
      }
      AddJiraError(diags, "Cannot read Jira user \"" + m.username + "\"", user.error());
      return;
    }
    if (!HasGroup(user.value(), m.group)) {
      resp.state = tf::Value::Null(state.type());
      return;
    }
    resp.state = State(m);
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    // Both attributes force replacement; only case-equal values can reach an update.
    resp.state = req.planned_state.WithAttr("id", req.prior_state.attr("id"));
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    MembershipId m{tf::GetString(req.prior_state, "group").value_or(""),
                   tf::GetString(req.prior_state, "username").value_or("")};
    if (auto* cache = jira_.member_cache()) cache->Invalidate(m.group);
    auto removed = client->RemoveUserFromGroup(m.group, m.username);
    if (removed.ok() || removed.error().kind == jira::ErrorKind::kNotFound) {
      return;  // gone already: the user or the group
    }
    // A 400 (e.g. not a member) or a lost answer: Jira's state decides.
    if (removed.error().http_status == 400 || MayHaveBeenApplied(removed.error())) {
      auto member = IsMember(*client, m);
      if (member.ok() && !*member) return;
    }
    AddJiraError(diags,
                 "Cannot remove \"" + m.username + "\" from group \"" + m.group + "\"",
                 removed.error());
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    auto m = DecodeMembershipId(req.id);
    if (!m) {
      resp.diagnostics.AddError(
          "Invalid import id",
          "Import a jira_group_membership by \"<group>/<username>\" (the username is "
          "everything after the last slash), e.g. gitlab-developers/gitlab; got \"" + req.id +
              "\".");
      return;
    }
    resp.state = State(*m);
  }

 private:
  tf::Value State(const MembershipId& m) const {
    return tf::Value::ObjectOf(GetSchema().ImpliedType(),
                               {{"id", tf::Value::String(EncodeMembershipId(m))},
                                {"group", tf::Value::String(m.group)},
                                {"username", tf::Value::String(m.username)}});
  }

  // Places "does not exist" failures on the attribute that names the missing object.
  void Report(jira::Client& client, tf::Diagnostics& diags, const std::string& summary,
              const jira::Error& e, const MembershipId& m) const {
    if (e.kind == jira::ErrorKind::kNotFound || e.kind == jira::ErrorKind::kInvalid) {
      auto group = client.GetGroup(m.group);
      if (!group.ok() && group.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("group"), summary,
                                "Jira: " + e.Message() + " (the group does not exist)");
        return;
      }
      auto user = client.GetUserByName(m.username);
      if (!user.ok() && user.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("username"), summary,
                                "Jira: " + e.Message() + " (the user does not exist)");
        return;
      }
    }
    AddJiraError(diags, summary, e);
  }

  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::Resource> NewGroupMembershipResource() {
  return std::make_unique<GroupMembershipResource>();
}

}  // namespace tfjira
