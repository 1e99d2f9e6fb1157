// jira_group_members: the complete, authoritative member list of one group.
//
// Members are read from GET /rest/api/2/group/member (50 users a page, includeInactiveUsers=
// true): the group's members, and, where the directory nests groups, its subgroups' members
// too (REST v2 cannot tell them apart; see the resource description). Users added in Jira
// by hand are removed on the next apply, users removed by hand are added back. Destroy
// removes exactly the users the configuration lists, and keeps the group.
// Usernames compare as Jira compares them (text::EqualsIgnoreCase); the configuration's
// spelling is kept in state.
//
// Which users are listed is kept in state, in the computed attribute removed_on_destroy,
// not in private state: Delete sees neither the configuration nor a plan, and listing a
// user who is already a member (added by hand) changes nothing Jira holds, so the plan
// would be empty and no apply would record the listing. Terraform keeps a planned private
// only when it applies the change (a no-op change keeps the refreshed object, private
// included: checked with Terraform 1.11), so the plan instead shows the user joining
// removed_on_destroy as an in-place update, which the apply records and after which the
// next plan is empty. Computed attributes planned by the provider work the same in every
// Terraform from 0.12 on and in OpenTofu.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "provider/text/unicode.h"
#include "resources/all.h"
#include "resources/attributes.h"
#include "resources/group_member_cache.h"
#include "resources/jira_access.h"

namespace tfjira {
namespace {

using NameSet = std::set<std::string, text::LessIgnoreCase>;

std::vector<std::string> Strings(const tf::Value& set) {
  std::vector<std::string> out;
  if (!set.is_known()) return out;
  for (const auto& v : set.items()) {
    if (v.is_known()) out.push_back(v.as_string());
  }
  return out;
}

tf::Value StringSet(const std::vector<std::string>& names) {
  std::vector<tf::Value> items;
  for (const auto& n : names) items.push_back(tf::Value::String(n));
  return tf::Value::Set(tf::Type::String(), std::move(items));
}

// True when both sets hold the same names, ignoring letter case.
bool SameNames(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  // Not set operator==: that compares elements with std::string's ==, not the set's order.
  NameSet x(a.begin(), a.end()), y(b.begin(), b.end());
  if (x.size() != y.size()) return false;
  for (const auto& name : x) {
    if (!y.count(name)) return false;
  }
  return true;
}

constexpr char kRemovedOnDestroy[] = "removed_on_destroy";

tf::Schema MembersSchema() {
  tf::Schema s;
  s.block.description =
      "The complete member list of one Jira group. This resource is authoritative: users added "
      "to the group outside Terraform are removed on the next apply, and users removed by hand "
      "are added back. Destroying it removes exactly the users listed in `usernames` (recorded "
      "in `removed_on_destroy`) and keeps the group; users added by hand and never listed "
      "stay members.\n\n"
      "Do not combine it with `jira_group_membership` for the same group: the two would undo "
      "each other on every apply (the provider warns when it sees both in one configuration).\n\n"
      "On directories with nested groups, Jira lists the members of subgroups among the "
      "group's members, and its REST API cannot tell them from direct members nor remove "
      "them: list them in `usernames` too (they stay members through the subgroup, and are "
      "not made direct members), or the apply fails naming them. Destroy leaves them in the "
      "group, with a warning.";
  auto& a = s.block.attributes;
  a.push_back(StableIdAttr("id", "The group name."));
  tf::Attribute group = RequiredAttr(
      "group", tf::Type::String(),
      "The group name. Letter case alone is no change; another group replaces the resource.");
  group.requires_replace = true;
  group.semantic_equal = tf::CaseInsensitiveEquality();
  group.validators.push_back(tf::NonEmptyString());
  a.push_back(group);
  tf::Attribute usernames = RequiredAttr("usernames", tf::Type::Set(tf::Type::String()),
                                         "Usernames (not keys) of every member. Letter case "
                                         "alone is no change. An empty set removes every "
                                         "member.");
  usernames.semantic_equal = [](const tf::Value& a, const tf::Value& b) {
    return a.is_known() && b.is_known() && SameNames(Strings(a), Strings(b));
  };
  a.push_back(usernames);
  a.push_back(ComputedAttr(
      kRemovedOnDestroy, tf::Type::Set(tf::Type::String()),
      "The users destroy removes from the group: those listed in `usernames` at the last "
      "apply (after an import, the group's members when it was imported). Listing a user who "
      "is already a member changes no membership, but plans an in-place update of this "
      "attribute, so that destroy removes that user too."));
  return s;
}

class GroupMembersResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "jira_group_members"; }
  tf::Schema GetSchema() const override { return MembersSchema(); }
  void Configure(const std::any& data, tf::Diagnostics& diags) override {
    jira_.Configure(data, diags);
  }

