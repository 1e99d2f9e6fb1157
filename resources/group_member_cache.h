// GroupMemberCache: the members of Jira groups, fetched once per provider configuration and
// shared by every read of the same group.
//
// Refreshing N memberships would otherwise cost N requests (one per user); with the cache it
// costs one member listing per group (50 users a page). Concurrent reads of one group wait for
// a single fetch. Every write the provider makes to a group invalidates that group, so reads
// after a write fetch again. Errors are never cached. Callers that find a member missing must
// confirm with a direct read before acting on it: a page fetched a moment before a change by
// someone else is stale.
//
// Writes go through WriteMembers, which invalidates the group before and after the call: a
// read that runs while the write is on the wire may fetch (and would otherwise cache) a page
// from before it.
//
// It also remembers which resource types manage each group in this process, so the provider
// can warn when jira_group_members and jira_group_membership manage the same group.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "provider/jira/client.h"

namespace tfjira {

class GroupMemberCache {
 public:
  // One fetched member list. `names` holds each username lower-cased the way Jira compares
  // names (text::JiraLowerCase); `users` the users as Jira returned them.
  struct Members {
    std::vector<jira::User> users;
    std::set<std::string> names;
    bool Contains(std::string_view username) const;
  };
  using Snapshot = std::shared_ptr<const Members>;
  using Fetch = std::function<jira::Result<std::vector<jira::User>>()>;

  // The members of `group`: cached, or fetched by `fetch` (only one fetch per group runs at
  // a time; other callers wait for it and share its answer, error included).
  jira::Result<Snapshot> Get(const std::string& group, const Fetch& fetch);
  // Forgets `group`; a fetch already running is not cached when it finishes.
  void Invalidate(const std::string& group);

  enum class Manager { kGroupMembers, kGroupMembership };
  // Records that a resource of type `who` manages `group`; true the first time both types
  // have been recorded for the same group (so the conflict is reported once).
  bool NoteManager(const std::string& group, Manager who);
  // The warning both resource types show when NoteManager returns true.
  static std::string BothManageWarning(const std::string& group);
  // Explains a removal Jira refused (400) while it still lists the user in the group: on a
  // directory with nested groups, membership through a subgroup, which REST cannot end.
  // `jira_said` is Jira's own message.
  static std::string InheritedMembership(const std::string& jira_said);

  // Fetches started so far (for tests and benchmarks).
  int64_t fetches() const;

 private:
  struct Entry {
    uint64_t generation = 0;
    bool done = false;
    std::shared_ptr<jira::Result<Snapshot>> result;  // set when done
  };
  static std::string Key(const std::string& group);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> entries_;  // by JiraLowerCase(group)
  std::map<std::string, std::set<Manager>> managers_;
  std::set<std::string> warned_;
  uint64_t next_generation_ = 1;
  int64_t fetches_ = 0;
};

// Runs `write` (a call that changes the members of `group`) with `group` invalidated before
// and after it, so neither a page fetched earlier nor one fetched while the write ran is
// served once it has returned. With no cache (null) it only runs `write`.
template <typename Write>
auto WriteMembers(GroupMemberCache* cache, const std::string& group, Write&& write) {
  if (cache) cache->Invalidate(group);
  auto result = write();
  if (cache) cache->Invalidate(group);
  return result;
}

}  // namespace tfjira
