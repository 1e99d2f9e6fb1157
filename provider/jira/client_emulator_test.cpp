// The Beast client against the in-process Jira emulator: every operation's happy and error
// paths, every injected fault, auth failures, TLS, context paths and concurrent use.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "acceptance_tests/emulator/server.h"
#include "provider/jira/beast_client.h"
#include "provider/jira/client.h"
#include "provider/jira/test_cert.h"

namespace jira {
namespace {

using std::chrono::milliseconds;

constexpr char kAdminPassword[] = "Adm1n-S3cret-Pw!";
constexpr char kToken[] = "PAT-t0ken-Secret-0123456789";
constexpr char kUserPassword[] = "Us3r-Pa55word-Xyz";

std::string TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "jira-client-test-XXXXXX").string();
  char* dir = mkdtemp(templ.data());
  if (!dir) throw std::runtime_error("mkdtemp failed");
  return dir;
}

class EmulatorTest : public ::testing::Test {
 protected:
  emulator::Options Defaults() {
    emulator::Options o;
    o.admin_password = kAdminPassword;
    o.tokens = {{kToken, "admin"}};
    o.users = {{"carol", kUserPassword, "Carol", "carol@example.com", false, true}};
    return o;
  }

  void Start(emulator::Options options) {
    server_ = std::make_unique<emulator::Server>(std::move(options));
    server_->Start();
  }
  void Start() { Start(Defaults()); }

  void TearDown() override {
    if (server_) server_->Stop();
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& line : log_) ExpectNoSecrets(line);
  }

  ClientConfig Config() {
    ClientConfig c;
    c.base_url = server_->url();
    c.username = "admin";
    c.password = kAdminPassword;
    c.request_timeout = milliseconds(5000);
    c.max_retries = 4;
    c.retry_base_delay = milliseconds(5);
    c.retry_max_delay = milliseconds(3000);
    c.log = [this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      log_.emplace_back(line);
    };
    c.on_backoff = [this](milliseconds d) {
      std::lock_guard<std::mutex> lock(mu_);
      backoffs_.push_back(d);
    };
    return c;
  }

  std::shared_ptr<BeastClient> Client(ClientConfig config) {
    auto c = NewBeastClient(std::move(config));
    if (!c.ok()) {
      ADD_FAILURE() << c.error().Message();
      return nullptr;
    }
    return std::static_pointer_cast<BeastClient>(*c);
  }
  std::shared_ptr<BeastClient> Client() { return Client(Config()); }

  static void ExpectNoSecrets(const std::string& text) {
    for (const char* secret : {kAdminPassword, kToken, kUserPassword, "YWRtaW46QWRtMW4tUzNjcmV0LVB3IQ"}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << "secret leaked into: " << text;
    }
  }
  static void ExpectNoSecrets(const Error& e) { ExpectNoSecrets(e.Message()); }

  int64_t Requests(const std::string& route) {
    auto stats = server_->Stats();
    return stats["requests"].value(route, int64_t{0});
  }
  int64_t Faults(const std::string& kind) {
    auto stats = server_->Stats();
    return stats["faults"].value(kind, int64_t{0});
  }
  int64_t Total() { return server_->Stats().value("total", int64_t{0}); }

  void FailNext(int n, std::vector<std::string> kinds, std::vector<std::string> methods = {},
                int retry_after_s = 1) {
    emulator::Faults f;
    f.fail_next = n;
    f.kinds = std::move(kinds);
    f.methods = std::move(methods);
    f.retry_after_s = retry_after_s;
    server_->SetFaults(f);
  }

  std::vector<milliseconds> Backoffs() {
    std::lock_guard<std::mutex> lock(mu_);
    return backoffs_;
  }

  NewUser Bob(std::string name = "Bob") {
    return NewUser{name, name + "@example.com", name + " Builder", std::string(kUserPassword), false};
  }

  std::unique_ptr<emulator::Server> server_;
  std::mutex mu_;
  std::vector<std::string> log_;
  std::vector<milliseconds> backoffs_;
};

// ------------------------------------------------------------------ server and credentials

TEST_F(EmulatorTest, ServerInfoMyselfAndPermissions) {
  Start();
  auto c = Client();
  auto info = c->GetServerInfo();
  ASSERT_TRUE(info.ok()) << info.error().Message();
  EXPECT_EQ(info->deployment_type, "Server");
  EXPECT_FALSE(info->version_numbers.empty());
  auto me = c->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  EXPECT_EQ(me->name, "admin");
  auto perms = c->GetPermissions();
  ASSERT_TRUE(perms.ok()) << perms.error().Message();
  bool browse = false;
  for (const auto& p : *perms) browse |= p.key == "BROWSE_PROJECTS" && p.type == "PROJECT";
  EXPECT_TRUE(browse);
}

