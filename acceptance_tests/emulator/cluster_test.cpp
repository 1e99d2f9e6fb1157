// The emulator's Data Center cluster (--nodes): the load balancer's routing by affinity
// cookie, the cookies the nodes and the balancer set, and reads lagging behind other nodes'
// writes until the replication delay has passed.
#include <gtest/gtest.h>

#include <regex>

#include "acceptance_tests/emulator/cli.h"
#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using testing::Json;
using testing::MakeRequest;

class ClusterTest : public testing::RouterFixture {
 protected:
  void SetUp() override {
    options_.nodes = 2;
    options_.replication_delay = std::chrono::milliseconds(300);
    UseFakeClock();
    testing::RouterFixture::SetUp();
  }

  // A request carrying `cookie` (a Cookie header value; "" for none).
  Response Send(const std::string& method, const std::string& target, const std::string& cookie,
                const nlohmann::json& body = nullptr) {
    Request r = MakeRequest(method, target, body.is_null() ? "" : body.dump());
    if (!cookie.empty()) r.headers["Cookie"] = cookie;
    return router_->Handle(r);
  }
  static std::vector<std::string> SetCookies(const Response& r) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers) {
      if (EqualsIgnoreCase(k, "Set-Cookie")) out.push_back(v);
    }
    return out;
  }
  // "NAME=value" of the first Set-Cookie for NAME, or "".
  static std::string CookiePair(const Response& r, const std::string& name) {
    for (const auto& c : SetCookies(r)) {
      if (c.rfind(name + "=", 0) == 0) return c.substr(0, c.find(';'));
    }
    return "";
  }
  static std::string Node(const Response& r) {
    const std::string* n = r.Header("X-ANODEID");
    return n ? *n : "";
  }
};

TEST_F(ClusterTest, WithoutCookiesRequestsAlternateAndReadOtherNodesWritesLate) {
  Response created = Send("POST", "/rest/api/2/group", "", {{"name", "lagging"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Node(created), "node1");
  // The next request lands on node2, which has not heard of the group yet.
  Response stale = Send("GET", "/rest/api/2/group?groupname=lagging", "");
  EXPECT_EQ(Node(stale), "node2");
  EXPECT_EQ(stale.status, 404) << stale.body;
  // node1 has it at once: its own write.
  Response own = Send("GET", "/rest/api/2/group?groupname=lagging", "");
  EXPECT_EQ(Node(own), "node1");
  EXPECT_EQ(own.status, 200) << own.body;
  // Just before the delay node2 still lags; at the delay it has caught up.
  now_ += std::chrono::milliseconds(299);
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=lagging", "").status, 404);
  now_ += std::chrono::milliseconds(1);
  Response caught_up = Send("GET", "/rest/api/2/group?groupname=lagging", "");
  EXPECT_EQ(Node(caught_up), "node1");
  EXPECT_EQ(caught_up.status, 200);
  Response node2 = Send("GET", "/rest/api/2/group?groupname=lagging", "");
  EXPECT_EQ(Node(node2), "node2");
  EXPECT_EQ(node2.status, 200) << node2.body;
  EXPECT_EQ(router_->Stats()["nodes"]["node1"], 3);
  EXPECT_EQ(router_->Stats()["nodes"]["node2"], 3);
}

TEST_F(ClusterTest, StaleValuesNotOnlyMissingObjects) {
  CreateUser("carol");  // node1
  router_->Replicate();
  Response changed =
      Send("PUT", "/rest/api/2/user?username=carol", "", {{"displayName", "Carol New"}});  // node2
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Node(changed), "node2");
  Response old = Send("GET", "/rest/api/2/user?username=carol", "");  // node1
  EXPECT_EQ(Node(old), "node1");
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(Json(old)["displayName"], "User carol");
  Response fresh = Send("GET", "/rest/api/2/user?username=carol", "");  // node2
  EXPECT_EQ(Json(fresh)["displayName"], "Carol New");
}

TEST_F(ClusterTest, TheSessionCookieKeepsAClientOnItsNode) {
  Response first = Send("GET", "/rest/api/2/myself", "");
  ASSERT_EQ(first.status, 200);
  std::vector<std::string> set = SetCookies(first);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_TRUE(std::regex_match(set[0], std::regex("JSESSIONID=[0-9A-F]{32}\\.node1; Path=/; HttpOnly")))
      << set[0];
  const std::string cookie = CookiePair(first, "JSESSIONID");
  for (int i = 0; i < 3; ++i) {
    std::string name = "sticky" + std::to_string(i);
    Response w = Send("POST", "/rest/api/2/group", cookie, {{"name", name}});
    EXPECT_EQ(Node(w), "node1");
    EXPECT_TRUE(SetCookies(w).empty()) << "a known session gets no new cookie";
    Response r = Send("GET", "/rest/api/2/group?groupname=" + name, cookie);
    EXPECT_EQ(Node(r), "node1");
    EXPECT_EQ(r.status, 200) << r.body;
  }
  // A cookie naming node2 goes there even for a session node2 never issued; node2 then
  // starts a session of its own.
  Response moved = Send("GET", "/rest/api/2/myself", "JSESSIONID=0123.node2");
  EXPECT_EQ(Node(moved), "node2");
  EXPECT_NE(CookiePair(moved, "JSESSIONID").find(".node2"), std::string::npos);
  // A route that names no node is ignored: round-robin.
  Response unknown = Send("GET", "/rest/api/2/myself", "JSESSIONID=0123.node9");
  EXPECT_FALSE(CookiePair(unknown, "JSESSIONID").empty());
}

TEST_F(ClusterTest, JSessionIdPathIsTheContextPath) {
  options_.context_path = "/jira";
  Restart();
  Response r = Send("GET", "/jira/rest/api/2/myself", "");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(SetCookies(r).size(), 1u);
  EXPECT_NE(SetCookies(r)[0].find("; Path=/jira; HttpOnly"), std::string::npos) << SetCookies(r)[0];
}

TEST_F(ClusterTest, ANodeSeesItsOwnWritesAndEverythingBeforeThem) {
  Send("POST", "/rest/api/2/group", "JSESSIONID=x.node1", {{"name", "first"}});
  Send("POST", "/rest/api/2/group", "JSESSIONID=x.node2", {{"name", "second"}});
  // node2's write went through the database, which already held node1's.
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=first", "JSESSIONID=x.node2").status, 200);
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=second", "JSESSIONID=x.node1").status, 404);
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=first", "JSESSIONID=x.node1").status, 200);
  // Writes act on the database: node1 may add a member to node2's group at once.
  Response add = Send("POST", "/rest/api/2/group/user?groupname=second", "JSESSIONID=x.node1",
                      {{"name", "bob"}});
  EXPECT_EQ(add.status, 201) << add.body;
  router_->Replicate();
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=second", "JSESSIONID=x.node1").status, 200);
}

TEST_F(ClusterTest, RouteIdCookieOfTheBalancer) {
  options_.balancer_cookie = "ROUTEID";
  Restart();
  Response first = Send("GET", "/rest/api/2/myself", "");
  EXPECT_EQ(CookiePair(first, "ROUTEID"), "ROUTEID=.node1");
  bool has_path = false;
  for (const auto& c : SetCookies(first)) has_path = has_path || c == "ROUTEID=.node1; path=/";
  EXPECT_TRUE(has_path);
  EXPECT_FALSE(CookiePair(first, "JSESSIONID").empty()) << "the node still sets its session";
  // The balancer routes on ROUTEID alone, whatever JSESSIONID says.
  Response r = Send("GET", "/rest/api/2/myself", "JSESSIONID=abc.node1; ROUTEID=.node2");
  EXPECT_EQ(Node(r), "node2");
  EXPECT_TRUE(CookiePair(r, "ROUTEID").empty());
  Response only_session = Send("GET", "/rest/api/2/myself", "JSESSIONID=abc.node2");
  EXPECT_FALSE(CookiePair(only_session, "ROUTEID").empty());
}

TEST_F(ClusterTest, AwsAlbCookieIsOpaqueAndRoutes) {
  options_.balancer_cookie = "AWSALB";
  Restart();
  Send("GET", "/rest/api/2/myself", "");  // node1
  Response second = Send("GET", "/rest/api/2/myself", "");
  ASSERT_EQ(Node(second), "node2");
  const std::string alb = CookiePair(second, "AWSALB");
  ASSERT_FALSE(alb.empty());
  EXPECT_EQ(alb.find("node"), std::string::npos) << "the value names no node";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Node(Send("GET", "/rest/api/2/myself", alb)), "node2");
  Response forged = Send("GET", "/rest/api/2/myself", "AWSALB=forged");
  EXPECT_FALSE(CookiePair(forged, "AWSALB").empty()) << "an unknown value gets a new cookie";
}

