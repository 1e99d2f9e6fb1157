// Routing tests for cross-cutting behaviour: auth variants, CAPTCHA, unknown paths, context
// path, XSRF, bad JSON, injected faults, rate limiting, stats and state persistence.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/state_file.h"
#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::BasicAuth;
using testing::Json;
using testing::MakeRequest;
using RouterTest = testing::RouterFixture;

TEST_F(RouterTest, BearerTokenAuthenticatesAsItsUser) {
  Response r = Call("GET", "/rest/api/2/myself", nullptr, "Bearer pat-admin");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["name"], "admin");
  EXPECT_EQ(*r.Header("X-AUSERNAME"), "admin");
  Response bad = Call("GET", "/rest/api/2/myself", nullptr, "Bearer wrong");
  EXPECT_EQ(bad.status, 401);
  // A PAT sent as a basic-auth password fails.
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("admin", "pat-admin")).status, 401);
}

TEST_F(RouterTest, WrongPasswordIs401HtmlWithSeraphHeaders) {
  Response r = Call("GET", "/rest/api/2/serverInfo", nullptr, BasicAuth("admin", "nope"));
  EXPECT_EQ(r.status, 401);
  EXPECT_THAT(*r.Header("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(r.body, HasSubstr("Basic Authentication Failure - Reason : AUTHENTICATED_FAILED"));
  EXPECT_EQ(*r.Header("X-Seraph-LoginReason"), "AUTHENTICATED_FAILED");
  EXPECT_EQ(*r.Header("X-AUSERNAME"), "anonymous");
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("ghost", "x")).status, 401);
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, "Basic !!!").status, 401);
  Response ok = Get("/rest/api/2/myself");
  EXPECT_EQ(*ok.Header("X-Seraph-LoginReason"), "OK");
  EXPECT_EQ(*ok.Header("X-AUSERNAME"), "admin");
  EXPECT_NE(ok.Header("X-AREQUESTID"), nullptr);
}

TEST_F(RouterTest, LoginNameIsCaseInsensitive) {
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("BOB", "bobpw")).status, 200);
}

TEST_F(RouterTest, CaptchaAfterRepeatedFailuresEvenWithRightPassword) {
  options_.captcha_after = 2;
  Restart();
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("bob", "x")).status, 401);
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("bob", "y")).status, 401);
  Response r = Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("bob", "bobpw"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(*r.Header("X-Seraph-LoginReason"), "AUTHENTICATION_DENIED");
  EXPECT_EQ(*r.Header("X-Authentication-Denied-Reason"),
            "CAPTCHA_CHALLENGE; login-url=http://jira.test/login.jsp");
  // Other users are unaffected; a success resets the count for them.
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("admin", "x")).status, 401);
  EXPECT_EQ(Get("/rest/api/2/myself").status, 200);
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("admin", "x")).status, 401);
  EXPECT_EQ(Get("/rest/api/2/myself").status, 200);
  // Reset clears the lock.
  router_->Reset();
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("bob", "bobpw")).status, 200);
}

TEST_F(RouterTest, UnknownPathIs404NullForUriAndWrongMethodIs405) {
  Response r = Get("/rest/api/2/nothing/here?x=1");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json(r)["status-code"], 404);
  EXPECT_EQ(Json(r)["message"], "null for uri: http://jira.test/rest/api/2/nothing/here?x=1");
  EXPECT_EQ(Get("/rest/api/3/user?username=bob").status, 404);
  EXPECT_EQ(Call("PATCH", "/rest/api/2/user?username=bob").status, 405);
}

TEST_F(RouterTest, ContextPathPrefixesEverything) {
  options_.context_path = "/jira";
  Restart();
  Response r = Get("/jira/rest/api/2/user?username=bob");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["self"], "http://jira.test/jira/rest/api/2/user?username=bob");
  EXPECT_EQ(Get("/rest/api/2/user?username=bob").status, 404);
  EXPECT_EQ(Get("/jirax/rest/api/2/user?username=bob").status, 404);
  EXPECT_EQ(router_->Handle(MakeRequest("GET", "/jira/_emulator/stats")).status, 200);
  EXPECT_EQ(router_->Handle(MakeRequest("GET", "/_emulator/stats")).status, 200);
}

