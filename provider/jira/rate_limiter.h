// Client-side pacing for Jira Data Center's REST rate limit (Jira 8.6+).
//
// Jira limits each user with a token bucket and describes it on every answer:
//   X-RateLimit-Limit             the bucket's capacity (the admin's "Max requests")
//   X-RateLimit-Remaining         tokens left after this request
//   X-RateLimit-FillRate          tokens added every interval (the admin's "Requests allowed")
//   X-RateLimit-Interval-Seconds  the interval, in seconds
//   Retry-After                   on a 429: seconds until new tokens arrive (0 when some are left)
// (Atlassian, "Rate limiting HTTP headers" and "Improving instance stability with rate
// limiting", Jira Data Center 8.6+.)
//
// One RateLimiter is shared by every request a provider process sends as one Jira user
// (RateLimiter::Shared), so Terraform's parallel operations draw from one local copy of the
// bucket instead of each discovering the limit through its own 429s. Requests reserve a
// token before they are sent; when none is left they wait, first come first served, until
// the bucket refills. After a 429 every request waits until the time Jira named. With no
// limit announced nothing waits.
//
// Jira hands out FillRate tokens in one batch per interval, at a phase the client cannot see.
// The local copy counts a whole batch one interval after it last synchronised with Jira (by
// then Jira's next batch has surely come, whatever its phase) and another every interval
// after that, which keeps the local count at or below Jira's and, in steady state, uses every
// batch (costing at most one interval per synchronisation).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace jira {

// The rate-limit headers of one answer, as received (empty when absent).
struct RateLimitHeaders {
  std::string limit;
  std::string remaining;
  std::string fill_rate;
  std::string interval_seconds;
  std::string retry_after;
};

// A bucket as Jira announced it.
struct RateLimitBucket {
  int64_t limit = 0;          // capacity, >= 1
  int64_t remaining = 0;      // tokens left when the answer was made, >= 0
  double fill_rate = 0;       // tokens per interval, > 0
  int64_t interval_s = 1;     // >= 1

  // The sustained rate. A batch larger than the bucket is cut to its capacity, so a bucket
  // smaller than its fill rate gives `limit` tokens per interval, not `fill_rate`.
  double TokensPerSecond() const {
    return std::min(fill_rate, static_cast<double>(limit)) / static_cast<double>(interval_s);
  }
  // "40 requests, then 20 every 1 s"
  std::string Describe() const;
};

// The bucket the headers describe; nullopt when any of the four X-RateLimit headers is
// missing or malformed (then the answer says nothing reliable about a limit).
std::optional<RateLimitBucket> ParseRateLimitHeaders(const RateLimitHeaders& headers);

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // Sleeps for at most the given time (tests advance a fake clock instead).
  using Sleep = std::function<void(std::chrono::steady_clock::duration)>;

  // Defaults: steady_clock and std::this_thread::sleep_for.
  explicit RateLimiter(Clock clock = nullptr, Sleep sleep = nullptr);

  // The limiter of this process for one Jira user at one base URL; `key` identifies both
  // (never log it: it may be derived from credentials). Created on first use, kept while any
  // client holds it.
  static std::shared_ptr<RateLimiter> Shared(const std::string& key);

  enum class Outcome {
    kGo,         // a token is reserved (or no limit is known): send now
    kCancelled,  // `cancelled` returned true while waiting
    kTimedOut,   // the token would come after `deadline`; nothing was reserved
  };
  struct Wait {
    Outcome outcome = Outcome::kGo;
    std::chrono::milliseconds waited{0};      // time spent waiting
    std::chrono::milliseconds would_wait{0};  // kTimedOut: the wait that was needed
    bool held_by_refusal = false;  // the wait included a hold after a 429
    // True once per limiter, on the first wait after the total waited passed
    // kNoticeableWait: the moment to tell the user at info level why the run is slow.
    bool became_noticeable = false;
    // kGo: answers received before this request went out; pass it to Observe.
    uint64_t answered_before = 0;
  };
  static constexpr std::chrono::seconds kNoticeableWait{5};

  // Waits until a request may be sent. `cancelled` is polled every few milliseconds.
  Wait Acquire(std::chrono::steady_clock::time_point deadline,
               const std::function<bool()>& cancelled);

  // Learns from an answer: the bucket and its level from the X-RateLimit headers, and after a
  // 429 a hold of every request until Retry-After (or, without it, until one token refills;
  // one second when nothing is known). An answer without the headers, other than a 429,
  // means the user is not limited (an exempt user, or limiting switched off): the local
  // bucket is dropped and nothing waits any more.
  // Every kGo of Acquire must be followed by exactly one Observe (an answer came) or
  // NoAnswer (the request failed without one), so the limiter knows what is in flight.
  // Returns the hold a 429 started (zero otherwise); `max_hold` caps it (a Retry-After of
  // hours is not worth waiting for in one run).
  // `answered_before` comes from the request's Wait: every request sent since then, other
  // than those answered before it, may not be counted in the answer's X-RateLimit-Remaining
  // yet (answers arrive in any order). Without it, everything in flight is assumed so.
  std::chrono::steady_clock::duration Observe(
      int status, const RateLimitHeaders& headers,
      std::chrono::steady_clock::duration max_hold = std::chrono::hours(24),
      std::optional<uint64_t> answered_before = std::nullopt);
  void NoAnswer();

  // The bucket last announced, if any.
  std::optional<RateLimitBucket> bucket() const;
  // Sum of all waits so far.
  std::chrono::milliseconds total_waited() const;

 private:
  void RefillLocked(std::chrono::steady_clock::time_point now);
  void SetRefillFromLocked(std::chrono::steady_clock::time_point from);
  std::chrono::steady_clock::time_point Now() const;

  Clock clock_;
  Sleep sleep_;
  mutable std::mutex mu_;
  // All below guarded by mu_.
  std::optional<RateLimitBucket> bucket_;
  double tokens_ = 0;  // local estimate of Jira's level at as_of_, not counting waiters
  std::chrono::steady_clock::time_point as_of_{};
  std::chrono::steady_clock::time_point refill_from_{};  // no refill counted before this
  int64_t batches_counted_ = 0;  // batches counted since refill_from_ (one at it, then per interval)
  std::chrono::steady_clock::time_point hold_until_{};   // after a 429: nobody sends before
  std::chrono::steady_clock::duration last_hold_{};      // bounds a hold if the clock jumps back
  // Waiters queue by ticket so tokens go out first come, first served: a waiter may go when
  // its ticket is next_serve_. Tickets of waiters that gave up are skipped.
  uint64_t next_ticket_ = 0;
  uint64_t next_serve_ = 0;
  std::set<uint64_t> abandoned_;
  uint64_t sent_ = 0;      // requests let through
  uint64_t answered_ = 0;  // of those, answered (Observe) or failed (NoAnswer)
  std::chrono::steady_clock::duration total_waited_{};
  bool reported_ = false;
};

}  // namespace jira