TEST_F(EmulatorTest, ApplicationAccessAndProjectRoles) {
  Start();
  auto c = Client();
  NewUser nu{"gitlab", "gitlab@example.com", "GitLab", std::nullopt, false};
  nu.application_keys = std::vector<std::string>{"jira-core"};
  auto created = c->CreateUser(nu);
  ASSERT_TRUE(created.ok()) << created.error().Message();
  auto read = c->GetUserWithApplications(created->key);
  ASSERT_TRUE(read.ok()) << read.error().Message();
  ASSERT_TRUE(read->applications.has_value());
  EXPECT_EQ(*read->applications, std::vector<std::string>{"jira-core"});
  EXPECT_FALSE(c->GetUserByKey(created->key)->applications.has_value());  // not expanded

  ASSERT_TRUE(c->AddUserToApplication("gitlab", "jira-software").ok());
  ASSERT_TRUE(c->RemoveUserFromApplication("gitlab", "jira-core").ok());
  EXPECT_EQ(*c->GetUserWithApplications(created->key)->applications,
            std::vector<std::string>{"jira-software"});

  auto apps = c->ListApplicationRoles();
  ASSERT_TRUE(apps.ok()) << apps.error().Message();
  bool software = false;
  for (const auto& a : *apps) software |= a.key == "jira-software" && a.unlimited_seats;
  EXPECT_TRUE(software);

  auto roles = c->ListProjectRoles();
  ASSERT_TRUE(roles.ok()) << roles.error().Message();
  std::map<std::string, int64_t> ids;
  for (const auto& r : *roles) ids[r.name] = r.id;
  EXPECT_EQ(ids["Administrators"], 10002);
  EXPECT_EQ(ids["Developers"], 10001);
  EXPECT_EQ(ids["Users"], 10000);
}

TEST_F(EmulatorTest, KeepAliveReusesOneConnection) {
  Start();
  auto c = Client();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(c->GetMyself().ok());
  EXPECT_EQ(c->connections_opened(), 1u);
}

TEST_F(EmulatorTest, BearerToken) {
  Start();
  ClientConfig cfg = Config();
  cfg.username.clear();
  cfg.password.clear();
  cfg.token = kToken;
  auto me = Client(cfg)->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  EXPECT_EQ(me->name, "admin");

  cfg.token = std::string(kToken) + "-wrong";
  const int64_t before = Requests("GET /rest/api/2/myself");
  auto bad = Client(cfg)->GetMyself();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(Requests("GET /rest/api/2/myself"), before + 1);
  ExpectNoSecrets(bad.error());
}

TEST_F(EmulatorTest, WrongPasswordIsNeverRetried) {
  Start();
  ClientConfig cfg = Config();
  cfg.password = std::string(kAdminPassword) + "-nope";
  auto c = Client(cfg);
  const int64_t before = Total();
  auto me = c->GetMyself();
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(me.error().http_status, 401);
  EXPECT_EQ(me.error().login_reason, "AUTHENTICATED_FAILED");
  EXPECT_EQ(Total(), before + 1);  // exactly one request: retrying would lock the account
  EXPECT_TRUE(Backoffs().empty());
  EXPECT_NE(me.error().Message().find("AUTHENTICATED_FAILED"), std::string::npos);
  ExpectNoSecrets(me.error());
  EXPECT_EQ(me.error().Message().find("-nope"), std::string::npos);
}

TEST_F(EmulatorTest, CaptchaLockoutIsReported) {
  auto opts = Defaults();
  opts.captcha_after = 2;
  Start(opts);
  ClientConfig bad = Config();
  bad.username = "carol";
  bad.password = "wrong-password";
  auto wrong = Client(bad);
  ASSERT_EQ(wrong->GetMyself().error().kind, ErrorKind::kUnauthorized);
  ASSERT_EQ(wrong->GetMyself().error().kind, ErrorKind::kUnauthorized);
  ClientConfig good = Config();
  good.username = "carol";
  good.password = kUserPassword;
  const int64_t before = Total();
  auto locked = Client(good)->GetMyself();
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().kind, ErrorKind::kForbidden);
  EXPECT_TRUE(locked.error().IsCaptchaLockout());
  EXPECT_NE(locked.error().Message().find("CAPTCHA_CHALLENGE"), std::string::npos);
  EXPECT_EQ(Total(), before + 1);
  ExpectNoSecrets(locked.error());
}

TEST_F(EmulatorTest, AnonymousIsUnauthorized) {
  Start();
  ClientConfig cfg = Config();
  cfg.username.clear();
  cfg.password.clear();
  auto c = Client(cfg);
  EXPECT_TRUE(c->GetServerInfo().ok());  // anonymous-allowed
  EXPECT_EQ(c->GetMyself().error().kind, ErrorKind::kUnauthorized);
  auto schemes = c->ListPermissionSchemes(false);
  ASSERT_FALSE(schemes.ok());
  EXPECT_EQ(schemes.error().kind, ErrorKind::kUnauthorized);
  EXPECT_FALSE(schemes.error().messages.empty());  // the status entity's message
}