TEST_F(RouterTest, XsrfCheckRejectsFormPostsWithoutToken) {
  Request req = MakeRequest("POST", "/rest/api/2/group", "name=x");
  req.headers["Content-Type"] = "application/x-www-form-urlencoded";
  Response r = router_->Handle(req);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Json(r)["message"], "XSRF check failed");
}

TEST_F(RouterTest, BadJsonIs400AndChangesNothing) {
  Response r = router_->Handle(MakeRequest("POST", "/rest/api/2/group", "{\"name\": "));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(Messages(r).empty());
  r = router_->Handle(MakeRequest("POST", "/rest/api/2/user", "[1,2]"));
  EXPECT_EQ(r.status, 400);
  r = router_->Handle(MakeRequest("POST", "/rest/api/2/group", "\"str\""));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Get("/rest/api/2/serverInfo").status, 200);
}

// Found by fuzz/emulator_request_fuzzer: a number beyond double's range is not a
// parse_error for nlohmann but an out_of_range, which escaped the router.
TEST_F(RouterTest, NumberTooLargeForJsonIs400AndChangesNothing) {
  Response r = router_->Handle(
      MakeRequest("POST", "/rest/api/2/user", R"({"name": 7e7777777, "password": "p"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(Messages(r).empty());
  r = router_->Handle(MakeRequest("POST", "/rest/api/2/group", R"({"name": [-1e999]})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Get("/rest/api/2/serverInfo").status, 200);
}

TEST_F(RouterTest, InjectedFaultsOfEachKind) {
  Faults f;
  f.kinds = {"429", "503", "drop", "lost"};
  f.fail_next = 4;
  f.retry_after_s = 7;
  f.methods = {"POST"};
  router_->SetFaults(f);
  EXPECT_EQ(Get("/rest/api/2/myself").status, 200);  // GET is not faulted

  Response r429 = Call("POST", "/rest/api/2/group", {{"name", "g429"}});
  EXPECT_EQ(r429.status, 429);
  EXPECT_EQ(*r429.Header("Retry-After"), "7");
  Response r503 = Call("POST", "/rest/api/2/group", {{"name", "g503"}});
  EXPECT_EQ(r503.status, 503);
  Response drop = Call("POST", "/rest/api/2/group", {{"name", "gdrop"}});
  EXPECT_EQ(drop.delivery, Delivery::kDrop);
  Response lost = Call("POST", "/rest/api/2/group", {{"name", "glost"}});
  EXPECT_EQ(lost.delivery, Delivery::kLost);
  // Only the lost one was committed.
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=g429").status, 404);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=g503").status, 404);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=gdrop").status, 404);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=glost").status, 200);
  // fail_next exhausted: back to normal.
  EXPECT_EQ(Call("POST", "/rest/api/2/group", {{"name", "ok"}}).status, 201);
  auto stats = router_->Stats();
  EXPECT_EQ(stats["faults"]["429"], 1);
  EXPECT_EQ(stats["faults"]["lost"], 1);
}

