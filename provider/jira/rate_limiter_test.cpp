#include "provider/jira/rate_limiter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

namespace jira {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using TimePoint = std::chrono::steady_clock::time_point;

// A clock that moves only when someone sleeps (or the test jumps it). Thread-safe.
struct FakeTime {
  std::mutex mu;
  TimePoint now = TimePoint() + std::chrono::hours(1000);
  int sleeps = 0;

  RateLimiter Make() {
    return RateLimiter([this] { std::lock_guard l(mu); return now; },
                       [this](std::chrono::steady_clock::duration d) {
                         std::lock_guard l(mu);
                         now += d;
                         ++sleeps;
                       });
  }
  void Jump(std::chrono::steady_clock::duration d) {
    std::lock_guard l(mu);
    now += d;
  }
  TimePoint Now() {
    std::lock_guard l(mu);
    return now;
  }
};

RateLimitHeaders Headers(std::string limit, std::string remaining, std::string fill,
                         std::string interval, std::string retry_after = "0") {
  return {std::move(limit), std::move(remaining), std::move(fill), std::move(interval),
          std::move(retry_after)};
}

const std::function<bool()> kNever = [] { return false; };

TEST(RateLimitHeadersTest, ParsesJirasFourHeaders) {
  auto b = ParseRateLimitHeaders(Headers("40", "12", "20", "1"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->limit, 40);
  EXPECT_EQ(b->remaining, 12);
  EXPECT_DOUBLE_EQ(b->fill_rate, 20);
  EXPECT_EQ(b->interval_s, 1);
  EXPECT_DOUBLE_EQ(b->TokensPerSecond(), 20);
  EXPECT_EQ(b->Describe(), "40 requests, then 20 every 1 s");

  auto slow = ParseRateLimitHeaders(Headers(" 100 ", "0", "2.5", "60"));
  ASSERT_TRUE(slow);
  EXPECT_DOUBLE_EQ(slow->TokensPerSecond(), 2.5 / 60);
}

TEST(RateLimitHeadersTest, RejectsMissingOrNonsensicalValues) {
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("", "", "", "")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("40", "", "20", "1")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("40", "1", "20", "")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("forty", "1", "20", "1")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("0", "0", "20", "1")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("40", "1", "0", "1")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("40", "1", "-3", "1")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("40", "1", "20", "0")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("40", "1", "nan", "1")));
  EXPECT_FALSE(ParseRateLimitHeaders(Headers("40", "1x", "20", "1")));
  // Remaining outside the bucket is kept within it.
  EXPECT_EQ(ParseRateLimitHeaders(Headers("40", "99", "20", "1"))->remaining, 40);
  EXPECT_EQ(ParseRateLimitHeaders(Headers("40", "-2", "20", "1"))->remaining, 0);
}

TEST(RateLimiterTest, WithoutAnnouncedLimitNothingWaits) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  for (int i = 0; i < 1000; ++i) {
    auto w = limiter.Acquire(t.Now() + seconds(1), kNever);
    ASSERT_EQ(w.outcome, RateLimiter::Outcome::kGo);
    ASSERT_EQ(w.waited.count(), 0);
    limiter.Observe(200, {});
  }
  EXPECT_EQ(t.sleeps, 0);
  EXPECT_FALSE(limiter.bucket());
}

TEST(RateLimiterTest, SpendsWhatIsLeftThenPacesAtTheFillRate) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("40", "3", "20", "1"));
  const TimePoint start = t.Now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire(t.Now() + seconds(30), kNever).waited.count(), 0) << i;
  }
  EXPECT_EQ(t.Now(), start);
  // The local copy counts Jira's next batch of 20 one interval after it synchronised
  // (Jira's batches come at a phase it cannot see), then one batch every interval.
  auto w = limiter.Acquire(t.Now() + seconds(30), kNever);
  EXPECT_EQ(w.outcome, RateLimiter::Outcome::kGo);
  EXPECT_FALSE(w.held_by_refusal);
  EXPECT_NEAR(std::chrono::duration<double>(t.Now() - start).count(), 1.0, 0.002);
  for (int i = 0; i < 19; ++i) {
    EXPECT_EQ(limiter.Acquire(t.Now() + seconds(30), kNever).waited.count(), 0) << i;
  }
  EXPECT_NEAR(std::chrono::duration<double>(t.Now() - start).count(), 1.0, 0.002);
  limiter.Acquire(t.Now() + seconds(30), kNever);
  EXPECT_NEAR(std::chrono::duration<double>(t.Now() - start).count(), 2.0, 0.002);
}

TEST(RateLimiterTest, ARefusalHoldsEveryRequestUntilRetryAfter) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  const TimePoint start = t.Now();
  limiter.Observe(429, Headers("", "", "", "", "3"));  // no X-RateLimit headers: Retry-After only
  auto w = limiter.Acquire(t.Now() + seconds(30), kNever);
  EXPECT_EQ(w.outcome, RateLimiter::Outcome::kGo);
  EXPECT_TRUE(w.held_by_refusal);
  EXPECT_GE(t.Now() - start, seconds(3));
  EXPECT_LT(t.Now() - start, milliseconds(3100));
  // The hold is over for the next one too.
  EXPECT_EQ(limiter.Acquire(t.Now() + seconds(30), kNever).waited.count(), 0);
}

TEST(RateLimiterTest, ARefusalWithHeadersEmptiesTheLocalBucket) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("40", "40", "20", "1"));
  limiter.Observe(429, Headers("40", "0", "20", "1", "2"));
  const TimePoint start = t.Now();
  limiter.Acquire(t.Now() + seconds(30), kNever);
  // Held 2 s, when Jira's next batch is due.
  EXPECT_NEAR(std::chrono::duration<double>(t.Now() - start).count(), 2.0, 0.002);
}

