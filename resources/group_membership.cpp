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
//
// Jira holds a membership by the user KEY, which survives renames. So the state keeps the
// key (`user_key`), and a changed `username` that belongs to the same key (the user was
// renamed) is an in-place update that changes nothing in Jira. Only a username of another
// user moves the membership: the new user is added, then the old one removed.
#include <optional>
#include <string>

#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/fourplusone.h"
#include "resources/jira_access.h"
#include "resources/membership_id.h"
#include "provider/text/unicode.h"
#include "resources/validators.h"

namespace tfjira {
namespace {

tf::Schema MembershipSchema() {
  tf::Schema s;
  s.block.description =
      "Membership of one user in one group. The id is `<group>/<username>`: the username is "
      "everything after the last `/`, with `%` and `/` in it written as `%25` and `%2F`, so "
      "group names containing slashes still import. The membership is the user's **direct** "
      "membership, which is what is added and removed.\n\n"
      "On directories with nested groups, Jira's REST API cannot tell a direct membership "
      "from one inherited through a subgroup, so:\n\n"
      "- a direct membership removed by hand while an inherited one remains is not seen as "
      "drift (the user keeps the group's access through the subgroup); once the inherited "
      "membership goes too, the next plan finds the membership missing and adds it back;\n"
      "- a user who is a member only through a subgroup cannot be added directly (Jira "
      "counts the user as a member already), so creating the resource adopts that "
      "membership, and destroying it fails with an explanation, since only a change to the "
      "subgroup can end it (or `terraform state rm` to stop managing it).";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "`<group>/<username>` (see the resource description)."));
  for (auto [name, desc] : {std::pair{"group", "The group name. Changing it replaces the "
                                               "membership; letter case alone is no change."},
                            std::pair{"username", "The username (not the key). Renaming the user "
                                                  "(the new name has the same `user_key`) updates "
                                                  "the membership in place without touching Jira; "
                                                  "a username of another user moves the "
                                                  "membership to that user. Letter case alone is "
                                                  "no change."}}) {
    tf::Attribute attr = RequiredAttr(name, tf::Type::String(), desc);
    attr.requires_replace = std::string(name) == "group";
    attr.semantic_equal = tf::CaseInsensitiveEquality();
    attr.validators.push_back(tf::NonEmptyString());
    attr.validators.push_back(TrimmedNameValidator());
    a.push_back(attr);
  }
  a.push_back(ComputedAttr("user_key", tf::Type::String(),
                           "The key of the member, which Jira keeps across renames, so the "
                           "membership follows the user when `username` changes."));
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

// True only when Jira says the user is in the group now (a failed read counts as "not known
// to be", so the caller reports its own error).
bool IsMemberNow(jira::Client& client, const MembershipId& m) {
  auto member = IsMember(client, m);
  return member.ok() && member.value();
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
    const tf::Value& prior = req.prior_state;
    tf::Value plan = resp.planned_state.is_null() ? req.proposed_new_state : resp.planned_state;
    if (plan.attr("group") != prior.attr("group")) return;  // replaced: all new
    if (plan.attr("username") == prior.attr("username")) {
      resp.planned_state = plan.WithAttr("id", prior.attr("id")).WithAttr("user_key", prior.attr("user_key"));
      return;
    }
    // The username changed. The id follows the name; the key decides what happens in Jira.
    const tf::Value& username = plan.attr("username");
    tf::Value id = tf::Value::Unknown(tf::Type::String());
    if (username.is_known() && plan.attr("group").is_known()) {
      id = tf::Value::String(EncodeMembershipId({plan.attr("group").as_string(), username.as_string()}));
    }
    plan = plan.WithAttr("id", id).WithAttr("user_key", tf::Value::Unknown(tf::Type::String()));
    const tf::Value& prior_key = prior.attr("user_key");
    if (username.is_known() && prior_key.is_known() && !prior_key.is_null() && jira_.configured()) {
      // Ask Jira who the name belongs to now. Not found is the usual rename: the jira_user
      // change that gives the name is applied first, and Update decides then.
      tf::Diagnostics ignored;  // plan-time lookups are advisory; apply reports failures
      if (auto client = jira_.Client(req.cancel, ignored)) {
        auto user = client->GetUserByName(username.as_string());
        if (user.ok() && user->key == prior_key.as_string()) {
          plan = plan.WithAttr("user_key", prior_key);  // renamed already: same membership
        } else if (user.ok()) {
          // Another user: show the move honestly as a replacement.
          resp.requires_replace.push_back(tf::Path().AtName("username"));
        }
      }
    }
    resp.planned_state = plan;
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    MembershipId m{tf::GetString(req.planned_state, "group").value_or(""),
                   tf::GetString(req.planned_state, "username").value_or("")};
    auto added = WriteMembers(jira_.member_cache(), m.group,
                              [&] { return client->AddUserToGroup(m.group, m.username); });
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
    resp.state = State(m, KeyOf(*client, m.username));
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& state = req.current_state;
    MembershipId m{tf::GetString(state, "group").value_or(""),
                   tf::GetString(state, "username").value_or("")};
    // Usually the group's shared member pages answer; a user missing there (or a failed
    // fetch) is confirmed by the direct read below before the membership leaves state. A
    // state without the user's key (just imported or upgraded) takes the direct read, which
    // fills the key in.
    std::string key = tf::GetString(state, "user_key").value_or("");
    if (auto* cache = jira_.member_cache(); cache && !key.empty()) {
      auto members = cache->Get(m.group, [&] { return client->GetAllGroupMembers(m.group, true); });
      if (members.ok() && members.value()->Contains(m.username)) return;  // state unchanged
    }
    // The user with its groups answers all three questions at once: a deleted user is a
    // 404, and a deleted group or a removed membership is missing from the list. By key
    // when known, so a user renamed outside Terraform is still found (under its new name).
    auto user = key.empty() ? client->GetUserByName(m.username, /*with_groups=*/true)
                            : client->GetUserByKey(key, /*with_groups=*/true);
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
    if (!EqualsIgnoreCase(m.username, user->name)) m.username = user->name;  // renamed in Jira
    resp.state = State(m, user->key);
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    auto& diags = resp.diagnostics;
    const tf::Value& prior = req.prior_state;
    resp.state = prior;
    MembershipId m{tf::GetString(req.planned_state, "group").value_or(""),
                   tf::GetString(req.planned_state, "username").value_or("")};
    std::string old_name = tf::GetString(prior, "username").value_or("");
    std::string old_key = tf::GetString(prior, "user_key").value_or("");
    if (EqualsIgnoreCase(m.username, old_name)) {  // letter case only: nothing in Jira
      resp.state = req.planned_state.WithAttr("id", prior.attr("id"));
      return;
    }
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    auto user = client->GetUserByName(m.username, /*with_groups=*/true);
    if (!user.ok()) {
      if (user.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("username"), "Unknown user",
                                "Jira has no user named \"" + m.username + "\".");
      } else {
        AddJiraError(diags, "Cannot read Jira user \"" + m.username + "\"", user.error());
      }
      return;
    }
    bool same_user = !old_key.empty() && user->key == old_key;
    if (!HasGroup(user.value(), m.group)) {
      // A renamed user who left the group by hand is added back; another user is added
      // before the old one is removed, so the group never lacks both.
      auto added = WriteMembers(jira_.member_cache(), m.group,
                                [&] { return client->AddUserToGroup(m.group, m.username); });
      // A refusal is read back, never judged by its wording: the user may be in already.
      if (!added.ok() && !IsMemberNow(*client, m)) {
        Report(*client, diags, "Cannot add \"" + m.username + "\" to group \"" + m.group + "\"",
               added.error(), m);
        return;
      }
    }
    if (!same_user) {
      // The old member under whatever name it has now (it may have been renamed too).
      std::string old_member = old_name;
      if (!old_key.empty()) {
        auto old_user = client->GetUserByKey(old_key);
        if (old_user.ok()) old_member = old_user->name;
        else if (old_user.error().kind == jira::ErrorKind::kNotFound) old_member.clear();
      }
      if (!old_member.empty()) {
        auto removed = WriteMembers(jira_.member_cache(), m.group, [&] {
          return client->RemoveUserFromGroup(m.group, old_member);
        });
        if (!removed.ok() && removed.error().kind != jira::ErrorKind::kNotFound &&
            IsMemberNow(*client, MembershipId{m.group, old_member})) {
          // The new membership exists: state says so, and the old one is left to report.
          resp.state = State(m, user->key);
          AddJiraError(diags, "Cannot remove \"" + old_member + "\" from group \"" + m.group + "\"",
                       removed.error());
          return;
        }
      }
    }
    resp.state = State(m, user->key);
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    MembershipId m{tf::GetString(req.prior_state, "group").value_or(""),
                   tf::GetString(req.prior_state, "username").value_or("")};
    auto removed = WriteMembers(jira_.member_cache(), m.group,
                                [&] { return client->RemoveUserFromGroup(m.group, m.username); });
    if (removed.ok() || removed.error().kind == jira::ErrorKind::kNotFound) {
      return;  // gone already: the user or the group
    }
    // A 400 (e.g. not a member) or a lost answer: Jira's state decides.
    if (removed.error().http_status == 400 || MayHaveBeenApplied(removed.error())) {
      auto member = IsMember(*client, m);
      if (member.ok() && !*member) return;
      if (member.ok() && removed.error().http_status == 400) {
        // Refused, and Jira still lists the user in the group: an error (the membership
        // Terraform manages is still there), explained. On a directory with nested groups
        // this is membership through a subgroup, which only a change to the subgroup ends.
        diags.AddError("Cannot remove \"" + m.username + "\" from group \"" + m.group + "\"",
                       GroupMemberCache::InheritedMembership(removed.error().Message()) +
                           " To stop managing it instead: terraform state rm.");
        return;
      }
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
    resp.state = State(*m, std::nullopt);  // Read finds the key
  }