TEST_F(RouterTest, RandomFaultsAreDeterministicPerSeed) {
  auto run = [&](uint64_t seed) {
    options_.seed = seed;
    options_.faults.kinds = {"503"};
    options_.faults.fault_rate = 0.5;
    Restart();
    std::string pattern;
    for (int i = 0; i < 64; ++i) pattern += Get("/rest/api/2/serverInfo").status == 503 ? 'F' : '.';
    return pattern;
  };
  std::string a = run(42);
  EXPECT_EQ(a, run(42));
  EXPECT_NE(a.find('F'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
}

TEST_F(RouterTest, StaleReadAfterWriteAnswers404Once) {
  Faults f;
  f.stale_reads = true;
  router_->SetFaults(f);
  CreateGroup("fresh");
  Response stale = Get("/rest/api/2/group/member?groupname=fresh");
  EXPECT_EQ(stale.status, 404);
  EXPECT_THAT(Messages(stale), ElementsAre("The group named 'fresh' does not exist"));
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=fresh").status, 200);
  CreateUser("later");
  EXPECT_EQ(Get("/rest/api/2/serverInfo").status, 200);  // not a lagging read
  EXPECT_EQ(Get("/rest/api/2/user?username=later").status, 404);
  EXPECT_EQ(Get("/rest/api/2/user?username=later").status, 200);
  EXPECT_EQ(router_->Stats()["faults"]["stale"], 2);
}

TEST_F(RouterTest, StaleReadAnswersFromTheStateBeforeTheWrites) {
  CreateGroup("older");
  CreateUser("carol");
  Faults f;
  f.stale_reads = true;
  router_->SetFaults(f);
  // What existed before the writes reads as it was; what they changed reads old.
  Response renamed =
      Call("PUT", "/rest/api/2/user?username=carol", {{"displayName", "Carol New"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  CreateGroup("newer");  // a second pending write: the lagging node has seen neither
  Response old = Get("/rest/api/2/user?username=carol");
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(Json(old)["displayName"], "User carol");
  EXPECT_EQ(Get("/rest/api/2/user?username=carol").status, 200);
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=carol"))["displayName"], "Carol New");
  CreateGroup("newest");
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=older").status, 200);  // stale, but existed
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=newest").status, 200);
  EXPECT_EQ(router_->Stats()["faults"]["stale"], 2);
}

// With a replication delay the lagging node catches up: a stale read nobody made within the
// delay after the last write is gone, and a read inside it is still stale.
TEST_F(RouterTest, StaleReadExpiresAfterTheReplicationDelay) {
  UseFakeClock();
  options_.faults.stale_reads = true;
  options_.faults.stale_reads_expire_ms = 50;
  Restart();
  CreateGroup("first");
  now_ += std::chrono::milliseconds(50);  // replicated: the read sees the write
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=first").status, 200);
  CreateGroup("second");
  now_ += std::chrono::milliseconds(30);
  CreateUser("third");  // the last write: the delay counts from here
  now_ += std::chrono::milliseconds(30);  // 60 ms after "second", 30 after "third"
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=second").status, 404);  // still stale
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=second").status, 200);
  CreateGroup("fourth");
  now_ += std::chrono::milliseconds(49);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=fourth").status, 404);
  EXPECT_EQ(router_->Stats()["faults"]["stale"], 2);
}

// Without a replication delay (the default) a pending stale read waits for the next read,
// however late it comes.
TEST_F(RouterTest, StaleReadWithoutDelayWaitsForTheNextRead) {
  UseFakeClock();
  options_.faults.stale_reads = true;
  Restart();
  CreateGroup("late");
  now_ += std::chrono::hours(2);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=late").status, 404);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=late").status, 200);
}

TEST_F(RouterTest, StaleReadExpiryCanBeSetAtRunTime) {
  UseFakeClock();
  Restart();
  Response r = router_->Handle(MakeRequest(
      "POST", "/_emulator/faults", R"({"stale_reads":true,"stale_reads_expire_ms":10})", ""));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["stale_reads_expire_ms"], 10);
  CreateGroup("quick");
  now_ += std::chrono::milliseconds(10);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=quick").status, 200);
  EXPECT_EQ(router_->GetFaults().stale_reads_expire_ms, 10);
}

TEST_F(RouterTest, LatencyIsReportedToTheSocketLayer) {
  Faults f;
  f.latency_ms = 25;
  router_->SetFaults(f);
  EXPECT_EQ(Get("/rest/api/2/serverInfo").delay_ms, 25);
  EXPECT_EQ(router_->Handle(MakeRequest("GET", "/_emulator/stats")).delay_ms, 0);
}

TEST_F(RouterTest, RateLimitTokenBucketWithHeaders) {
  UseFakeClock();
  options_.faults.rate_limit_capacity = 2;
  options_.faults.rate_limit_refill_per_s = 0.5;
  Restart();
  Response a = Get("/rest/api/2/myself");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(*a.Header("X-RateLimit-Limit"), "2");
  EXPECT_EQ(*a.Header("X-RateLimit-Remaining"), "1");
  EXPECT_EQ(*a.Header("X-RateLimit-Interval-Seconds"), "1");
  EXPECT_EQ(*a.Header("X-RateLimit-FillRate"), "0.5");
  EXPECT_EQ(*a.Header("Retry-After"), "0");
  EXPECT_EQ(*Get("/rest/api/2/myself").Header("X-RateLimit-Remaining"), "0");
  Response limited = Get("/rest/api/2/myself");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(*limited.Header("Retry-After"), "2");
  // Another user has its own bucket.
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("bob", "bobpw")).status, 200);
  now_ += std::chrono::seconds(2);
  EXPECT_EQ(Get("/rest/api/2/myself").status, 200);
  EXPECT_EQ(Get("/rest/api/2/myself").status, 429);
}

