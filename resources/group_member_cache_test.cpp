// GroupMemberCache: one fetch per group shared by concurrent readers, invalidation by writes,
// errors never cached. Run under TSan with the rest of resources_unit_test.
#include "resources/group_member_cache.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace tfjira {
namespace {

std::vector<jira::User> UsersNamed(std::vector<std::string> names) {
  std::vector<jira::User> out;
  for (auto& n : names) out.push_back(jira::User{"K" + n, n, "", "", true, {}});
  return out;
}

TEST(GroupMemberCacheTest, ConcurrentReadsOfOneGroupShareOneFetch) {
  GroupMemberCache cache;
  std::atomic<int> fetches{0};
  std::atomic<bool> release{false};
  auto fetch = [&]() -> jira::Result<std::vector<jira::User>> {
    ++fetches;
    while (!release) std::this_thread::yield();  // hold every other reader in the wait
    return UsersNamed({"Alice", "bob"});
  };
  std::vector<std::thread> readers;
  std::atomic<int> found{0};
  for (int i = 0; i < 16; ++i) {
    readers.emplace_back([&] {
      auto r = cache.Get("Team", fetch);
      if (r.ok() && r.value()->Contains("ALICE")) ++found;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(fetches.load(), 1);
  EXPECT_EQ(found.load(), 16);
  // Group names compare as Jira compares them.
  EXPECT_TRUE(cache.Get("TEAM", fetch).ok());
  EXPECT_EQ(fetches.load(), 1);
}

TEST(GroupMemberCacheTest, WritesInvalidateAndErrorsAreNotCached) {
  GroupMemberCache cache;
  int fetches = 0;
  bool fail = true;
  auto fetch = [&]() -> jira::Result<std::vector<jira::User>> {
    ++fetches;
    if (fail) {
      jira::Error e;
      e.kind = jira::ErrorKind::kServer;
      e.http_status = 503;
      return e;
    }
    return UsersNamed({"carol"});
  };
  EXPECT_FALSE(cache.Get("g", fetch).ok());  // an injected fault
  fail = false;
  auto ok = cache.Get("g", fetch);  // not cached: fetched again
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok.value()->Contains("Carol"));
  EXPECT_EQ(fetches, 2);
  EXPECT_TRUE(cache.Get("g", fetch).ok());
  EXPECT_EQ(fetches, 2);
  cache.Invalidate("G");
  EXPECT_TRUE(cache.Get("g", fetch).ok());
  EXPECT_EQ(fetches, 3);
}

TEST(GroupMemberCacheTest, ConcurrentReadsAndWritesNeverServeAPreWriteFetchAfterInvalidate) {
  GroupMemberCache cache;
  std::atomic<int> version{0};
  auto fetch = [&]() -> jira::Result<std::vector<jira::User>> {
    return UsersNamed({"v" + std::to_string(version.load())});
  };
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      while (!stop) (void)cache.Get("g", fetch);
    });
  }
  for (int v = 1; v <= 200; ++v) {
    version = v;  // a write to the group...
    cache.Invalidate("g");  // ...invalidates it: later reads see v or newer
    auto r = cache.Get("g", fetch);
    ASSERT_TRUE(r.ok());
    const std::string name = r.value()->users.at(0).name;
    EXPECT_GE(std::stoi(name.substr(1)), v);
  }
  stop = true;
  for (auto& t : readers) t.join();
}

TEST(GroupMemberCacheTest, BothResourceTypesOnOneGroupWarnOnce) {
  GroupMemberCache cache;
  EXPECT_FALSE(cache.NoteManager("devs", GroupMemberCache::Manager::kGroupMembers));
  EXPECT_FALSE(cache.NoteManager("devs", GroupMemberCache::Manager::kGroupMembers));
  EXPECT_TRUE(cache.NoteManager("DEVS", GroupMemberCache::Manager::kGroupMembership));
  EXPECT_FALSE(cache.NoteManager("devs", GroupMemberCache::Manager::kGroupMembership));
  EXPECT_FALSE(cache.NoteManager("ops", GroupMemberCache::Manager::kGroupMembership));
}

}  // namespace
}  // namespace tfjira
