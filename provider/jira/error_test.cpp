#include <gtest/gtest.h>

#include "provider/jira/error.h"
#include "provider/jira/error_parse.h"

namespace jira {
namespace {

Error Parse(int status, std::string_view body, std::string_view content_type = "application/json",
            std::string_view login_reason = "", std::string_view denied_reason = "") {
  ErrorResponse r;
  r.status = status;
  r.body = body;
  r.content_type = content_type;
  r.login_reason = login_reason;
  r.denied_reason = denied_reason;
  r.method_and_path = "POST /rest/api/2/user";
  return ErrorFromResponse(r);
}

TEST(ErrorParseTest, ErrorCollectionWithFieldErrors) {
  Error e = Parse(400,
                  R"({"errorMessages":[],"errors":{"username":"A user with that username already exists."}})");
  EXPECT_EQ(e.kind, ErrorKind::kInvalid);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_TRUE(e.messages.empty());
  ASSERT_EQ(e.field_errors.count("username"), 1u);
  EXPECT_EQ(e.Message(),
            "Jira answered 400 Bad Request to POST /rest/api/2/user: username: A user with that "
            "username already exists.");
}

TEST(ErrorParseTest, ErrorCollectionMessages) {
  Error e = Parse(404, R"({"errorMessages":["The user named 'bob' does not exist"],"errors":{}})");
  EXPECT_EQ(e.kind, ErrorKind::kNotFound);
  ASSERT_EQ(e.messages.size(), 1u);
  EXPECT_EQ(e.messages[0], "The user named 'bob' does not exist");
  EXPECT_NE(e.Message().find("The user named 'bob' does not exist"), std::string::npos);
}

TEST(ErrorParseTest, GermanMessagesAreKeptWordForWord) {
  // Jira words errors in the account's language; they reach the user unchanged, and no
  // decision is taken on them (there is no IsAlreadyMember & co. to take one).
  Error e = Parse(400, R"({"errorMessages":["Der Benutzer kann nicht entfernt werden, da er kein Mitglied ist."],"errors":{}})");
  EXPECT_EQ(e.kind, ErrorKind::kInvalid);
  EXPECT_NE(e.Message().find("da er kein Mitglied ist."), std::string::npos);
}

TEST(ErrorParseTest, RedirectIsAConfigurationErrorNamingTheLocation) {
  Error e = Parse(301, "<html><body>Moved</body></html>", "text/html");
  e.location = "https://jira.example.com/jira/rest/api/2/serverInfo";
  EXPECT_EQ(e.kind, ErrorKind::kInvalid);  // never a retryable server fault
  EXPECT_TRUE(e.IsRedirect());
  EXPECT_NE(e.Message().find("redirected to https://jira.example.com/jira/rest/api/2/serverInfo"),
            std::string::npos);
  EXPECT_NE(e.Message().find("set url"), std::string::npos);
}

TEST(ErrorParseTest, BareStringEntity) {
  Error e = Parse(400, R"("rest.group.user.already.exists.in.group")");
  ASSERT_EQ(e.messages.size(), 1u);
  EXPECT_EQ(e.messages[0], "rest.group.user.already.exists.in.group");
}

TEST(ErrorParseTest, StatusEntityJson) {
  Error e = Parse(401, R"({"status-code":401,"message":"Client must be authenticated to access this resource."})");
  EXPECT_EQ(e.kind, ErrorKind::kUnauthorized);
  ASSERT_EQ(e.messages.size(), 1u);
  EXPECT_EQ(e.messages[0], "Client must be authenticated to access this resource.");
  EXPECT_NE(e.Message().find("Check the username and password"), std::string::npos);
}

TEST(ErrorParseTest, StatusEntityXml) {
  Error e = Parse(401,
                  "<?xml version=\"1.0\"?><status><status-code>401</status-code><message>This "
                  "resource requires WebSudo.</message></status>",
                  "application/xml");
  ASSERT_EQ(e.messages.size(), 1u);
  EXPECT_EQ(e.messages[0], "This resource requires WebSudo.");
}

TEST(ErrorParseTest, NullForUri) {
  Error e = Parse(404, R"({"message":"null for uri: http://jira/rest/api/2/nope","status-code":404})");
  EXPECT_EQ(e.kind, ErrorKind::kNotFound);
  EXPECT_EQ(e.messages.at(0), "null for uri: http://jira/rest/api/2/nope");
}

TEST(ErrorParseTest, ErrorMessageKey) {
  Error e = Parse(500, R"({"errorMessage":"Something broke"})");
  EXPECT_EQ(e.kind, ErrorKind::kServer);
  EXPECT_EQ(e.messages.at(0), "Something broke");
}

TEST(ErrorParseTest, HtmlPage) {
  Error e = Parse(401,
                  "<html><head><title>Unauthorized</title><style>p{}</style></head><body>"
                  "<h1>Basic Authentication Failure - Reason : AUTHENTICATED_FAILED</h1>"
                  "<p>a &amp; b</p><script>var x = '<b>';</script></body></html>",
                  "text/html;charset=UTF-8", "AUTHENTICATED_FAILED");
  EXPECT_EQ(e.kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(e.login_reason, "AUTHENTICATED_FAILED");
  ASSERT_EQ(e.messages.size(), 1u);
  EXPECT_EQ(e.messages[0], "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED a & b");
  EXPECT_NE(e.Message().find("X-Seraph-LoginReason: AUTHENTICATED_FAILED"), std::string::npos);
}

TEST(ErrorParseTest, PlainTextAndUntranslatedKey) {
  Error e = Parse(400, "error.no.value.found.to.be.changed", "text/plain");
  EXPECT_EQ(e.messages.at(0), "error.no.value.found.to.be.changed");
}

TEST(ErrorParseTest, EmptyBodyStillReadable) {
  Error e = Parse(503, "", "");
  EXPECT_EQ(e.kind, ErrorKind::kServer);
  EXPECT_TRUE(e.messages.empty());
  EXPECT_EQ(e.Message(), "Jira answered 503 Service Unavailable to POST /rest/api/2/user");
  EXPECT_EQ(Parse(429, "").kind, ErrorKind::kRateLimited);
  EXPECT_EQ(Parse(403, "").kind, ErrorKind::kForbidden);
}

TEST(ErrorParseTest, HugeTextIsShortened) {
  Error e = Parse(500, std::string(10000, 'x'), "text/plain");
  ASSERT_EQ(e.messages.size(), 1u);
  EXPECT_LT(e.messages[0].size(), 400u);
}

// Found by fuzz/jira_response_fuzzer: the cut at 300 bytes split a two-byte character, so a
// UTF-8 answer gave a message that is not UTF-8, which Terraform cannot decode.
TEST(ErrorParseTest, ShorteningKeepsWholeUtf8Characters) {
  std::string body = "a";
  for (int i = 0; i < 200; ++i) body += "\xc3\xa9";  // U+00E9, two bytes each
  Error e = Parse(500, body, "text/plain");
  ASSERT_EQ(e.messages.size(), 1u);
  std::string expected = "a";
  for (int i = 0; i < 149; ++i) expected += "\xc3\xa9";  // 299 bytes: the 150th would end at 301
  EXPECT_EQ(e.messages[0], expected + "...");
}

TEST(ErrorParseTest, MalformedJsonFallsBackToText) {
  Error e = Parse(500, R"({"errorMessages": [)");
  ASSERT_EQ(e.messages.size(), 1u);
  EXPECT_EQ(e.messages[0], R"({"errorMessages": [)");
}

TEST(ErrorParseTest, CaptchaLockout) {
  Error e = Parse(403, "", "text/html", "AUTHENTICATION_DENIED",
                  "CAPTCHA_CHALLENGE; login-url=https://jira/login.jsp");
  EXPECT_EQ(e.kind, ErrorKind::kForbidden);
  EXPECT_TRUE(e.IsCaptchaLockout());
  EXPECT_NE(e.Message().find("CAPTCHA_CHALLENGE; login-url=https://jira/login.jsp"),
            std::string::npos);
  EXPECT_FALSE(Parse(403, R"({"errorMessages":["no"],"errors":{}})").IsCaptchaLockout());
}

TEST(ErrorTest, TransportAndCancelledMessages) {
  Error t = TransportError("GET /rest/api/2/myself", "cannot connect to 127.0.0.1:1: Connection refused");
  EXPECT_EQ(t.kind, ErrorKind::kTransport);
  EXPECT_EQ(t.http_status, 0);
  EXPECT_EQ(t.Message(),
            "Jira request GET /rest/api/2/myself failed: cannot connect to 127.0.0.1:1: Connection refused");
  EXPECT_EQ(CancelledError("GET /x").Message(), "Jira request GET /x was cancelled");
}

}  // namespace
}  // namespace jira