// Atlassian: "You get a batch of new tokens every time interval" (X-RateLimit-FillRate tokens
// every X-RateLimit-Interval-Seconds), and Retry-After counts down to that batch.
TEST_F(RouterTest, RateLimitRefillsInBatchesEveryInterval) {
  UseFakeClock();
  options_.faults.rate_limit_capacity = 3;
  options_.faults.rate_limit_refill_per_s = 2;
  options_.faults.rate_limit_interval_s = 2;  // 4 tokens every 2 s
  Restart();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get("/rest/api/2/myself").status, 200);
  Response limited = Get("/rest/api/2/myself");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(*limited.Header("X-RateLimit-FillRate"), "4");
  EXPECT_EQ(*limited.Header("X-RateLimit-Interval-Seconds"), "2");
  EXPECT_EQ(*limited.Header("Retry-After"), "2");
  now_ += std::chrono::milliseconds(1500);  // no batch yet: nothing trickles in
  Response still = Get("/rest/api/2/myself");
  EXPECT_EQ(still.status, 429);
  EXPECT_EQ(*still.Header("Retry-After"), "1");
  now_ += std::chrono::milliseconds(500);  // the batch, capped at the capacity
  Response ok = Get("/rest/api/2/myself");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(*ok.Header("X-RateLimit-Remaining"), "2");
  EXPECT_EQ(*ok.Header("Retry-After"), "0");
}

TEST_F(RouterTest, FaultsCanBeSetAtRunTimeOverHttp) {
  Response r = router_->Handle(MakeRequest(
      "POST", "/_emulator/faults", R"({"kinds":["503"],"fail_next":1,"latency_ms":3})", ""));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(router_->GetFaults().fail_next, 1);
  Response faulted = Get("/rest/api/2/serverInfo");
  EXPECT_EQ(faulted.status, 503);
  EXPECT_EQ(faulted.delay_ms, 3);
  EXPECT_EQ(Get("/rest/api/2/serverInfo").status, 200);
  EXPECT_EQ(router_->Handle(MakeRequest("POST", "/_emulator/faults", R"({"kinds":["boom"]})", ""))
                .status,
            400);
  EXPECT_EQ(router_->Handle(MakeRequest("POST", "/_emulator/faults", "{bad", "")).status, 400);
  auto current = Json(router_->Handle(MakeRequest("GET", "/_emulator/faults", "", "")));
  EXPECT_EQ(current["kinds"], nlohmann::json({"503"}));
}