TEST_F(EmulatorTest, NonAdminIsForbidden) {
  Start();
  ClientConfig cfg = Config();
  cfg.username = "carol";
  cfg.password = kUserPassword;
  auto r = Client(cfg)->CreateGroup("nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kForbidden);
  ExpectNoSecrets(r.error());
}

// ------------------------------------------------------------------ users

TEST_F(EmulatorTest, UserLifecycle) {
  Start();
  auto c = Client();
  auto created = c->CreateUser(Bob());
  ASSERT_TRUE(created.ok()) << created.error().Message();
  EXPECT_EQ(created->name, "Bob");
  EXPECT_EQ(created->key.rfind("JIRAUSER", 0), 0u);
  EXPECT_EQ(created->email, "Bob@example.com");

  auto by_name = c->GetUserByName("bob", true);  // case-insensitive lookup
  ASSERT_TRUE(by_name.ok()) << by_name.error().Message();
  EXPECT_EQ(by_name->name, "Bob");
  EXPECT_EQ(by_name->key, created->key);
  auto by_key = c->GetUserByKey(created->key, false);
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(by_key->name, "Bob");

  UserChanges rename;
  rename.name = "robert";
  rename.display_name = "Robert B.";
  rename.active = false;
  auto updated = c->UpdateUser(created->key, rename);
  ASSERT_TRUE(updated.ok()) << updated.error().Message();
  EXPECT_EQ(updated->name, "robert");
  EXPECT_EQ(updated->display_name, "Robert B.");
  EXPECT_FALSE(updated->active);
  EXPECT_EQ(updated->key, created->key);
  EXPECT_EQ(c->GetUserByName("Bob", false).error().kind, ErrorKind::kNotFound);

  UserChanges reactivate;
  reactivate.active = true;
  ASSERT_TRUE(c->UpdateUser(created->key, reactivate).ok());
  ASSERT_TRUE(c->SetPassword(created->key, "N3w-Password-Abc").ok());
  ClientConfig as_robert = Config();
  as_robert.username = "robert";
  as_robert.password = "N3w-Password-Abc";
  auto me = Client(as_robert)->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  EXPECT_EQ(me->key, created->key);

  auto found = c->SearchUsers("robert", 0, 50, true);
  ASSERT_TRUE(found.ok()) << found.error().Message();
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().key, created->key);

  ASSERT_TRUE(c->DeleteUser(created->key).ok());
  auto gone = c->GetUserByKey(created->key, false);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
  auto again = c->DeleteUser(created->key);
  ASSERT_FALSE(again.ok());  // not after a lost response: a plain 404
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
}