 private:
  tf::Value State(const MembershipId& m, const std::optional<std::string>& user_key) const {
    return tf::Value::ObjectOf(GetSchema().ImpliedType(),
                               {{"id", tf::Value::String(EncodeMembershipId(m))},
                                {"group", tf::Value::String(m.group)},
                                {"username", tf::Value::String(m.username)},
                                {"user_key", user_key ? tf::Value::String(*user_key)
                                                      : tf::Value::Null(tf::Type::String())}});
  }

  // The key of `username`, or nullopt when Jira cannot say now (Read fills it in later).
  static std::optional<std::string> KeyOf(jira::Client& client, const std::string& username) {
    auto user = client.GetUserByName(username);
    if (!user.ok()) return std::nullopt;
    return user->key;
  }

  // Places "does not exist" failures on the attribute that names the missing object.
  void Report(jira::Client& client, tf::Diagnostics& diags, const std::string& summary,
              const jira::Error& e, const MembershipId& m) const {
    if (e.kind == jira::ErrorKind::kNotFound || e.kind == jira::ErrorKind::kInvalid) {
      auto group = client.GetGroup(m.group);
      if (!group.ok() && group.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("group"), summary,
                                e.Message() + " (the group does not exist)");
        return;
      }
      auto user = client.GetUserByName(m.username);
      if (!user.ok() && user.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("username"), summary,
                                e.Message() + " (the user does not exist)");
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