// Found by emulator_request_fuzzer: echoing a byte that is not UTF-8 (a JSON parser's message
// quoting the body, an unknown fault kind, a request path) threw from the JSON serializer and
// ended the emulator. The answers carry U+FFFD instead, as Jira's Java strings do.
TEST_F(RouterTest, BytesThatAreNotUtf8AreEchoedAsReplacementCharacters) {
  const std::string bad_body = "{\"fail_next\": 1, \"kinds\": [\"429\"\xb1}";
  Response r = router_->Handle(MakeRequest("POST", "/_emulator/faults", bad_body, ""));
  EXPECT_EQ(r.status, 400);
  ASSERT_NO_THROW(Json(r)) << r.body;
  r = router_->Handle(MakeRequest("POST", "/_emulator/faults", "{\"kinds\":[\"\xff\"]}", ""));
  EXPECT_EQ(r.status, 400);
  ASSERT_NO_THROW(Json(r)) << r.body;
  r = Get("/rest/api/2/nothing/\xb1here");
  EXPECT_EQ(r.status, 404);
  ASSERT_NO_THROW(Json(r)) << r.body;
  EXPECT_EQ(Json(r)["message"], "null for uri: http://jira.test/rest/api/2/nothing/\xef\xbf\xbdhere");
  EXPECT_EQ(Get("/rest/api/2/serverInfo").status, 200);
}

TEST_F(RouterTest, StatsCountRequestsPerRouteTemplate) {
  CreateUser("s1");
  CreateUser("s2");
  Get("/rest/api/2/permissionscheme/0");
  Get("/rest/api/latest/permissionscheme/0");
  Get("/rest/api/2/unknown");
  auto stats = Json(router_->Handle(MakeRequest("GET", "/_emulator/stats", "", "")));
  EXPECT_EQ(stats["requests"]["POST /rest/api/2/user"], 2);
  EXPECT_EQ(stats["requests"]["GET /rest/api/2/permissionscheme/{schemeId}"], 2);
  EXPECT_EQ(stats["requests"]["GET (unmatched)"], 1);
  EXPECT_EQ(stats["total"], 5);
  router_->Handle(MakeRequest("POST", "/_emulator/reset", "", ""));
  EXPECT_EQ(router_->Stats()["total"], 0);
  EXPECT_EQ(Get("/rest/api/2/user?username=s1").status, 404);
}