TEST_F(EmulatorTest, UserErrors) {
  Start();
  auto c = Client();
  ASSERT_TRUE(c->CreateUser(Bob()).ok());
  auto dup = c->CreateUser(Bob("BOB"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(dup.error().http_status, 400);
  EXPECT_EQ(dup.error().field_errors.at("username"), "A user with that username already exists.");
  ExpectNoSecrets(dup.error());

  NewUser no_name = Bob("x");
  no_name.display_name.clear();
  auto invalid = c->CreateUser(no_name);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().field_errors.count("fullname"), 1u);
  EXPECT_NE(invalid.error().Message().find("fullname: You must specify a full name."),
            std::string::npos);

  auto missing = c->GetUserByName("nobody here", false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(missing.error().Message().find("The user named 'nobody here' does not exist"),
            std::string::npos);
  EXPECT_EQ(c->SetPassword("JIRAUSER99999", "whatever-pw").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(c->UpdateUser("JIRAUSER99999", UserChanges{}).ok(), false);
}

// ------------------------------------------------------------------ groups and memberships

TEST_F(EmulatorTest, GroupLifecycleWithAwkwardNames) {
  Start();
  auto c = Client();
  const std::string name = "Dev Ops & QA/Team+1?x=y#z";
  auto g = c->CreateGroup(name);
  ASSERT_TRUE(g.ok()) << g.error().Message();
  EXPECT_EQ(g->name, name);
  auto got = c->GetGroup("dev ops & qa/team+1?X=Y#Z");
  ASSERT_TRUE(got.ok()) << got.error().Message();
  EXPECT_EQ(got->name, name);  // the stored case

  auto dup = c->CreateGroup("DEV OPS & QA/TEAM+1?X=Y#Z");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().http_status, 400);

  ASSERT_TRUE(c->CreateUser(Bob("o'brien:x")).ok());
  ASSERT_TRUE(c->AddUserToGroup(name, "o'brien:x").ok());
  auto again = c->AddUserToGroup(name, "o'brien:x");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().http_status, 400);
  auto members = c->GetAllGroupMembers(name, true);
  ASSERT_TRUE(members.ok()) << members.error().Message();
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ(members->front().name, "o'brien:x");
  auto user = c->GetUserByName("o'brien:x", true);
  ASSERT_TRUE(user.ok());
  EXPECT_NE(std::find(user->groups.begin(), user->groups.end(), name), user->groups.end());

  ASSERT_TRUE(c->RemoveUserFromGroup(name, "o'brien:x").ok());
  auto not_member = c->RemoveUserFromGroup(name, "o'brien:x");
  ASSERT_FALSE(not_member.ok());
  EXPECT_EQ(not_member.error().http_status, 400);

  auto picked = c->PickGroups("qa/team", 10);
  ASSERT_TRUE(picked.ok()) << picked.error().Message();
  EXPECT_EQ(*picked, std::vector<std::string>{name});

  ASSERT_TRUE(c->CreateGroup("swap-target").ok());
  ASSERT_TRUE(c->DeleteGroup(name, std::string("swap-target")).ok());
  auto gone = c->GetGroup(name);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(c->DeleteGroup(name).error().kind, ErrorKind::kNotFound);
}

TEST_F(EmulatorTest, MembersArePagedUntilIsLast) {
  Start();
  auto c = Client();
  ASSERT_TRUE(c->CreateGroup("big").ok());
  std::set<std::string> expected;
  for (int i = 0; i < 120; ++i) {
    const std::string name = "member" + std::to_string(1000 + i);
    ASSERT_TRUE(c->CreateUser(Bob(name)).ok());
    ASSERT_TRUE(c->AddUserToGroup("big", name).ok());
    expected.insert(name);
  }
  UserChanges off;
  off.active = false;
  auto inactive = c->GetUserByName("member1000", false);
  ASSERT_TRUE(c->UpdateUser(inactive->key, off).ok());

  auto first = c->GetGroupMembersPage("big", 0, 50, true);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->values.size(), 50u);
  EXPECT_FALSE(first->is_last);
  EXPECT_EQ(first->total, 120);

  const int64_t before = Requests("GET /rest/api/2/group/member");
  auto all = c->GetAllGroupMembers("big", true);
  ASSERT_TRUE(all.ok()) << all.error().Message();
  EXPECT_EQ(Requests("GET /rest/api/2/group/member"), before + 3);
  std::set<std::string> names;
  for (const auto& u : *all) names.insert(u.name);
  EXPECT_EQ(names, expected);
  auto active = c->GetAllGroupMembers("big", false);
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->size(), 119u);
}