  void ValidateConfig(const tf::ValidateResourceRequest& req,
                      tf::ValidateResourceResponse& resp) override {
    const tf::Value& names = req.config.attr("usernames");
    if (!names.is_known()) return;
    NameSet seen;
    for (const auto& v : names.items()) {
      if (!v.is_known()) continue;
      if (v.as_string().empty()) {
        resp.diagnostics.AddAttributeError(tf::Path().AtName("usernames"), "Empty username",
                                           "Every entry of usernames must name a user.");
      } else if (!seen.insert(v.as_string()).second) {
        resp.diagnostics.AddAttributeError(
            tf::Path().AtName("usernames"), "Duplicate username",
            "\"" + v.as_string() + "\" is listed twice (Jira ignores letter case in usernames).");
      }
    }
  }

  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    if (req.proposed_new_state.is_null()) return;
    tf::Value plan = resp.planned_state.is_null() ? req.proposed_new_state : resp.planned_state;
    resp.planned_state = plan.WithAttr(kRemovedOnDestroy, PlanRemovedOnDestroy(req));
    if (auto g = tf::GetString(plan, "group"); g && jira_.member_cache() &&
        jira_.member_cache()->NoteManager(*g, GroupMemberCache::Manager::kGroupMembers)) {
      resp.diagnostics.AddAttributeWarning(tf::Path().AtName("group"), "Group managed twice",
                                           GroupMemberCache::BothManageWarning(*g));
    }
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    auto& diags = resp.diagnostics;
    const tf::Value& plan = req.planned_state;
    resp.state = tf::Value::Null(plan.type());
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string group = tf::GetString(plan, "group").value_or("");
    auto found = client->GetGroup(group);
    if (!found.ok()) {
      if (found.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("group"), "Group not found",
                                "Jira has no group named \"" + group + "\". Create it first, "
                                "for example with jira_group.");
      } else {
        AddJiraError(diags, "Cannot read Jira group \"" + group + "\"", found.error());
      }
      return;
    }
    std::vector<std::string> desired = Strings(plan.attr("usernames"));
    bool settled = Reconcile(*client, group, desired, diags);
    // From here on the group's members may have changed: state must say so.
    resp.state = WithListed(plan.WithAttr("id", tf::Value::String(group)), desired);
    if (!settled) ReadInto(*client, group, resp.state, diags);
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    const tf::Value& state = req.current_state;
    std::string group = tf::GetString(state, "id").value_or("");
    std::vector<jira::User> members;
    auto* cache = jira_.member_cache();
    auto fetch = [&] { return client->GetAllGroupMembers(group, /*include_inactive=*/true); };
    if (cache) {
      auto snapshot = cache->Get(group, fetch);
      if (snapshot.ok()) {
        members = snapshot.value()->users;
      } else if (!Gone(*client, group, snapshot.error(), diags)) {
        return;
      } else {
        resp.state = tf::Value::Null(state.type());
        return;
      }
    } else {
      auto all = fetch();
      if (!all.ok()) {
        if (Gone(*client, group, all.error(), diags)) resp.state = tf::Value::Null(state.type());
        return;
      }
      members = all.value();
    }
    resp.state = StateFrom(state, group, members);
    if (resp.state.attr(kRemovedOnDestroy).is_null()) {
      // Just imported: the import adopts the members it finds, and destroy removes them.
      resp.state = resp.state.WithAttr(kRemovedOnDestroy, resp.state.attr("usernames"));
    }
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string group = tf::GetString(req.prior_state, "id").value_or("");
    std::vector<std::string> desired = Strings(req.planned_state.attr("usernames"));
    bool settled = Reconcile(*client, group, desired, diags);
    resp.state = WithListed(req.planned_state.WithAttr("id", req.prior_state.attr("id")), desired);
    if (!settled) ReadInto(*client, group, resp.state, diags);
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    auto& diags = resp.diagnostics;
    auto client = jira_.Client(req.cancel, diags);
    if (!client) return;
    std::string group = tf::GetString(req.prior_state, "id").value_or("");
    // The listed users. (Every object read once holds the record; without one, as an
    // import would be before its read, the members the state holds.)
    const tf::Value& recorded = req.prior_state.attr(kRemovedOnDestroy);
    const std::vector<std::string> names =
        Strings(recorded.is_known() ? recorded : req.prior_state.attr("usernames"));
    for (const auto& name : names) {
      auto removed = WriteMembers(jira_.member_cache(), group,
                                  [&] { return client->RemoveUserFromGroup(group, name); });
      if (removed.ok() || removed.error().kind == jira::ErrorKind::kNotFound) {
        continue;  // gone already: the user or the group
      }
      // Refused, or the answer was lost: Jira's state decides, never the error's wording
      // (which follows the account's language).
      const auto member = MemberNow(*client, group, name);
      if (member == false) continue;
      if (member == true && removed.error().http_status == 400) {
        // Still listed after a refusal: through a subgroup (nested groups). Nothing direct
        // is left to remove; the user keeps the group through the subgroup.
        diags.AddWarning("\"" + name + "\" is still in group \"" + group + "\"",
                         GroupMemberCache::InheritedMembership(removed.error().Message()));
        continue;
      }
      AddJiraError(diags, "Cannot remove \"" + name + "\" from group \"" + group + "\"",
                   removed.error());
      return;
    }
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    if (req.id.empty()) {
      resp.diagnostics.AddError("Invalid import id",
                                "Import a jira_group_members by the group name, e.g. "
                                "gitlab-developers.");
      return;
    }
    resp.state = resp.state.WithAttr("id", tf::Value::String(req.id))
                     .WithAttr("group", tf::Value::String(req.id));
  }

 private:
  // The planned removed_on_destroy: the configuration's usernames, unknown while they are;
  // the prior value where the names are the same but for letter case (no change to show).
  static tf::Value PlanRemovedOnDestroy(const tf::ModifyPlanRequest& req) {
    const tf::Value& listed = req.config.attr("usernames");
    if (!listed.IsWhollyKnown()) return tf::Value::Unknown(tf::Type::Set(tf::Type::String()));
    const std::vector<std::string> names = Strings(listed);  // null: none
    if (!req.prior_state.is_null()) {
      const tf::Value& prior = req.prior_state.attr(kRemovedOnDestroy);
      if (prior.is_known() && SameNames(Strings(prior), names)) return prior;
    }
    return StringSet(names);
  }

  // `state` with removed_on_destroy set to `desired` where the plan left it unknown.
  static tf::Value WithListed(const tf::Value& state, const std::vector<std::string>& desired) {
    if (state.attr(kRemovedOnDestroy).is_known()) return state;
    return state.WithAttr(kRemovedOnDestroy, StringSet(desired));
  }

  // Whether Jira lists `name` in `group` now (through the user's groups); nullopt when the
  // read fails. A user that does not exist is in no group.
  static std::optional<bool> MemberNow(jira::Client& client, const std::string& group,
                                       const std::string& name) {
    auto user = client.GetUserByName(name, /*with_groups=*/true);
    if (!user.ok()) {
      if (user.error().kind == jira::ErrorKind::kNotFound) return false;
      return std::nullopt;
    }
    return InGroup(user.value(), group);
  }

  static bool InGroup(const jira::User& user, const std::string& group) {
    for (const auto& g : user.groups) {
      if (text::EqualsIgnoreCase(g, group)) return true;
    }
    return false;
  }

  // True when the group is gone (confirmed by a direct read); otherwise reports the error.
  static bool Gone(jira::Client& client, const std::string& group, const jira::Error& e,
                   tf::Diagnostics& diags) {
    if (e.kind == jira::ErrorKind::kNotFound) {
      auto g = client.GetGroup(group);
      if (!g.ok() && g.error().kind == jira::ErrorKind::kNotFound) return true;
    }
    AddJiraError(diags, "Cannot read the members of group \"" + group + "\"", e);
    return false;
  }

  // Jira's members, spelled as `reference` spells them where the names agree.
  tf::Value StateFrom(const tf::Value& reference, const std::string& group,
                      const std::vector<jira::User>& members) const {
    std::vector<std::string> known = Strings(reference.attr("usernames"));
    std::vector<std::string> names;
    for (const auto& u : members) {
      std::string name = u.name;
      for (const auto& k : known) {
        if (text::EqualsIgnoreCase(k, u.name)) name = k;
      }
      names.push_back(name);
    }
    tf::Value group_value = reference.attr("group").is_known()
                                ? reference.attr("group")
                                : tf::Value::String(group);
    return tf::Value::ObjectOf(GetSchema().ImpliedType(),
                               {{"id", tf::Value::String(group)},
                                {"group", group_value},
                                {"usernames", StringSet(names)},
                                {kRemovedOnDestroy, reference.attr(kRemovedOnDestroy)}});
  }

  void ReadInto(jira::Client& client, const std::string& group, tf::Value& state,
                tf::Diagnostics& diags) {
    auto all = client.GetAllGroupMembers(group, /*include_inactive=*/true);
    if (!all.ok()) {
      AddJiraError(diags, "Cannot read the members of group \"" + group + "\"", all.error());
      return;
    }
    state = StateFrom(state, group, all.value());
  }

  // Adds and removes users until Jira's direct members are exactly `desired`. A call whose
  // answer was lost may have happened, so members are listed again and the difference
  // recomputed (a few rounds) rather than repeating calls blindly. True when settled.
  bool Reconcile(jira::Client& client, const std::string& group,
                 const std::vector<std::string>& desired, tf::Diagnostics& diags) {
    auto* cache = jira_.member_cache();
    constexpr int kRounds = 4;
    for (int round = 0; round < kRounds; ++round) {
      if (cache) cache->Invalidate(group);
      auto current = client.GetAllGroupMembers(group, /*include_inactive=*/true);
      if (!current.ok()) {
        if (MayHaveBeenApplied(current.error()) && round + 1 < kRounds) continue;
        AddJiraError(diags, "Cannot read the members of group \"" + group + "\"",
                     current.error());
        return false;
      }
      NameSet have;
      for (const auto& u : current.value()) have.insert(u.name);
      NameSet want(desired.begin(), desired.end());
      bool uncertain = false;
      for (const auto& name : have) {
        if (want.count(name)) continue;
        auto removed =
            WriteMembers(cache, group, [&] { return client.RemoveUserFromGroup(group, name); });
        if (removed.ok()) continue;
        if (MayHaveBeenApplied(removed.error())) { uncertain = true; continue; }
        const auto member = MemberNow(client, group, name);
        if (member == false) continue;  // left already: read, not worded
        ReportRemoveError(name, group, removed.error(), member, diags);
        return false;
      }
      for (const auto& name : want) {
        if (have.count(name)) continue;
        auto added = WriteMembers(cache, group, [&] { return client.AddUserToGroup(group, name); });
        if (added.ok()) continue;
        if (MayHaveBeenApplied(added.error())) { uncertain = true; continue; }
        if (MemberNow(client, group, name) == true) continue;  // in already: read, not worded
        ReportAddError(client, group, name, added.error(), diags);
        return false;
      }
      if (!uncertain) {
        if (cache) cache->Invalidate(group);
        return true;
      }
    }
    if (cache) cache->Invalidate(group);
    diags.AddError("Group members not settled",
                   "Jira kept failing while the members of group \"" + group +
                       "\" were changed; run apply again.");
    return false;
  }

  // A refused removal of a user Jira still lists in the group (`member` true) is, where
  // groups are nested, membership through a subgroup: say so, and that listing the user
  // settles it. Otherwise Jira's error.
  static void ReportRemoveError(const std::string& name, const std::string& group,
                                const jira::Error& e, std::optional<bool> member,
                                tf::Diagnostics& diags) {
    const std::string summary = "Cannot remove \"" + name + "\" from group \"" + group + "\"";
    if (member == true && e.http_status == 400) {
      diags.AddAttributeError(tf::Path().AtName("usernames"), summary,
                              GroupMemberCache::InheritedMembership(e.Message()) +
                                  " Or list the user in usernames.");
      return;
    }
    AddJiraError(diags, summary, e);
  }

  // A missing user is the configuration's fault: say so on `usernames`.
  static void ReportAddError(jira::Client& client, const std::string& group,
                             const std::string& name, const jira::Error& e,
                             tf::Diagnostics& diags) {
    const std::string summary = "Cannot add \"" + name + "\" to group \"" + group + "\"";
    if (e.kind == jira::ErrorKind::kNotFound || e.kind == jira::ErrorKind::kInvalid) {
      auto user = client.GetUserByName(name);
      if (!user.ok() && user.error().kind == jira::ErrorKind::kNotFound) {
        diags.AddAttributeError(tf::Path().AtName("usernames"), summary,
                                "Jira has no user named \"" + name + "\".");
        return;
      }
    }
    AddJiraError(diags, summary, e);
  }

  JiraAccess jira_;
};

}  // namespace

std::unique_ptr<tf::Resource> NewGroupMembersResource() {
  return std::make_unique<GroupMembersResource>();
}

}  // namespace tfjira