TEST_F(RouterTest, StatsTellWhenTheFirstRequestCameAndTheLastWasAnswered) {
  auto wall = [] {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  auto stats = router_->Stats();
  EXPECT_TRUE(stats["first_request_at"].is_null()) << stats.dump();
  EXPECT_TRUE(stats["last_answer_at"].is_null()) << stats.dump();

  const double before = wall();
  Get("/rest/api/2/serverInfo");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const double middle = wall();
  Get("/rest/api/2/unknown");  // unmatched requests count too
  const double after = wall();
  // /_emulator requests are the harness's, not the client's: they move neither time.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stats = Json(router_->Handle(MakeRequest("GET", "/_emulator/stats", "", "")));
  ASSERT_TRUE(stats["first_request_at"].is_number()) << stats.dump();
  ASSERT_TRUE(stats["last_answer_at"].is_number()) << stats.dump();
  const double first = stats["first_request_at"].get<double>();
  const double last = stats["last_answer_at"].get<double>();
  EXPECT_GE(first, before);
  EXPECT_LE(first, middle);
  EXPECT_GE(last, middle);
  EXPECT_LE(last, after);
  // The 20 ms between the two requests is the longest pause, after the first request.
  EXPECT_GE(stats["longest_pause_s"].get<double>(), 0.020);
  EXPECT_LE(stats["longest_pause_s"].get<double>(), after - before);
  EXPECT_EQ(stats["requests_before_pause"], 1);

  // DELETE zeroes the counters and the times, and keeps the state.
  CreateUser("kept");
  auto r = router_->Handle(MakeRequest("DELETE", "/_emulator/stats", "", ""));
  EXPECT_EQ(r.status, 204);
  stats = router_->Stats();
  EXPECT_EQ(stats["total"], 0);
  EXPECT_TRUE(stats["requests"].empty()) << stats.dump();
  EXPECT_TRUE(stats["first_request_at"].is_null()) << stats.dump();
  EXPECT_TRUE(stats["last_answer_at"].is_null()) << stats.dump();
  EXPECT_EQ(stats["longest_pause_s"], 0);
  EXPECT_EQ(stats["requests_before_pause"], 0);
  EXPECT_EQ(Get("/rest/api/2/user?username=kept").status, 200);
  stats = router_->Stats();
  EXPECT_EQ(stats["total"], 1);
  EXPECT_GE(stats["first_request_at"].get<double>(), after);
}

class StateFileTest : public RouterTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("emulator-state-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.state_file = (dir_ / "state.json").string();
    RouterTest::SetUp();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StateFileTest, EverythingSurvivesARestart) {
  auto u = CreateUser("persisted");
  CreateGroup("PGroup");
  AddMember("PGroup", "persisted");
  Response s = Call("POST", "/rest/api/2/permissionscheme",
                    {{"name", "PS"},
                     {"permissions", {{{"holder", {{"type", "group"}, {"parameter", "PGroup"}}},
                                       {"permission", "BROWSE_PROJECTS"}}}}});
  ASSERT_EQ(s.status, 201);
  int64_t id = Json(s)["id"];
  ASSERT_EQ(Call("PUT", "/rest/api/2/project/GL/permissionscheme", {{"id", id}}).status, 200);
  Call("PUT", "/rest/api/2/user/password?username=persisted", {{"password", "newpw"}});

  Restart();  // a new Router reading the same file
  auto again = Json(Get("/rest/api/2/user?username=PERSISTED&expand=groups"));
  EXPECT_EQ(again["key"], u["key"]);
  EXPECT_EQ(again["groups"]["size"], 2);
  EXPECT_EQ(Json(Get("/rest/api/2/project/GL/permissionscheme?expand=permissions"))["permissions"]
                [0]["holder"]["parameter"],
            "PGroup");
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("persisted", "newpw")).status, 200);
  // Counters continue: no id is reused.
  EXPECT_GT(CreateUser("next")["key"].get<std::string>(), u["key"].get<std::string>());
  // No temporary files are left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    ++files;
    EXPECT_EQ(e.path().filename(), "state.json");
  }
  EXPECT_EQ(files, 1);
}

TEST_F(StateFileTest, CorruptStateFileIsReportedNotIgnored) {
  {
    std::ofstream out(options_.state_file);
    out << "{\"truncated\": ";
  }
  EXPECT_THROW(Restart(), std::runtime_error);
  {
    std::ofstream out(options_.state_file);
    out << "{\"users\": 1}";
  }
  EXPECT_THROW(Restart(), std::runtime_error);
}

TEST(StateFile, WriteReportsUnwritableDirectory) {
  std::string error;
  EXPECT_FALSE(WriteStateFile("/nonexistent-dir/x/state.json", {{"a", 1}}, &error));
  EXPECT_THAT(error, HasSubstr("cannot create"));
}

TEST_F(RouterTest, ConcurrentRequestsFromManyThreadsAreSafe) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 25; ++i) {
        std::string name = "c" + std::to_string(t) + "-" + std::to_string(i);
        router_->Handle(MakeRequest("POST", "/rest/api/2/group",
                                    nlohmann::json{{"name", name}}.dump()));
        router_->Handle(MakeRequest("POST", "/rest/api/2/group/user?groupname=" + name,
                                    R"({"name":"bob"})"));
        router_->Handle(MakeRequest("GET", "/rest/api/2/user?username=bob&expand=groups"));
      }
    });
  }
  for (auto& t : threads) t.join();
  auto bob = Json(Get("/rest/api/2/user?username=bob&expand=groups"));
  EXPECT_EQ(bob["groups"]["size"], 8 * 25 + 1);
  EXPECT_EQ(router_->Stats()["total"], 8 * 25 * 3 + 1);
}

}  // namespace
}  // namespace emulator