TEST_F(EmulatorTest, MembershipErrors) {
  Start();
  auto c = Client();
  ASSERT_TRUE(c->CreateGroup("devs").ok());
  auto no_user = c->AddUserToGroup("devs", "ghost");
  ASSERT_FALSE(no_user.ok());
  EXPECT_TRUE(no_user.error().kind == ErrorKind::kInvalid ||
              no_user.error().kind == ErrorKind::kNotFound);
  auto no_group = c->AddUserToGroup("no such group", "carol");
  ASSERT_FALSE(no_group.ok());
  EXPECT_EQ(no_group.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(c->GetGroupMembersPage("no such group", 0, 50, false).error().kind,
            ErrorKind::kNotFound);
}

// ------------------------------------------------------------------ permission schemes

TEST_F(EmulatorTest, PermissionSchemeLifecycle) {
  Start();
  auto c = Client();
  ASSERT_TRUE(c->CreateGroup("scheme-devs").ok());
  auto carol = c->GetUserByName("carol", false);
  ASSERT_TRUE(carol.ok());
  PermissionScheme s;
  s.name = "Team scheme";
  s.description = "for the team";
  s.grants = {{0, "BROWSE_PROJECTS", {"group", "scheme-devs"}},
              {0, "CREATE_ISSUES", {"anyone", ""}},
              {0, "ADMINISTER_PROJECTS", {"user", carol->key}},
              {0, "EDIT_ISSUES", {"projectRole", "10002"}}};
  auto created = c->CreatePermissionScheme(s);
  ASSERT_TRUE(created.ok()) << created.error().Message();
  EXPECT_GT(created->id, 0);
  ASSERT_EQ(created->grants.size(), 4u);
  for (const auto& g : created->grants) EXPECT_GT(g.id, 0);

  auto got = c->GetPermissionScheme(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Team scheme");
  EXPECT_EQ(got->grants.size(), 4u);

  auto listed = c->ListPermissionSchemes(false);
  ASSERT_TRUE(listed.ok());
  bool seen = false;
  for (const auto& x : *listed) {
    if (x.id == created->id) {
      seen = true;
      EXPECT_TRUE(x.grants.empty());
    }
  }
  EXPECT_TRUE(seen);
  auto expanded = c->ListPermissionSchemes(true);
  ASSERT_TRUE(expanded.ok());
  for (const auto& x : *expanded) {
    if (x.id == created->id) {
      EXPECT_EQ(x.grants.size(), 4u);
    }
  }

  auto renamed = c->UpdatePermissionScheme(created->id, "Team scheme 2", "new text");
  ASSERT_TRUE(renamed.ok()) << renamed.error().Message();
  EXPECT_EQ(renamed->name, "Team scheme 2");
  EXPECT_EQ(c->GetPermissionScheme(created->id)->grants.size(), 4u);  // untouched
  auto replaced = c->UpdatePermissionScheme(created->id, "Team scheme 2", "new text",
                                            std::vector<PermissionGrant>{
                                                {0, "BROWSE_PROJECTS", {"anyone", ""}}});
  ASSERT_TRUE(replaced.ok()) << replaced.error().Message();
  ASSERT_EQ(c->ListGrants(created->id)->size(), 1u);

  auto grant = c->AddGrant(created->id, {0, "ASSIGN_ISSUES", {"group", "scheme-devs"}});
  ASSERT_TRUE(grant.ok()) << grant.error().Message();
  EXPECT_GT(grant->id, 0);
  auto fetched = c->GetGrant(created->id, grant->id);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->permission, "ASSIGN_ISSUES");
  EXPECT_EQ(fetched->holder.parameter, "scheme-devs");
  ASSERT_TRUE(c->DeleteGrant(created->id, grant->id).ok());
  EXPECT_EQ(c->GetGrant(created->id, grant->id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(c->DeleteGrant(created->id, grant->id).error().kind, ErrorKind::kNotFound);

  auto assigned = c->AssignSchemeToProject("GL", created->id);
  ASSERT_TRUE(assigned.ok()) << assigned.error().Message();
  EXPECT_EQ(assigned->id, created->id);
  EXPECT_EQ(c->AssignSchemeToProject("NOPE/..", created->id).error().kind, ErrorKind::kNotFound);
  // Back to the default so the scheme can go.
  ASSERT_TRUE(c->AssignSchemeToProject("GL", 0).ok());

  ASSERT_TRUE(c->DeletePermissionScheme(created->id).ok());
  EXPECT_EQ(c->GetPermissionScheme(created->id).error().kind, ErrorKind::kNotFound);
}

TEST_F(EmulatorTest, PermissionSchemeErrors) {
  Start();
  auto c = Client();
  PermissionScheme bad;
  bad.name = "Bad";
  bad.grants = {{0, "NOT_A_PERMISSION", {"anyone", ""}}};
  auto r = c->CreatePermissionScheme(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalid);
  EXPECT_FALSE(r.error().messages.empty());

  PermissionScheme missing_group;
  missing_group.name = "Bad2";
  missing_group.grants = {{0, "BROWSE_PROJECTS", {"group", "no-such-group"}}};
  EXPECT_EQ(c->CreatePermissionScheme(missing_group).error().kind, ErrorKind::kInvalid);

  PermissionScheme ok;
  ok.name = "Unique";
  ASSERT_TRUE(c->CreatePermissionScheme(ok).ok());
  auto dup = c->CreatePermissionScheme(ok);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kInvalid);

  EXPECT_FALSE(c->DeletePermissionScheme(0).ok());  // the default scheme stays
  EXPECT_EQ(c->GetPermissionScheme(987654).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(c->ListGrants(987654).error().kind, ErrorKind::kNotFound);
}

// ------------------------------------------------------------------ faults

TEST_F(EmulatorTest, RetryAfterIsHonouredOn429) {
  Start();
  auto c = Client();
  FailNext(2, {"429"}, {}, /*retry_after_s=*/1);
  const int64_t before = Requests("GET /rest/api/2/myself");
  auto me = c->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  EXPECT_EQ(Faults("429"), 2);
  EXPECT_EQ(Requests("GET /rest/api/2/myself"), before + 3);
  auto waits = Backoffs();
  ASSERT_EQ(waits.size(), 2u);
  for (auto w : waits) {
    EXPECT_GE(w, milliseconds(1000));  // Retry-After: 1
    EXPECT_LE(w, milliseconds(3000));  // retry_max_delay
  }
}

TEST_F(EmulatorTest, RetryAfterIsCappedByMaxDelay) {
  Start();
  ClientConfig cfg = Config();
  cfg.retry_max_delay = milliseconds(50);
  auto c = Client(cfg);
  FailNext(1, {"429"}, {}, /*retry_after_s=*/3600);
  ASSERT_TRUE(c->GetMyself().ok());
  auto waits = Backoffs();
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0], milliseconds(50));
}

TEST_F(EmulatorTest, ServiceUnavailableAndDroppedConnectionsAreRetried) {
  Start();
  auto c = Client();
  FailNext(3, {"503", "drop"}, {"GET"}, 0);
  auto me = c->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  EXPECT_EQ(Faults("503"), 2);
  EXPECT_EQ(Faults("drop"), 1);
  // A drop on a kept-alive connection before any byte of the answer looks exactly like a
  // stale idle connection, so an idempotent request is resent at once without a wait.
  EXPECT_GE(Backoffs().size(), 2u);
  EXPECT_LE(Backoffs().size(), 3u);
}

TEST_F(EmulatorTest, RetriesRunOutWithAClearError) {
  Start();
  ClientConfig cfg = Config();
  cfg.max_retries = 2;
  auto c = Client(cfg);
  FailNext(10, {"503"}, {}, 0);
  const int64_t before = Total();
  auto me = c->GetMyself();
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kServer);
  EXPECT_EQ(me.error().http_status, 503);
  EXPECT_EQ(Total(), before + 3);
  EXPECT_NE(me.error().Message().find("503 Service Unavailable"), std::string::npos);

  FailNext(10, {"drop"}, {}, 0);
  auto dropped = c->GetMyself();
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().kind, ErrorKind::kTransport);
  EXPECT_NE(dropped.error().Message().find("after 3 attempts"), std::string::npos);
  ExpectNoSecrets(dropped.error());
}

