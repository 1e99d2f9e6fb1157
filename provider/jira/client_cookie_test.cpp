// Cookies on the wire: the client returns what a Jira (or its load balancer) set, only to that
// origin, honouring Path, Secure and expiry (RFC 6265), and never writes a cookie value into a
// log line or an error text. Checked with scripted servers, which show the raw request headers.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "provider/jira/client.h"
#include "provider/jira/read_after_write.h"
#include "provider/jira/script_server.h"

namespace jira {
namespace {

using std::chrono::milliseconds;
using testing::ScriptReply;
using testing::ScriptRequest;
using testing::ScriptServer;

constexpr char kSession[] = "5EC12E7C00C1E5E55104D0000000AB1D.node1";
constexpr char kUserJson[] =
    R"({"key":"JIRAUSER10100","name":"bob","emailAddress":"b@x","displayName":"Bob","active":true})";
constexpr char kServerInfoJson[] = R"({"version":"9.12.2","deploymentType":"Server"})";

struct Captured {
  std::mutex mu;
  std::vector<std::string> lines;
  void Add(std::string_view l) {
    std::lock_guard lock(mu);
    lines.emplace_back(l);
  }
};

std::shared_ptr<Client> Make(const std::string& url, Captured* log,
                             const std::string& user = "admin") {
  ClientConfig c;
  c.base_url = url;
  c.username = user;
  c.password = "Sup3r-Secret-Admin";
  c.max_retries = 1;
  c.retry_base_delay = milliseconds(1);
  c.retry_max_delay = milliseconds(5);
  c.request_timeout = milliseconds(5000);
  if (log) c.log = [log](std::string_view l) { log->Add(l); };
  auto client = NewClient(c);
  EXPECT_TRUE(client.ok());
  return client.ok() ? client.value() : nullptr;
}

std::string CookieOf(const ScriptRequest& r) {
  auto it = r.headers.find("Cookie");
  return it == r.headers.end() ? "" : it->second;
}

TEST(ClientCookieTest, SessionCookieGoesBackToTheSameOriginOnEveryRequest) {
  ScriptServer server([](const ScriptRequest& r) -> std::optional<ScriptReply> {
    if (r.target.rfind("/rest/api/2/serverInfo", 0) == 0) {
      return ScriptReply{200, kServerInfoJson, "application/json",
                         {{"Set-Cookie", std::string("JSESSIONID=") + kSession + "; Path=/; HttpOnly"}}};
    }
    return ScriptReply{200, kUserJson};
  });
  Captured log;
  auto c = Make(server.url(), &log);
  EXPECT_TRUE(c->GetServerInfo().ok());
  EXPECT_TRUE(c->GetUserByName("bob").ok());
  EXPECT_TRUE(c->GetUserByKey("JIRAUSER10100").ok());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(CookieOf(reqs[0]), "");
  EXPECT_EQ(CookieOf(reqs[1]), std::string("JSESSIONID=") + kSession);
  EXPECT_EQ(CookieOf(reqs[2]), std::string("JSESSIONID=") + kSession);
  for (const auto& line : log.lines) {
    EXPECT_EQ(line.find("5EC12E7C"), std::string::npos) << "cookie value in a log line: " << line;
  }
  EXPECT_FALSE(log.lines.empty()) << "the debug log was captured";
}

TEST(ClientCookieTest, PathSecureAndExpiryAreHonoured) {
  std::atomic<int> n{0};
  ScriptServer server([&](const ScriptRequest& r) -> std::optional<ScriptReply> {
    const int i = n++;
    std::map<std::string, std::string> h;
    // 0: a cookie for /rest/api/2/user only; 1: a Secure one over http (never sent back);
    // 2: one that expires in a second; 3: ROUTEID for the whole site.
    if (i == 0) h["Set-Cookie"] = "scoped=only-users; Path=/rest/api/2/user";
    if (i == 1) h["Set-Cookie"] = "tls_only=s3cure; Secure; Path=/";
    if (i == 2) h["Set-Cookie"] = "brief=short-lived; Max-Age=1; Path=/";
    if (i == 3) h["Set-Cookie"] = "ROUTEID=.node2; path=/";
    // Later: an Expires in the past removes ROUTEID again.
    if (i == 6) h["Set-Cookie"] = "ROUTEID=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/";
    const bool info = r.target.rfind("/rest/api/2/serverInfo", 0) == 0;
    return ScriptReply{200, info ? kServerInfoJson : kUserJson, "application/json", h};
  });
  auto c = Make(server.url(), nullptr);
  ASSERT_TRUE(c->GetUserByName("bob").ok());   // 0 sets scoped
  ASSERT_TRUE(c->GetServerInfo().ok());        // 1: scoped not for /serverInfo; sets tls_only
  ASSERT_TRUE(c->GetUserByName("bob").ok());   // 2: scoped; sets brief
  ASSERT_TRUE(c->GetServerInfo().ok());        // 3: brief; sets ROUTEID
  ASSERT_TRUE(c->GetServerInfo().ok());        // 4: brief, ROUTEID
  std::this_thread::sleep_for(milliseconds(1100));
  ASSERT_TRUE(c->GetServerInfo().ok());        // 5: ROUTEID only (brief expired)
  ASSERT_TRUE(c->GetServerInfo().ok());        // 6: ROUTEID; removes it
  ASSERT_TRUE(c->GetUserByName("bob").ok());   // 7: scoped only
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 8u);
  EXPECT_EQ(CookieOf(reqs[0]), "");
  EXPECT_EQ(CookieOf(reqs[1]), "");
  EXPECT_EQ(CookieOf(reqs[2]), "scoped=only-users");
  EXPECT_EQ(CookieOf(reqs[3]), "brief=short-lived");
  EXPECT_EQ(CookieOf(reqs[4]), "brief=short-lived; ROUTEID=.node2");
  EXPECT_EQ(CookieOf(reqs[5]), "ROUTEID=.node2");
  EXPECT_EQ(CookieOf(reqs[6]), "ROUTEID=.node2");
  EXPECT_EQ(CookieOf(reqs[7]), "scoped=only-users");
  for (const auto& r : reqs) EXPECT_EQ(CookieOf(r).find("s3cure"), std::string::npos);
}

TEST(ClientCookieTest, NeverSentToAnotherOrigin) {
  // Two provider configurations in one process, each with its own Jira.
  auto handler = [](const char* cookie) {
    return [cookie](const ScriptRequest&) -> std::optional<ScriptReply> {
      return ScriptReply{200, kUserJson, "application/json", {{"Set-Cookie", cookie}}};
    };
  };
  ScriptServer a(handler("JSESSIONID=AAAA-session-of-a.node1; Path=/"));
  ScriptServer b(handler("AWSALB=BBBB-balancer-of-b; Path=/"));
  auto ca = Make(a.url(), nullptr);
  auto cb = Make(b.url(), nullptr);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(ca->GetUserByName("bob").ok());
    ASSERT_TRUE(cb->GetUserByName("bob").ok());
  }
  // A third configuration for the first Jira as another user gets its own session too.
  auto other_user = Make(a.url(), nullptr, "someone-else");
  ASSERT_TRUE(other_user->GetUserByName("bob").ok());