TEST(RateLimiterTest, CancellationEndsTheWaitAndGivesTheTurnAway) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("10", "0", "1", "60"));  // next token in about two minutes
  int polls = 0;
  auto w = limiter.Acquire(t.Now() + std::chrono::hours(1), [&] { return ++polls > 2; });
  EXPECT_EQ(w.outcome, RateLimiter::Outcome::kCancelled);
  EXPECT_LT(t.Now() - (TimePoint() + std::chrono::hours(1000)), seconds(1));
  // The abandoned place in the queue does not block the next request.
  limiter.Observe(200, Headers("10", "5", "1", "60"));
  EXPECT_EQ(limiter.Acquire(t.Now() + seconds(1), kNever).outcome, RateLimiter::Outcome::kGo);
}

TEST(RateLimiterTest, AWaitLongerThanTheDeadlineFailsAtOnce) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  // One token every 10 s; Jira's next one is due 10 s after the synchronisation at the latest.
  limiter.Observe(200, Headers("10", "0", "1", "10"));
  auto w = limiter.Acquire(t.Now() + seconds(5), kNever);
  EXPECT_EQ(w.outcome, RateLimiter::Outcome::kTimedOut);
  EXPECT_EQ(t.sleeps, 0);
  EXPECT_EQ(w.would_wait, seconds(10));
  // Nothing was reserved: a patient request gets the same token.
  auto later = limiter.Acquire(t.Now() + seconds(60), kNever);
  EXPECT_EQ(later.outcome, RateLimiter::Outcome::kGo);
  EXPECT_EQ(later.waited, seconds(10));
}

TEST(RateLimiterTest, AForwardClockJumpRefillsNoMoreThanTheCapacity) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("5", "0", "1", "1"));
  t.Jump(std::chrono::hours(24 * 365));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Acquire(t.Now() + seconds(5), kNever).waited.count(), 0);
  EXPECT_GT(limiter.Acquire(t.Now() + seconds(5), kNever).waited.count(), 0);
}

TEST(RateLimiterTest, ABackwardClockJumpDoesNotStretchAHold) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(429, Headers("", "", "", "", "5"));
  t.Jump(-std::chrono::hours(24));
  const TimePoint before = t.Now();
  auto w = limiter.Acquire(t.Now() + seconds(30), kNever);
  EXPECT_EQ(w.outcome, RateLimiter::Outcome::kGo);
  EXPECT_LE(t.Now() - before, seconds(5));
}

TEST(RateLimiterTest, AnAnswerWithoutHeadersStopsThePacing) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("1", "0", "1", "60"));
  limiter.Observe(200, {});  // the user was exempted, or limiting switched off
  EXPECT_EQ(limiter.Acquire(t.Now() + seconds(1), kNever).waited.count(), 0);
  EXPECT_FALSE(limiter.bucket());
}

TEST(RateLimiterTest, FollowsJiraWhenItHasFewerTokens) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("40", "40", "20", "1"));
  limiter.Observe(200, Headers("40", "1", "20", "1"));  // someone else spent them
  EXPECT_EQ(limiter.Acquire(t.Now() + seconds(9), kNever).waited.count(), 0);
  EXPECT_GT(limiter.Acquire(t.Now() + seconds(9), kNever).waited.count(), 0);
}

TEST(RateLimiterTest, SaysOnceWhenWaitingBecameNoticeable) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("1", "0", "1", "1"));
  int said = 0;
  for (int i = 0; i < 20; ++i) said += limiter.Acquire(t.Now() + seconds(30), kNever).became_noticeable;
  EXPECT_EQ(said, 1);
  EXPECT_GE(limiter.total_waited(), RateLimiter::kNoticeableWait);
}

TEST(RateLimiterTest, ParallelCallersShareOneBucket) {
  FakeTime t;
  RateLimiter limiter = t.Make();
  limiter.Observe(200, Headers("4", "4", "10", "1"));
  const TimePoint start = t.Now();
  std::mutex mu;
  std::vector<TimePoint> sent;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        // Every sleeping thread advances the one fake clock, so it runs many times faster
        // than real time: a deadline far away keeps this test about the bucket, not timeouts.
        auto w = limiter.Acquire(t.Now() + std::chrono::hours(24 * 365 * 10), kNever);
        ASSERT_EQ(w.outcome, RateLimiter::Outcome::kGo);
        std::lock_guard l(mu);
        sent.push_back(t.Now());
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(sent.size(), 40u);
  std::sort(sent.begin(), sent.end());
  // Never more than the 4 left plus the batches of 10 counted by then (the first one second
  // after the synchronisation, then one a second).
  // Sleeping threads all advance the fake clock, so time runs fast: only the upper bound on
  // requests per elapsed time is meaningful.
  for (size_t k = 0; k < sent.size(); ++k) {
    const double elapsed = std::chrono::duration<double>(sent[k] - start).count();
    const double batches = elapsed + 1e-9 >= 1.0 ? std::floor(elapsed - 1.0 + 1e-9) + 1 : 0;
    const double allowed = 4 + batches * 10 + 1e-6;
    EXPECT_LE(static_cast<double>(k + 1), allowed) << "request " << k << " at " << elapsed;
  }
}

TEST(RateLimiterTest, OneLimiterPerKeyInAProcess) {
  auto a = RateLimiter::Shared("https://jira.example.com#alice");
  auto b = RateLimiter::Shared("https://jira.example.com#alice");
  auto c = RateLimiter::Shared("https://jira.example.com#bob");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
}

}  // namespace
}  // namespace jira