TEST_F(EmulatorTest, LostResponsesToCreatesProduceNoDuplicates) {
  Start();
  auto c = Client();
  ASSERT_TRUE(c->CreateGroup("seed").ok());

  FailNext(1, {"lost"}, {"POST"});
  auto user = c->CreateUser(Bob("lost-user"));
  ASSERT_TRUE(user.ok()) << user.error().Message();
  EXPECT_EQ(user->name, "lost-user");
  EXPECT_EQ(Requests("POST /rest/api/2/user"), 1);  // found by the probe, never resent

  FailNext(1, {"lost"}, {"POST"});
  auto group = c->CreateGroup("Lost-Group");
  ASSERT_TRUE(group.ok()) << group.error().Message();
  EXPECT_EQ(group->name, "Lost-Group");
  EXPECT_EQ(Requests("POST /rest/api/2/group"), 2);  // "seed" and this one

  FailNext(1, {"lost"}, {"POST"});
  ASSERT_TRUE(c->AddUserToGroup("lost-group", "lost-user").ok());
  EXPECT_EQ(Requests("POST /rest/api/2/group/user"), 1);

  PermissionScheme s;
  s.name = "Lost scheme";
  s.grants = {{0, "BROWSE_PROJECTS", {"group", "Lost-Group"}}};
  FailNext(1, {"lost"}, {"POST"});
  auto scheme = c->CreatePermissionScheme(s);
  ASSERT_TRUE(scheme.ok()) << scheme.error().Message();
  EXPECT_EQ(scheme->name, "Lost scheme");
  EXPECT_EQ(scheme->grants.size(), 1u);
  EXPECT_EQ(Requests("POST /rest/api/2/permissionscheme"), 1);

  FailNext(1, {"lost"}, {"POST"});
  auto grant = c->AddGrant(scheme->id, {0, "CREATE_ISSUES", {"user", user->key}});
  ASSERT_TRUE(grant.ok()) << grant.error().Message();
  EXPECT_GT(grant->id, 0);
  EXPECT_EQ(Requests("POST /rest/api/2/permissionscheme/{schemeId}/permission"), 1);

  EXPECT_EQ(Faults("lost"), 5);
  // Exactly one of each object exists.
  auto schemes = c->ListPermissionSchemes(false);
  int named = 0;
  for (const auto& x : *schemes) named += x.name == "Lost scheme";
  EXPECT_EQ(named, 1);
  EXPECT_EQ(c->ListGrants(scheme->id)->size(), 2u);
  EXPECT_EQ(c->GetAllGroupMembers("Lost-Group", true)->size(), 1u);
}

TEST_F(EmulatorTest, DroppedCreatesAreResentAfterChecking) {
  Start();
  auto c = Client();
  // "drop" closes the connection before the request is processed: the probe finds nothing
  // and the create is sent again.
  FailNext(1, {"drop"}, {"POST"});
  auto user = c->CreateUser(Bob("dropped"));
  ASSERT_TRUE(user.ok()) << user.error().Message();
  EXPECT_EQ(Requests("POST /rest/api/2/user"), 2);
  EXPECT_EQ(Requests("GET /rest/api/2/user"), 1);
  auto search = c->SearchUsers("dropped", 0, 50, true);
  ASSERT_TRUE(search.ok());
  EXPECT_EQ(search->size(), 1u);
}

