#include "resources/group_member_cache.h"

#include "provider/text/unicode.h"

namespace tfjira {

bool GroupMemberCache::Members::Contains(std::string_view username) const {
  return names.count(text::JiraLowerCase(username)) > 0;
}

std::string GroupMemberCache::Key(const std::string& group) { return text::JiraLowerCase(group); }

jira::Result<GroupMemberCache::Snapshot> GroupMemberCache::Get(const std::string& group,
                                                              const Fetch& fetch) {
  const std::string key = Key(group);
  uint64_t generation = 0;
  {
    std::unique_lock lock(mu_);
    for (;;) {
      auto it = entries_.find(key);
      // Nothing cached, or only a failure that earlier callers have had: fetch anew.
      if (it == entries_.end() || (it->second.done && !it->second.result->ok())) break;
      if (it->second.done) return *it->second.result;
      // Another read is fetching this group: wait for it and share its answer, error
      // included. If the group is invalidated meanwhile, look again.
      const uint64_t waiting_for = it->second.generation;
      cv_.wait(lock, [&] {
        auto e = entries_.find(key);
        return e == entries_.end() || e->second.generation != waiting_for || e->second.done;
      });
      auto e = entries_.find(key);
      if (e != entries_.end() && e->second.generation == waiting_for) return *e->second.result;
    }
    generation = next_generation_++;
    entries_[key] = Entry{generation, false, nullptr};
    ++fetches_;
  }

  // Fetch outside the lock: it is a network round trip (or several pages).
  auto fetched = fetch();
  jira::Result<Snapshot> result = [&]() -> jira::Result<Snapshot> {
    if (!fetched.ok()) return fetched.error();
    auto members = std::make_shared<Members>();
    members->users = std::move(fetched.value());
    for (const auto& u : members->users) members->names.insert(text::JiraLowerCase(u.name));
    return Snapshot(std::move(members));
  }();

  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    // Not stored when the group was invalidated (or re-fetched) while this fetch ran.
    if (it != entries_.end() && it->second.generation == generation) {
      it->second.done = true;
      it->second.result = std::make_shared<jira::Result<Snapshot>>(result);
    }
  }
  cv_.notify_all();
  return result;
}

void GroupMemberCache::Invalidate(const std::string& group) {
  {
    std::lock_guard lock(mu_);
    entries_.erase(Key(group));
  }
  cv_.notify_all();
}

bool GroupMemberCache::NoteManager(const std::string& group, Manager who) {
  std::lock_guard lock(mu_);
  const std::string key = Key(group);
  auto& set = managers_[key];
  set.insert(who);
  return set.size() > 1 && warned_.insert(key).second;
}

std::string GroupMemberCache::BothManageWarning(const std::string& group) {
  return "Group \"" + group + "\" is managed by jira_group_members and by "
         "jira_group_membership in this configuration. jira_group_members is authoritative: it "
         "removes every member it does not list, so the two fight on every apply. Manage the "
         "group with one of them only.";
}

std::string GroupMemberCache::InheritedMembership(const std::string& jira_said) {
  return "Jira: " + jira_said + ". Jira still lists the user in the group. Where groups are "
         "nested, that is membership through a subgroup, which Jira's REST API cannot "
         "remove: only removing the user from the subgroup (or the subgroup from the group) "
         "ends it.";
}

int64_t GroupMemberCache::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

}  // namespace tfjira
