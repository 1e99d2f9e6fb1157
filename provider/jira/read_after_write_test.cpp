// Read-after-write tolerance (read_after_write.h) against the emulator playing a lagging Data
// Center: --stale-reads (the first read after a write answers 404) and a two-node cluster
// reached without cookies (reads alternate between the node that took the write and one that
// has not seen it). Each test first shows the plain client reading stale, so it could fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "acceptance_tests/emulator/server.h"
#include "provider/jira/client.h"
#include "provider/jira/read_after_write.h"

namespace jira {
namespace {

using std::chrono::milliseconds;

class ReadAfterWriteTest : public ::testing::Test {
 protected:
  void Start(emulator::Options options) {
    options.users = {{"carol", "carol-pw", "Carol", "carol@example.com", false, true}};
    server_ = std::make_unique<emulator::Server>(std::move(options));
    server_->Start();
  }
  void StartCluster() {
    emulator::Options o;
    o.nodes = 2;
    o.replication_delay = milliseconds(60000);  // nothing replicates during a test
    Start(o);
  }
  void StartStale() {
    emulator::Options o;
    o.faults.stale_reads = true;
    Start(o);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  // The plain client; `cookies` false plays a balancer without session affinity.
  std::shared_ptr<Client> Plain(bool cookies = false) {
    ClientConfig c;
    c.base_url = server_->url();
    c.username = "admin";
    c.password = "admin";
    c.max_retries = 0;
    c.keep_cookies = cookies;
    c.log = [this](std::string_view line) {
      std::lock_guard lock(mu_);
      log_.emplace_back(line);
    };
    auto client = NewBeastClient(c);
    EXPECT_TRUE(client.ok());
    return client.ok() ? client.value() : nullptr;
  }
  std::shared_ptr<Client> Tolerant(milliseconds budget = milliseconds(3000)) {
    ReadAfterWriteConfig config;
    config.budget = budget;
    config.first_delay = milliseconds(10);
    config.on_wait = [this](milliseconds d) {
      std::lock_guard lock(mu_);
      waits_.push_back(d);
    };
    config.log = [this](std::string_view line) {
      std::lock_guard lock(mu_);
      log_.emplace_back(line);
    };
    return WithReadAfterWrite(Plain(), config);
  }
  size_t Waits() {
    std::lock_guard lock(mu_);
    return waits_.size();
  }
  milliseconds Waited() {
    std::lock_guard lock(mu_);
    milliseconds total{0};
    for (auto d : waits_) total += d;
    return total;
  }
  int64_t StaleFaults() { return server_->Stats()["faults"].value("stale", int64_t{0}); }

  std::unique_ptr<emulator::Server> server_;
  std::mutex mu_;
  std::vector<milliseconds> waits_;
  std::vector<std::string> log_;
};

TEST_F(ReadAfterWriteTest, StaleReadsModeBitesThePlainClient) {
  StartStale();
  auto plain = Plain();
  ASSERT_TRUE(plain->CreateGroup("fresh").ok());
  auto r = plain->GetGroup("fresh");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
}

TEST_F(ReadAfterWriteTest, ANotFoundRightAfterOwnCreateIsReadAgain) {
  StartStale();
  auto client = Tolerant();
  ASSERT_TRUE(client->CreateGroup("fresh").ok());
  auto r = client->GetGroup("fresh");
  ASSERT_TRUE(r.ok()) << r.error().Message();
  EXPECT_EQ(StaleFaults(), 1);
  EXPECT_EQ(Waits(), 1u);

  // The scheme of the issue: its grants listed right after creating it.
  PermissionScheme s;
  s.name = "GitLab integration";
  s.grants = {{0, "BROWSE_PROJECTS", {"group", "fresh"}}};
  auto created = client->CreatePermissionScheme(s);
  ASSERT_TRUE(created.ok()) << created.error().Message();
  auto grants = client->ListGrants(created->id);
  ASSERT_TRUE(grants.ok()) << grants.error().Message();
  EXPECT_EQ(grants->size(), 1u);
  EXPECT_EQ(StaleFaults(), 2);

  auto user = client->CreateUser({"dora", "dora@example.com", "Dora", std::string("pw-dora-1"), false});
  ASSERT_TRUE(user.ok()) << user.error().Message();
  EXPECT_TRUE(client->GetUserByKey(user->key).ok());
  EXPECT_EQ(StaleFaults(), 3);
}

TEST_F(ReadAfterWriteTest, AConfirmedWriteGetsOnlyABriefSecondLookSoDriftShowsQuickly) {
  StartStale();
  auto client = Tolerant();
  ASSERT_TRUE(client->CreateGroup("drifting").ok());
  ASSERT_TRUE(client->GetGroup("drifting").ok());
  const size_t waits = Waits();
  const milliseconds waited = Waited();
  // Someone deletes it by hand: two quick retries (10 + 20 ms here), then it counts.
  server_->router().WithStore([](emulator::Store& s) { s.groups.erase("drifting"); });
  auto r = client->GetGroup("drifting");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Waits(), waits + 2);
  EXPECT_EQ(Waited() - waited, milliseconds(30));
  // And then it is forgotten: the next read is taken at once.
  EXPECT_FALSE(client->GetGroup("drifting").ok());
  EXPECT_EQ(Waits(), waits + 2);
}

TEST_F(ReadAfterWriteTest, AConfirmedWriteStillCoversALaterStaleRead) {
  StartStale();
  auto client = Tolerant();
  ASSERT_TRUE(client->CreateGroup("older").ok());
  ASSERT_TRUE(client->GetGroup("older").ok());
  // Another write makes the next read stale (--stale-reads): a group this process created a
  // moment ago is read again rather than taken as deleted.
  ASSERT_TRUE(client->CreateGroup("newer").ok());
  EXPECT_TRUE(client->GetGroup("older").ok());
  EXPECT_EQ(StaleFaults(), 2);
}

TEST_F(ReadAfterWriteTest, TheRetriesAreBoundedAndThenTheAnswerCounts) {
  StartStale();
  auto client = Tolerant(milliseconds(300));
  ASSERT_TRUE(client->CreateGroup("vanishing").ok());
  server_->router().WithStore([](emulator::Store& s) { s.groups.erase("vanishing"); });
  const auto start = std::chrono::steady_clock::now();
  auto r = client->GetGroup("vanishing");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  EXPECT_GE(Waits(), 2u);
  EXPECT_LE(Waited(), milliseconds(300));
  EXPECT_LT(took, std::chrono::seconds(3));
  // It counted: the next read is not retried.
  const size_t waits = Waits();
  EXPECT_FALSE(client->GetGroup("vanishing").ok());
  EXPECT_EQ(Waits(), waits);
}

TEST_F(ReadAfterWriteTest, ReadsOfObjectsNotWrittenHereAreNeverRetried) {
  StartStale();
  auto client = Tolerant();
  ASSERT_TRUE(client->CreateGroup("mine").ok());
  EXPECT_FALSE(client->GetGroup("never-there").ok());
  EXPECT_EQ(Waits(), 0u);
}

TEST_F(ReadAfterWriteTest, WithoutCookiesAClusterAnswersOldValuesThatAreReadAgain) {
  StartCluster();
  // Plain, without cookies: node1 takes the write, node2 answers the old value.
  auto plain = Plain(false);
  auto carol = plain->GetUserByName("carol");  // node1
  ASSERT_TRUE(carol.ok());
  UserChanges change;
  change.display_name = "Carol Renamed";
  ASSERT_TRUE(plain->UpdateUser(carol->key, change).ok());  // node2
  auto old = plain->GetUserByName("carol");                 // node1: has not seen it
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->display_name, "Carol");