TEST_F(ClusterTest, ResetAndReplicateEndTheLag) {
  Send("POST", "/rest/api/2/group", "", {{"name", "g1"}});  // node1
  router_->Replicate();
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=g1", "").status, 200);  // node2
  Response over_http = router_->Handle(MakeRequest("POST", "/_emulator/replicate"));
  EXPECT_EQ(over_http.status, 204);
  Send("POST", "/rest/api/2/group", "", {{"name", "g2"}});  // node1
  router_->Reset();
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=g2", "").status, 404);  // gone everywhere
  EXPECT_EQ(Send("GET", "/rest/api/2/group?groupname=jira-administrators", "").status, 200);
}

TEST(ClusterSingleNode, SetsNoCookiesAndNamesNoNode) {
  Options o;
  Router router(o);
  Response r = router.Handle(MakeRequest("GET", "/rest/api/2/myself"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Set-Cookie"), nullptr);
  EXPECT_EQ(r.Header("X-ANODEID"), nullptr);
  EXPECT_FALSE(router.Stats().contains("nodes"));
}

TEST(ClusterCli, ParsesTheClusterFlags) {
  Options o;
  std::string error;
  ASSERT_EQ(ParseCommandLine({"--nodes", "3", "--replication-delay=50", "--balancer-cookie",
                              "AWSALB"},
                             &o, &error),
            CliResult::kRun)
      << error;
  EXPECT_EQ(o.nodes, 3);
  EXPECT_EQ(o.replication_delay, std::chrono::milliseconds(50));
  EXPECT_EQ(o.balancer_cookie, "AWSALB");
  EXPECT_EQ(Options().nodes, 1);
  EXPECT_EQ(Options().replication_delay, std::chrono::milliseconds(300));
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--nodes", "0"}, {"--replication-delay", "-1"}, {"--balancer-cookie", "SERVERID"}}) {
    Options bad;
    EXPECT_EQ(ParseCommandLine(args, &bad, &error), CliResult::kError) << args[0];
    EXPECT_NE(error.find(args[0]), std::string::npos) << error;
  }
  for (const char* flag : {"--nodes", "--replication-delay", "--balancer-cookie",
                           "/_emulator/replicate"}) {
    EXPECT_NE(Usage().find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace emulator
