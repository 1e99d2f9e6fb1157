#include "provider/jira/rate_limiter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <thread>

#include "provider/jira/backoff.h"

namespace jira {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// Polling period of a waiter: bounds how late a cancellation or a refill is noticed.
constexpr milliseconds kSlice{50};

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

std::optional<int64_t> ParseInt(std::string_view v) {
  v = Trim(v);
  if (v.empty()) return std::nullopt;
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return n;
}

// FillRate is documented as a count of tokens; a decimal is accepted in case a proxy or a
// future version sends one. std::from_chars for double is not in GCC 12's libstdc++ for all
// targets, so strtod on a bounded copy is used.
std::optional<double> ParseNumber(std::string_view v) {
  v = Trim(v);
  if (v.empty() || v.size() > 32) return std::nullopt;
  std::string copy(v);
  char* end = nullptr;
  double d = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

}  // namespace

std::string RateLimitBucket::Describe() const {
  char fill[32];
  std::snprintf(fill, sizeof fill, "%g", fill_rate);
  return std::to_string(limit) + " requests, then " + fill + " every " +
         std::to_string(interval_s) + " s";
}

std::optional<RateLimitBucket> ParseRateLimitHeaders(const RateLimitHeaders& h) {
  auto limit = ParseInt(h.limit);
  auto remaining = ParseInt(h.remaining);
  auto fill = ParseNumber(h.fill_rate);
  auto interval = ParseInt(h.interval_seconds);
  if (!limit || !remaining || !fill || !interval) return std::nullopt;
  if (*limit < 1 || *fill <= 0 || *interval < 1 || *interval > 24 * 3600) return std::nullopt;
  RateLimitBucket b;
  b.limit = *limit;
  // Atlassian: Remaining "might not always be correct"; keep it within the bucket.
  b.remaining = std::clamp<int64_t>(*remaining, 0, *limit);
  b.fill_rate = *fill;
  b.interval_s = *interval;
  return b;
}

RateLimiter::RateLimiter(Clock clock, Sleep sleep)
    : clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }),
      sleep_(sleep ? std::move(sleep)
                   : [](std::chrono::steady_clock::duration d) { std::this_thread::sleep_for(d); }) {}

std::shared_ptr<RateLimiter> RateLimiter::Shared(const std::string& key) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<RateLimiter>> limiters;
  std::lock_guard<std::mutex> lock(mu);
  std::weak_ptr<RateLimiter>& slot = limiters[key];
  if (auto existing = slot.lock()) return existing;
  auto created = std::make_shared<RateLimiter>();
  slot = created;
  return created;
}

SteadyClock::time_point RateLimiter::Now() const { return clock_(); }

void RateLimiter::SetRefillFromLocked(SteadyClock::time_point from) {
  if (from == refill_from_) return;
  refill_from_ = from;
  batches_counted_ = 0;
}

void RateLimiter::RefillLocked(SteadyClock::time_point now) {
  if (now < as_of_) {
    // The clock went backwards (only an injected clock can): restart the arithmetic from
    // here, and do not let a hold or a delayed refill stretch beyond what was announced.
    as_of_ = now;
    if (hold_until_ > now + last_hold_) hold_until_ = now + last_hold_;
    if (bucket_) {
      const auto interval = std::chrono::seconds(bucket_->interval_s);
      if (refill_from_ > now + interval) SetRefillFromLocked(now + interval);
    }
    return;
  }
  if (bucket_ && now >= refill_from_) {
    // Jira adds its batch once per interval: the first one this copy has not seen comes at
    // refill_from_ at the latest, then one every interval. Counting whole batches at those
    // moments keeps the copy at or below Jira's level and loses no time between batches.
    const auto interval = std::chrono::seconds(bucket_->interval_s);
    const int64_t due = (now - refill_from_) / interval + 1;
    if (due > batches_counted_) {
      const double per_batch = std::min(bucket_->fill_rate, static_cast<double>(bucket_->limit));
      // A forward jump of the clock fills the bucket at most to its capacity.
      tokens_ = std::min(static_cast<double>(bucket_->limit),
                         tokens_ + per_batch * static_cast<double>(due - batches_counted_));
      batches_counted_ = due;
    }
  }
  as_of_ = now;
}