  auto ra = a.requests();
  auto rb = b.requests();
  ASSERT_EQ(ra.size(), 4u);
  ASSERT_EQ(rb.size(), 3u);
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(CookieOf(ra[i]), "JSESSIONID=AAAA-session-of-a.node1");
    EXPECT_EQ(CookieOf(rb[i]), "AWSALB=BBBB-balancer-of-b");
  }
  EXPECT_EQ(CookieOf(ra[3]), "") << "another identity does not share the session";
  for (const auto& r : ra) EXPECT_EQ(CookieOf(r).find("BBBB"), std::string::npos);
  for (const auto& r : rb) EXPECT_EQ(CookieOf(r).find("AAAA"), std::string::npos);
}

TEST(ClientCookieTest, CookieValuesStayOutOfErrorsAndLogs) {
  std::atomic<int> n{0};
  ScriptServer server([&](const ScriptRequest& r) -> std::optional<ScriptReply> {
    if (n++ == 0) {
      return ScriptReply{200, kUserJson, "application/json",
                         {{"Set-Cookie", std::string("JSESSIONID=") + kSession + "; Path=/"}}};
    }
    // Failures of every kind after the session exists; their text must not show the cookie.
    if (r.method == "DELETE") return ScriptReply{503, "<html>down</html>", "text/html"};
    return ScriptReply{400, R"({"errorMessages":["bad request"],"errors":{}})"};
  });
  Captured log;
  auto c = Make(server.url(), &log);
  ASSERT_TRUE(c->GetUserByName("bob").ok());
  auto bad = c->GetGroup("devs");
  ASSERT_FALSE(bad.ok());
  auto down = c->DeleteGroup("devs");
  ASSERT_FALSE(down.ok());
  for (const Error* e : {&bad.error(), &down.error()}) {
    EXPECT_EQ(e->Message().find("5EC12E7C"), std::string::npos) << e->Message();
    EXPECT_EQ(e->Message().find("JSESSIONID"), std::string::npos) << e->Message();
  }
  auto reqs = server.requests();
  ASSERT_GE(reqs.size(), 3u);
  EXPECT_EQ(CookieOf(reqs[1]), std::string("JSESSIONID=") + kSession) << "the cookie was in play";
  ASSERT_FALSE(log.lines.empty());
  for (const auto& line : log.lines) {
    EXPECT_EQ(line.find("5EC12E7C"), std::string::npos) << line;
    EXPECT_EQ(line.find("JSESSIONID"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace jira