  auto client = Tolerant();
  change.display_name = "Carol Again";
  ASSERT_TRUE(client->UpdateUser(carol->key, change).ok());
  auto fresh = client->GetUserByName("carol");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->display_name, "Carol Again");
  EXPECT_GE(Waits(), 1u);
}

// Each write is followed by one read, as a resource does; a confirmed write is forgotten (so
// without affinity a later read may still meet the lagging node: the cookie jar prevents that).
TEST_F(ReadAfterWriteTest, MembershipsGrantsAndAssignmentsInACluster) {
  StartCluster();
  auto client = Tolerant();
  ASSERT_TRUE(client->CreateGroup("devs").ok());
  ASSERT_TRUE(client->GetGroup("devs").ok());
  ASSERT_TRUE(client->AddUserToGroup("devs", "carol").ok());
  auto with_groups = client->GetUserByName("carol", true);
  ASSERT_TRUE(with_groups.ok());
  EXPECT_NE(std::find(with_groups->groups.begin(), with_groups->groups.end(), "devs"),
            with_groups->groups.end());
  ASSERT_TRUE(client->RemoveUserFromGroup("devs", "carol").ok());
  auto members = client->GetAllGroupMembers("devs", true);
  ASSERT_TRUE(members.ok()) << members.error().Message();
  EXPECT_TRUE(members->empty());
  ASSERT_TRUE(client->AddUserToGroup("devs", "carol").ok());
  members = client->GetAllGroupMembers("devs", true);
  ASSERT_TRUE(members.ok()) << members.error().Message();
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ(members->front().name, "carol");

  PermissionScheme s;
  s.name = "Cluster scheme";
  auto created = client->CreatePermissionScheme(s);
  ASSERT_TRUE(created.ok()) << created.error().Message();
  auto grant = client->AddGrant(created->id, {0, "BROWSE_PROJECTS", {"group", "devs"}});
  ASSERT_TRUE(grant.ok()) << grant.error().Message();
  auto grants = client->ListGrants(created->id);
  ASSERT_TRUE(grants.ok()) << grants.error().Message();
  ASSERT_EQ(grants->size(), 1u);
  auto second = client->AddGrant(created->id, {0, "ADMINISTER_PROJECTS", {"group", "devs"}});
  ASSERT_TRUE(second.ok()) << second.error().Message();
  EXPECT_TRUE(client->GetGrant(created->id, second->id).ok());
  ASSERT_TRUE(client->DeleteGrant(created->id, grant->id).ok());
  auto after = client->GetPermissionScheme(created->id);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->grants.size(), 1u);
  EXPECT_EQ(after->grants[0].id, second->id);
  auto renamed = client->UpdatePermissionScheme(created->id, "Cluster scheme 2", "changed");
  ASSERT_TRUE(renamed.ok());
  auto read = client->GetPermissionScheme(created->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->name, "Cluster scheme 2");

  ASSERT_TRUE(client->AssignSchemeToProject("GL", created->id).ok());
  auto assigned = client->GetProjectPermissionScheme("GL");
  ASSERT_TRUE(assigned.ok()) << assigned.error().Message();
  EXPECT_EQ(assigned->id, created->id);
  EXPECT_GE(Waits(), 5u);
}