RateLimiter::Wait RateLimiter::Acquire(SteadyClock::time_point deadline,
                                       const std::function<bool()>& cancelled) {
  Wait w;
  const auto start = Now();
  std::unique_lock<std::mutex> lock(mu_);
  RefillLocked(start);
  // Fast path: no limit known, no hold, nobody queued.
  if (!bucket_ && start >= hold_until_ && next_serve_ == next_ticket_) {
    w.answered_before = answered_;
    ++sent_;
    return w;
  }

  const uint64_t ticket = next_ticket_++;
  auto finish = [&](Outcome outcome, SteadyClock::time_point now) {
    w.outcome = outcome;
    w.waited = std::chrono::duration_cast<milliseconds>(std::max(now - start, SteadyClock::duration{}));
    total_waited_ += now > start ? now - start : SteadyClock::duration{};
    if (outcome == Outcome::kGo) {
      if (bucket_) tokens_ -= 1;
      ++next_serve_;
      w.answered_before = answered_;
      ++sent_;
    } else {
      abandoned_.insert(ticket);
    }
    // Skip the tickets of waiters that gave up, so the next one in line can go.
    while (abandoned_.erase(next_serve_) > 0) ++next_serve_;
    if (!reported_ && total_waited_ >= kNoticeableWait && w.waited.count() > 0) {
      reported_ = true;
      w.became_noticeable = true;
    }
    return w;
  };

  for (;;) {
    const auto now = Now();
    RefillLocked(now);
    while (abandoned_.erase(next_serve_) > 0) ++next_serve_;
    // When this ticket's token is expected: the ones ahead of it and itself must refill.
    SteadyClock::time_point ready = now;
    if (bucket_) {
      const double needed = static_cast<double>(ticket - next_serve_) + 1.0 - tokens_;
      if (needed > 0) {
        // The batches still to come: the next one this copy has not counted, then one
        // every interval.
        const auto interval = std::chrono::seconds(bucket_->interval_s);
        const double per_batch =
            std::min(bucket_->fill_rate, static_cast<double>(bucket_->limit));
        const auto batches = static_cast<int64_t>(std::ceil(needed / per_batch));
        ready = std::max(now, refill_from_ + interval * (batches_counted_ + batches - 1));
      }
    }
    if (hold_until_ > ready) {
      ready = hold_until_;
      w.held_by_refusal = true;
    }
    const bool my_turn = ticket == next_serve_;
    const bool token = !bucket_ || tokens_ >= 1.0;
    if (my_turn && token && now >= hold_until_) return finish(Outcome::kGo, now);
    if (ready > deadline) {
      w.would_wait = std::chrono::duration_cast<milliseconds>(ready - start);
      return finish(Outcome::kTimedOut, now);
    }
    lock.unlock();
    if (cancelled && cancelled()) {
      lock.lock();
      return finish(Outcome::kCancelled, Now());
    }
    // Sleep until the expected time (at least a little, since "ready" is an estimate that
    // may already have passed for a waiter further back), but never longer than a slice.
    auto nap = std::clamp<SteadyClock::duration>(ready - now, milliseconds(1), kSlice);
    sleep_(nap);
    lock.lock();
  }
}

SteadyClock::duration RateLimiter::Observe(int status, const RateLimitHeaders& headers,
                                           SteadyClock::duration max_hold,
                                           std::optional<uint64_t> answered_before) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = Now();
  RefillLocked(now);
  // Requests Jira may not have counted in this answer: all sent, less this one and those
  // answered before it went out.
  const uint64_t since = answered_before ? *answered_before : answered_;
  const int64_t uncounted =
      std::max<int64_t>(0, static_cast<int64_t>(sent_ - std::min(sent_, since)) -
                               (answered_before ? 1 : 0));
  if (answered_ < sent_) ++answered_;
  std::optional<RateLimitBucket> announced = ParseRateLimitHeaders(headers);
  if (announced) {
    const bool changed = !bucket_ || bucket_->limit != announced->limit ||
                         bucket_->fill_rate != announced->fill_rate ||
                         bucket_->interval_s != announced->interval_s;
    const auto interval = std::chrono::seconds(announced->interval_s);
    // Jira's count, less the requests still in flight (some of which it may already have
    // counted): a level Jira is sure to have now.
    const double sure = static_cast<double>(announced->remaining - uncounted);
    if (changed) {
      bucket_ = announced;
      tokens_ = std::max(0.0, sure);
      SetRefillFromLocked(now + interval);
    } else if (sure >= tokens_ + 1.0) {
      // Jira has had a batch this copy has not counted yet: take Jira's level, and count
      // refill again only from one interval on, which is when Jira's next batch is due at
      // the latest (counting it sooner would count this batch twice).
      tokens_ = sure;
      SetRefillFromLocked(std::max(refill_from_, now + interval));
    } else if (static_cast<double>(announced->remaining) + 1.0 <= tokens_) {
      // Jira has fewer tokens than this copy thinks (another client as the same user, or
      // a refill counted too early): follow Jira. Remaining is a whole number, so a gap
      // below one token is rounding, not news.
      bucket_->remaining = announced->remaining;
      tokens_ = static_cast<double>(announced->remaining);
      SetRefillFromLocked(std::max(refill_from_, now + interval));
    }
  } else if (status != 429) {
    // Not limited (exempt user, or rate limiting off): stop pacing.
    bucket_.reset();
    tokens_ = 0;
  }
  if (status == 429) {
    SteadyClock::duration hold = std::chrono::seconds(1);
    if (auto retry_after = ParseRetryAfter(headers.retry_after); retry_after && retry_after->count() > 0) {
      hold = *retry_after;
    } else if (bucket_) {
      hold = std::chrono::seconds(bucket_->interval_s);
    }
    hold = std::min(hold, max_hold);
    if (now + hold > hold_until_) hold_until_ = now + hold;
    last_hold_ = hold;
    if (bucket_) {
      // Jira's bucket is empty now and gets its next batch when the hold ends.
      tokens_ = std::min(tokens_, 0.0);
      SetRefillFromLocked(std::max(refill_from_, hold_until_));
    }
    return hold;
  }
  return SteadyClock::duration::zero();
}

void RateLimiter::NoAnswer() {
  std::lock_guard<std::mutex> lock(mu_);
  if (answered_ < sent_) ++answered_;
}

std::optional<RateLimitBucket> RateLimiter::bucket() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bucket_;
}

milliseconds RateLimiter::total_waited() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::chrono::duration_cast<milliseconds>(total_waited_);
}

}  // namespace jira
