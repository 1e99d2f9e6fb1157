// The client under Jira Data Center's rate limit, against a scripted server that keeps a
// token bucket the way Jira describes it (batches of FillRate every Interval, headers on
// every answer, Retry-After on a 429).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "provider/jira/beast_client.h"
#include "provider/jira/script_server.h"

namespace jira {
namespace {

using testing::ScriptReply;
using testing::ScriptRequest;
using testing::ScriptServer;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr char kMyself[] =
    R"({"key":"JIRAUSER10000","name":"admin","emailAddress":"a@x","displayName":"Admin","active":true})";

// Jira's bucket: `limit` tokens, `fill` more at the end of every second since the first request.
class Bucket {
 public:
  Bucket(int limit, int fill) : limit_(limit), fill_(fill), tokens_(limit) {}

  ScriptReply Answer() {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = Clock::now();
    if (!started_) {
      started_ = true;
      start_ = now;
    }
    const int64_t batches = std::chrono::duration_cast<std::chrono::seconds>(now - start_).count();
    tokens_ = std::min<int64_t>(limit_, tokens_ + fill_ * (batches - batches_));
    batches_ = batches;
    const bool allowed = tokens_ >= 1;
    if (allowed) {
      --tokens_;
    } else {
      ++refused_;
    }
    std::map<std::string, std::string> h = {{"X-RateLimit-Limit", std::to_string(limit_)},
                                            {"X-RateLimit-Remaining", std::to_string(tokens_)},
                                            {"X-RateLimit-FillRate", std::to_string(fill_)},
                                            {"X-RateLimit-Interval-Seconds", "1"},
                                            {"Retry-After", allowed ? "0" : "1"}};
    if (!allowed) return ScriptReply{429, "", "application/json", h};
    return ScriptReply{200, kMyself, "application/json", h};
  }
  int refused() {
    std::lock_guard<std::mutex> lock(mu_);
    return refused_;
  }

 private:
  std::mutex mu_;
  const int64_t limit_, fill_;
  int64_t tokens_;
  int64_t batches_ = 0;
  bool started_ = false;
  Clock::time_point start_;
  int refused_ = 0;
};

// The lines a client logs at one level, from whichever thread sends the request.
class LoggedLines {
 public:
  std::function<void(std::string_view)> Sink() {
    return [this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    };
  }
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

ClientConfig Config(const std::string& url) {
  ClientConfig c;
  c.base_url = url;
  c.username = "admin";
  c.password = "Rate-Limit-Secret-Pw";
  c.retry_base_delay = milliseconds(1);
  c.retry_max_delay = milliseconds(5000);  // also caps a 429 hold
  c.request_timeout = milliseconds(10000);
  return c;
}

std::shared_ptr<Client> Make(ClientConfig cfg) {
  auto c = NewBeastClient(std::move(cfg));
  EXPECT_TRUE(c.ok());
  return *c;
}

TEST(ClientRateLimitTest, ParallelCallersStayWithinTheBucket) {
  Bucket bucket(4, 10);
  ScriptServer server([&](const ScriptRequest&) { return bucket.Answer(); });
  auto client = Make(Config(server.url()));
  ASSERT_TRUE(client->GetMyself().ok());  // learns the bucket, as ConfigureProvider would
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 3; ++j) failures += !client->GetMyself().ok();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  // 25 requests against 4 + 10/s: without the shared limiter most would be refused. The
  // goal is at most 5% more requests than the work needs: here, at most one refusal.
  EXPECT_LE(bucket.refused(), 1);
  EXPECT_EQ(server.requests().size(), 25u + static_cast<size_t>(bucket.refused()));
}

TEST(ClientRateLimitTest, ARefusalIsNotARetryAndHoldsEveryRequest) {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::vector<Clock::time_point> arrivals;
  ScriptServer server([&](const ScriptRequest&) -> std::optional<ScriptReply> {
    {
      std::lock_guard<std::mutex> lock(mu);
      arrivals.push_back(Clock::now());
    }
    // A proxy-style 429 with Retry-After only: no X-RateLimit headers.
    if (calls++ == 0) return ScriptReply{429, "", "application/json", {{"Retry-After", "1"}}};
    return ScriptReply{200, kMyself};
  });
  ClientConfig cfg = Config(server.url());
  cfg.max_retries = 0;  // no retries for real failures; a 429 still waits and goes again
  std::atomic<int> backoffs{0};
  cfg.on_backoff = [&](milliseconds) { ++backoffs; };
  auto client = Make(cfg);
  auto first = client->GetMyself();
  ASSERT_TRUE(first.ok()) << first.error().Message();
  EXPECT_EQ(backoffs.load(), 1);  // the hold, reported like a backoff; no retry was used
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_GE(arrivals[1] - arrivals[0], milliseconds(950));  // Retry-After was honoured
}

TEST(ClientRateLimitTest, OtherRequestsWaitOutAHoldToo) {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::vector<Clock::time_point> arrivals;
  ScriptServer server([&](const ScriptRequest&) -> std::optional<ScriptReply> {
    {
      std::lock_guard<std::mutex> lock(mu);
      arrivals.push_back(Clock::now());
    }
    if (calls++ == 0) return ScriptReply{429, "", "application/json", {{"Retry-After", "1"}}};
    return ScriptReply{200, kMyself};
  });
  auto client = Make(Config(server.url()));
  std::atomic<bool> a_ok{false};
  std::thread a([&] { a_ok = client->GetMyself().ok(); });
  while (calls.load() == 0) std::this_thread::sleep_for(milliseconds(5));
  // A second caller starts during the hold Jira named; it must not go before it ends.
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_TRUE(client->GetMyself().ok());
  a.join();
  EXPECT_TRUE(a_ok.load());
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(arrivals.size(), 3u);
  EXPECT_GE(arrivals[1] - arrivals[0], milliseconds(950));
  EXPECT_GE(arrivals[2] - arrivals[0], milliseconds(950));
}

TEST(ClientRateLimitTest, CancellationEndsATokenWait) {
  ScriptServer server([&](const ScriptRequest&) -> std::optional<ScriptReply> {
    // One token, spent; the next comes in a minute.
    return ScriptReply{200, kMyself, "application/json",
                       {{"X-RateLimit-Limit", "1"}, {"X-RateLimit-Remaining", "0"},
                        {"X-RateLimit-FillRate", "1"}, {"X-RateLimit-Interval-Seconds", "60"},
                        {"Retry-After", "0"}}};
  });
  ClientConfig cfg = Config(server.url());
  cfg.request_timeout = milliseconds(600000);
  auto client = Make(cfg);
  ASSERT_TRUE(client->GetMyself().ok());
  std::atomic<bool> stop{false};
  auto view = client->WithCancellation([&] { return stop.load(); });
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(200));
    stop = true;
  });
  auto r = view->GetMyself();
  stopper.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  EXPECT_EQ(server.requests().size(), 1u);  // the waiting request was never sent
}