TEST_F(EmulatorTest, LostResponsesToDeletesCountAsSuccess) {
  Start();
  auto c = Client();
  auto user = c->CreateUser(Bob("short-lived"));
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(c->CreateGroup("gone-soon").ok());
  ASSERT_TRUE(c->CreateGroup("members").ok());
  ASSERT_TRUE(c->AddUserToGroup("members", "short-lived").ok());
  PermissionScheme s;
  s.name = "Doomed";
  s.grants = {{0, "BROWSE_PROJECTS", {"anyone", ""}}};
  auto scheme = c->CreatePermissionScheme(s);
  ASSERT_TRUE(scheme.ok());

  FailNext(5, {"lost"}, {"DELETE"});
  ASSERT_TRUE(c->DeleteGrant(scheme->id, scheme->grants.at(0).id).ok());
  ASSERT_TRUE(c->DeletePermissionScheme(scheme->id).ok());
  ASSERT_TRUE(c->RemoveUserFromGroup("members", "short-lived").ok());  // then "not a member"
  ASSERT_TRUE(c->DeleteGroup("gone-soon").ok());
  ASSERT_TRUE(c->DeleteUser(user->key).ok());
  EXPECT_EQ(Faults("lost"), 5);
  EXPECT_EQ(c->GetUserByKey(user->key, false).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(c->GetGroup("gone-soon").error().kind, ErrorKind::kNotFound);
}

TEST_F(EmulatorTest, TimeoutFires) {
  auto opts = Defaults();
  opts.faults.latency_ms = 1500;
  Start(opts);
  ClientConfig cfg = Config();
  cfg.request_timeout = milliseconds(100);
  cfg.max_retries = 1;
  auto c = Client(cfg);
  auto me = c->GetMyself();
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kTransport);
  EXPECT_NE(me.error().Message().find("timed out"), std::string::npos) << me.error().Message();
  EXPECT_NE(me.error().Message().find("100 ms"), std::string::npos);
  EXPECT_EQ(Backoffs().size(), 1u);
}

TEST_F(EmulatorTest, CancellationInterruptsABackoffWait) {
  Start();
  std::atomic<bool> stop{false};
  ClientConfig cfg = Config();
  cfg.retry_max_delay = milliseconds(600000);
  cfg.request_timeout = milliseconds(900000);  // a wait within the request timeout
  cfg.on_backoff = [&](milliseconds d) {
    EXPECT_EQ(d, milliseconds(600000));  // Retry-After 3600 s, capped by retry_max_delay
    stop = true;  // Terraform's StopProvider arrives during the long wait
  };
  auto base = Client(cfg);
  auto c = base->WithCancellation([&] { return stop.load(); });
  FailNext(1, {"429"}, {}, /*retry_after_s=*/3600);
  auto me = c->GetMyself();
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().kind, ErrorKind::kCancelled);
  EXPECT_EQ(me.error().Message(), "Jira request GET /rest/api/2/myself was cancelled");
  // The cancelled view stays cancelled. (The parent shares the rate limiter, so it would
  // wait out the same 429 hold; client_rate_limit_test covers that.)
  EXPECT_EQ(c->GetMyself().error().kind, ErrorKind::kCancelled);
}

// ------------------------------------------------------------------ URLs and TLS

TEST_F(EmulatorTest, ContextPathIsKept) {
  auto opts = Defaults();
  opts.context_path = "/jira";
  Start(opts);
  ASSERT_NE(server_->url().find("/jira"), std::string::npos);
  auto c = Client();
  auto me = c->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  ASSERT_TRUE(c->CreateGroup("ctx group").ok());
  EXPECT_TRUE(c->GetGroup("ctx group").ok());

  ClientConfig root = Config();
  root.base_url = server_->url().substr(0, server_->url().size() - 5);
  auto wrong = Client(root)->GetMyself();
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(wrong.error().Message().find("null for uri"), std::string::npos);
}

TEST_F(EmulatorTest, UnreachableServerIsATransportError) {
  Start();
  ClientConfig cfg = Config();
  const std::string url = server_->url();
  server_->Stop();
  cfg.base_url = url;
  cfg.max_retries = 1;
  auto r = Client(cfg)->GetServerInfo();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTransport);
  EXPECT_NE(r.error().Message().find("cannot connect"), std::string::npos);
}

TEST(BeastClientConfigTest, BadConfigurationsAreRejectedWithReasons) {
  ClientConfig cfg;
  cfg.base_url = "ftp://jira";
  EXPECT_FALSE(NewBeastClient(cfg).ok());
  cfg.base_url = "https://jira.example.com";
  cfg.ca_file = "/nonexistent/ca.pem";
  auto r = NewBeastClient(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message().find("/nonexistent/ca.pem"), std::string::npos);
  cfg.ca_file.clear();
  cfg.username = "admin";
  cfg.token = "t";
  EXPECT_FALSE(NewBeastClient(cfg).ok());
}

