// The group member cache as jira_group_membership and jira_group_members use it: reads and
// writes of one group from many threads at once (as Terraform's parallel walk calls them),
// reads that run while a write is under way, and failed or lost answers. No membership may
// be dropped from state, kept after it is gone, or added twice. Part of resources_unit_test,
// which `make tsan` runs under ThreadSanitizer.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "resources/all.h"
#include "resources/testing/resource_testing.h"

namespace tfjira {
namespace {

using namespace tfjira::testing;  // NOLINT

// A FakeJira that runs `during_write` inside the next membership write, before it reaches
// Jira: what another thread's read would do while the write is on the wire.
class InterleavingJira : public FakeJira {
 public:
  std::function<void()> during_write;

  jira::Status AddUserToGroup(std::string_view group, std::string_view username) override {
    RunHook();
    return FakeJira::AddUserToGroup(group, username);
  }
  jira::Status RemoveUserFromGroup(std::string_view group, std::string_view username) override {
    RunHook();
    return FakeJira::RemoveUserFromGroup(group, username);
  }

 private:
  void RunHook() {
    std::function<void()> hook;
    {
      std::lock_guard lock(hook_mu_);  // writers of several threads get here at once
      hook.swap(during_write);
    }
    if (hook) hook();
  }
  std::mutex hook_mu_;
};

class GroupMemberCacheConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < kUsers; ++i) {
      const std::string key = "JIRAUSER" + std::to_string(10000 + i);
      fake_->users[key] = {{key, Name(i), Name(i) + "@example.com", Name(i), true, {}}, ""};
    }
    fake_->groups["devs"] = {};
    for (int i = 0; i < kStable; ++i) fake_->groups["devs"].push_back(Key(i));
    tf::Diagnostics d;
    membership_->Configure(DataFor(fake_), d);
    members_->Configure(DataFor(fake_), d);
    ASSERT_FALSE(d.HasError()) << d.ToString();
  }

  static constexpr int kUsers = 40;
  static constexpr int kStable = 20;  // users 0..19 are members throughout
  static std::string Name(int i) { return "user" + std::to_string(i); }
  static std::string Key(int i) { return "JIRAUSER" + std::to_string(10000 + i); }

  // State of a membership as an apply leaves it (with the member's key, so reads use the
  // group's cached member pages).
  tf::Value Membership(int i) {
    return Obj(membership_->GetSchema(), {{"id", S("devs/" + Name(i))},
                                          {"group", S("devs")},
                                          {"username", S(Name(i))},
                                          {"user_key", S(Key(i))}});
  }
  tf::ReadResponse Read(const tf::Value& state) {
    tf::ReadResponse resp{state, "", {}};
    membership_->Read({state, "", {}}, resp);
    return resp;
  }
  tf::CreateResponse Create(int i) {
    tf::Value plan = Obj(membership_->GetSchema(), {{"group", S("devs")}, {"username", S(Name(i))}});
    tf::CreateResponse resp{plan, "", {}};
    membership_->Create({plan, plan, "", {}}, resp);
    return resp;
  }
  tf::DeleteResponse Delete(const tf::Value& state) {
    tf::DeleteResponse resp;
    membership_->Delete({state, "", {}}, resp);
    return resp;
  }
  // How often `key` is among devs' members (read when no other thread runs).
  int TimesInDevs(const std::string& key) {
    const auto& m = fake_->groups["devs"];
    return static_cast<int>(std::count(m.begin(), m.end(), key));
  }

  std::shared_ptr<InterleavingJira> fake_ = std::make_shared<InterleavingJira>();
  std::unique_ptr<tf::Resource> membership_ = NewGroupMembershipResource();
  std::unique_ptr<tf::Resource> members_ = NewGroupMembersResource();
};

TEST_F(GroupMemberCacheConcurrencyTest, AReadDuringADeleteNeverKeepsTheDeletedMembership) {
  // user0 is deleted; while the DELETE is on the wire, another resource reads user1 of the
  // same group and caches the member page it sees, user0 still in it.
  fake_->during_write = [&] { EXPECT_FALSE(Read(Membership(1)).state.is_null()); };
  auto deleted = Delete(Membership(0));
  ASSERT_FALSE(deleted.diagnostics.HasError()) << deleted.diagnostics.ToString();
  EXPECT_EQ(TimesInDevs(Key(0)), 0);
  EXPECT_TRUE(Read(Membership(0)).state.is_null()) << "a page fetched during the delete was served";
  EXPECT_FALSE(Read(Membership(1)).state.is_null());
}