TEST(ClientRateLimitTest, AWaitBeyondTheRequestTimeoutIsAClearError) {
  ScriptServer server([&](const ScriptRequest&) -> std::optional<ScriptReply> {
    return ScriptReply{200, kMyself, "application/json",
                       {{"X-RateLimit-Limit", "1"}, {"X-RateLimit-Remaining", "0"},
                        {"X-RateLimit-FillRate", "1"}, {"X-RateLimit-Interval-Seconds", "60"},
                        {"Retry-After", "0"}}};
  });
  ClientConfig cfg = Config(server.url());
  cfg.request_timeout = milliseconds(2000);
  auto client = Make(cfg);
  ASSERT_TRUE(client->GetMyself().ok());
  const auto started = Clock::now();
  auto r = client->GetMyself();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTransport);
  EXPECT_EQ(r.error().Message().find("Jira answered"), std::string::npos);
  EXPECT_NE(r.error().Message().find("1 requests, then 1 every 60 s"), std::string::npos)
      << r.error().Message();
  EXPECT_NE(r.error().Message().find("request_timeout"), std::string::npos);
  EXPECT_LT(Clock::now() - started, milliseconds(1500));  // failed at once, did not sit it out
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(r.error().Message().find("Rate-Limit-Secret-Pw"), std::string::npos);
}

TEST(ClientRateLimitTest, ClientsOfOneUserShareTheLimiterAndLogTheWait) {
  Bucket bucket(2, 5);
  ScriptServer server([&](const ScriptRequest&) { return bucket.Answer(); });
  LoggedLines debug;
  ClientConfig cfg = Config(server.url());
  cfg.log = debug.Sink();
  // Two provider configurations in one process, same Jira, same user.
  auto a = Make(cfg);
  auto b = Make(cfg);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(a->GetMyself().ok());
    ASSERT_TRUE(b->GetMyself().ok());
  }
  EXPECT_EQ(bucket.refused(), 0);
  bool said = false;
  for (const auto& l : debug.lines()) {
    said = said || l.find("for a token of Jira's rate limit (2 requests, then 5 every 1 s)") !=
                       std::string::npos;
    EXPECT_EQ(l.find("Rate-Limit-Secret-Pw"), std::string::npos);
  }
  EXPECT_TRUE(said);
}

// The user should see why an apply is slow: once the requests have waited
// RateLimiter::kNoticeableWait in all, one info line names the limit, and only one.
TEST(ClientRateLimitTest, ANoticeableWaitIsSaidOnceAtInfoLevel) {
  Bucket bucket(2, 5);
  ScriptServer server([&](const ScriptRequest&) { return bucket.Answer(); });
  LoggedLines logged;
  ClientConfig cfg = Config(server.url());
  cfg.log_info = logged.Sink();
  auto client = Make(cfg);
  ASSERT_TRUE(client->GetMyself().ok());  // learns the bucket
  // 6 callers at once against a bucket that holds 2 (its batches of 5 are cut to that): two
  // a second, so they wait about 1, 1, 2, 2, 3 and 3 s, 12 s in all, past the 5 s that make
  // a wait noticeable.
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] { failures += !client->GetMyself().ok(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(bucket.refused(), 0);
  const std::vector<std::string> info = logged.lines();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_NE(info[0].find("Jira's rate limit (2 requests, then 5 every 1 s) is pacing the requests"),
            std::string::npos)
      << info[0];
  EXPECT_EQ(info[0].find("Rate-Limit-Secret-Pw"), std::string::npos);
}

}  // namespace
}  // namespace jira