class TlsTest : public EmulatorTest {
 protected:
  void StartTls(const std::vector<std::string>& dns, const std::vector<std::string>& ips) {
    dir_ = TempDir();
    cert_ = testing::MakeSelfSignedCert(dir_, dns, ips);
    auto opts = Defaults();
    opts.tls_cert_file = cert_.cert_file;
    opts.tls_key_file = cert_.key_file;
    Start(opts);
    ASSERT_EQ(server_->url().rfind("https://", 0), 0u);
  }
  void TearDown() override {
    EmulatorTest::TearDown();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  testing::TestCert cert_;
};

TEST_F(TlsTest, TrustedThroughCaFile) {
  StartTls({"localhost"}, {"127.0.0.1"});
  ClientConfig cfg = Config();
  cfg.ca_file = cert_.cert_file;
  auto c = Client(cfg);
  auto me = c->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c->GetServerInfo().ok());
  EXPECT_EQ(c->connections_opened(), 1u);  // keep-alive over TLS too
}

TEST_F(TlsTest, HostNameIsVerified) {
  StartTls({"localhost"}, {"127.0.0.1"});
  ClientConfig cfg = Config();
  cfg.ca_file = cert_.cert_file;
  cfg.base_url = "https://localhost:" + std::to_string(server_->port());
  auto by_name = Client(cfg)->GetMyself();  // SNI + DNS name check
  ASSERT_TRUE(by_name.ok()) << by_name.error().Message();
}

TEST_F(TlsTest, UntrustedCertificateFails) {
  StartTls({"localhost"}, {"127.0.0.1"});
  ClientConfig cfg = Config();
  cfg.max_retries = 0;
  auto r = Client(cfg)->GetMyself();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTransport);
  EXPECT_NE(r.error().Message().find("certificate verification failed"), std::string::npos)
      << r.error().Message();
  ExpectNoSecrets(r.error());
}

TEST_F(TlsTest, WrongHostNameFails) {
  StartTls({"jira.invalid"}, {});
  ClientConfig cfg = Config();
  cfg.ca_file = cert_.cert_file;
  cfg.max_retries = 0;
  auto r = Client(cfg)->GetMyself();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTransport);
  EXPECT_NE(r.error().Message().find("TLS handshake"), std::string::npos) << r.error().Message();
}

TEST_F(TlsTest, InsecureModeSkipsVerification) {
  StartTls({"jira.invalid"}, {});
  ClientConfig cfg = Config();
  cfg.insecure_skip_verify = true;
  auto me = Client(cfg)->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
}

// ------------------------------------------------------------------ concurrency

// Sixteen threads share one client (and its pool) while faults fire at random; every object
// must exist exactly once at the end. Run under TSan in the sanitizer preset.
TEST_F(EmulatorTest, SixteenThreadsShareOneClient) {
  auto opts = Defaults();
  opts.faults.fault_rate = 0.15;
  opts.faults.kinds = {"429", "503", "drop", "lost"};
  opts.faults.retry_after_s = 0;
  Start(opts);
  ClientConfig cfg = Config();
  cfg.max_retries = 10;
  cfg.max_idle_connections = 8;
  auto c = Client(cfg);
  PermissionScheme shared;
  shared.name = "Shared";
  server_->SetFaults({});
  auto scheme = c->CreatePermissionScheme(shared);
  ASSERT_TRUE(scheme.ok()) << scheme.error().Message();
  server_->SetFaults(opts.faults);

  constexpr int kThreads = 16;
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto fail = [&](const std::string& what, const Error& e) {
        failures[t] = what + ": " + e.Message();
      };
      const std::string user = "worker" + std::to_string(t);
      const std::string group = "team " + std::to_string(t);
      auto u = c->CreateUser(Bob(user));
      if (!u.ok()) return fail("create user", u.error());
      auto g = c->CreateGroup(group);
      if (!g.ok()) return fail("create group", g.error());
      auto m = c->AddUserToGroup(group, user);
      if (!m.ok()) return fail("add member", m.error());
      auto grant = c->AddGrant(scheme->id, {0, "BROWSE_PROJECTS", {"group", group}});
      if (!grant.ok()) return fail("add grant", grant.error());
      for (int i = 0; i < 5; ++i) {
        auto read = c->GetUserByName(user, true);
        if (!read.ok()) return fail("read user", read.error());
        if (read->groups.empty()) failures[t] = "membership missing";
      }
    });
  }
  for (auto& th : threads) th.join();
  server_->SetFaults({});
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], "") << "thread " << t;

  auto grants = c->ListGrants(scheme->id);
  ASSERT_TRUE(grants.ok());
  EXPECT_EQ(grants->size(), static_cast<size_t>(kThreads));
  for (int t = 0; t < kThreads; ++t) {
    auto members = c->GetAllGroupMembers("team " + std::to_string(t), true);
    ASSERT_TRUE(members.ok());
    EXPECT_EQ(members->size(), 1u);
    auto found = c->SearchUsers("worker" + std::to_string(t), 0, 50, true);
    ASSERT_TRUE(found.ok());
    size_t exact = 0;
    for (const auto& u : *found) exact += u.name == "worker" + std::to_string(t);
    EXPECT_EQ(exact, 1u);
  }
  EXPECT_LE(c->connections_opened(), 200u);
}

}  // namespace
}  // namespace jira