// Access given or taken away is read back with expand=applicationRoles: the plain client reads
// the old access from a stale node, the tolerant one reads again until the change shows.
TEST_F(ReadAfterWriteTest, ApplicationAccessChangedIsReadAgainUntilItShows) {
  StartStale();
  auto plain = Plain();
  auto carol = plain->GetUserByName("carol");
  ASSERT_TRUE(carol.ok());
  auto has = [](const Result<User>& u, const std::string& app) {
    return u.ok() && u->applications &&
           std::find(u->applications->begin(), u->applications->end(), app) !=
               u->applications->end();
  };
  ASSERT_TRUE(plain->AddUserToApplication("carol", "jira-core").ok());
  EXPECT_FALSE(has(plain->GetUserWithApplications(carol->key), "jira-core"));  // stale
  EXPECT_TRUE(has(plain->GetUserWithApplications(carol->key), "jira-core"));

  auto client = Tolerant();
  ASSERT_TRUE(client->RemoveUserFromApplication("carol", "jira-core").ok());
  auto removed = client->GetUserWithApplications(carol->key);
  ASSERT_TRUE(removed.ok()) << removed.error().Message();
  EXPECT_FALSE(has(removed, "jira-core"));
  ASSERT_TRUE(client->AddUserToApplication("carol", "jira-core").ok());
  EXPECT_TRUE(has(client->GetUserWithApplications(carol->key), "jira-core"));
  EXPECT_EQ(StaleFaults(), 3);
  EXPECT_EQ(Waits(), 2u);
}

TEST_F(ReadAfterWriteTest, AZeroBudgetIsTheClientItself) {
  StartStale();
  auto plain = Plain();
  ReadAfterWriteConfig off;
  off.budget = milliseconds(0);
  EXPECT_EQ(WithReadAfterWrite(plain, off), plain);
}

}  // namespace
}  // namespace jira