TEST_F(GroupMemberCacheConcurrencyTest, AReadDuringACreateNeverDropsTheNewMembership) {
  fake_->during_write = [&] { EXPECT_FALSE(Read(Membership(1)).state.is_null()); };
  auto created = Create(kStable);
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  EXPECT_FALSE(Read(created.state).state.is_null());
  EXPECT_EQ(TimesInDevs(Key(kStable)), 1);
}

TEST_F(GroupMemberCacheConcurrencyTest, ManyThreadsReadAndWriteOneGroup) {
  std::atomic<bool> stop{false};
  std::atomic<int> dropped{0}, reads{0}, errors{0};
  std::vector<std::thread> threads;
  // Readers: memberships that exist throughout must never leave state.
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; !stop; ++n) {
        auto r = Read(Membership((t * 7 + n) % kStable));
        ++reads;
        if (r.diagnostics.HasError()) ++errors;
        if (r.state.is_null()) ++dropped;
      }
    });
  }
  // Writers: each adds and removes its own users; a read right after sees the write.
  std::atomic<int> stale{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int round = 0; round < 10; ++round) {
        for (int i = kStable + w; i < kUsers; i += 2) {
          auto created = Create(i);
          if (created.diagnostics.HasError() || created.state.is_null()) { ++errors; continue; }
          if (Read(created.state).state.is_null()) ++stale;
          if (Delete(created.state).diagnostics.HasError()) ++errors;
          if (!Read(created.state).state.is_null()) ++stale;
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : threads) t.join();

  EXPECT_EQ(dropped.load(), 0) << "a membership that exists left state";
  EXPECT_EQ(stale.load(), 0) << "a read after a write did not see it";
  EXPECT_EQ(errors.load(), 0);
  for (int i = 0; i < kUsers; ++i) EXPECT_EQ(TimesInDevs(Key(i)), i < kStable ? 1 : 0) << Name(i);
  // The readers shared member pages instead of one request per read.
  EXPECT_LT(fake_->Calls("GetAllGroupMembers"), reads.load()) << reads.load() << " reads";
}

TEST_F(GroupMemberCacheConcurrencyTest, FailedPageFetchFallsBackToADirectRead) {
  jira::Error unavailable;
  unavailable.kind = jira::ErrorKind::kServer;
  unavailable.http_status = 503;
  fake_->FailNext("GetAllGroupMembers", unavailable, 3);
  for (int i = 0; i < 3; ++i) {
    auto r = Read(Membership(i));
    EXPECT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
    EXPECT_FALSE(r.state.is_null()) << "a failed page fetch dropped " << Name(i);
  }
  EXPECT_GE(fake_->Calls("GetUserByKey"), 3);  // each confirmed directly
}

TEST_F(GroupMemberCacheConcurrencyTest, LostAnswersNeitherDuplicateNorKeepMemberships) {
  EXPECT_FALSE(Read(Membership(0)).state.is_null());  // devs' page is cached now
  // The add reaches Jira, its answer is lost (and the retry finds the user in already).
  fake_->FailNext("AddUserToGroup", FakeJira::Transport(), 1, /*apply_first=*/true);
  auto created = Create(kStable);
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  EXPECT_EQ(TimesInDevs(Key(kStable)), 1);
  EXPECT_FALSE(Read(created.state).state.is_null());
  // The remove reaches Jira, its answer is lost: done, and no cached page brings it back.
  fake_->FailNext("RemoveUserFromGroup", FakeJira::Transport(), 1, /*apply_first=*/true);
  auto deleted = Delete(created.state);
  ASSERT_FALSE(deleted.diagnostics.HasError()) << deleted.diagnostics.ToString();
  EXPECT_EQ(TimesInDevs(Key(kStable)), 0);
  EXPECT_TRUE(Read(created.state).state.is_null());
}

}  // namespace
}  // namespace tfjira
