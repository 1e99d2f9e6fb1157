// Retry timing: exponential backoff with full jitter, and Retry-After handling. Pure
// functions; the random draw is passed in so the math is testable.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace jira {

// Full jitter (the "AWS architecture blog" variant): uniform in [0, min(max, base * 2^attempt)].
// `attempt` counts retries from 0; `unit_random` is a draw from [0, 1).
std::chrono::milliseconds FullJitterDelay(int attempt, std::chrono::milliseconds base,
                                          std::chrono::milliseconds max, double unit_random);

// Retry-After as delta-seconds. An HTTP-date, a negative or malformed value gives nullopt and
// the caller falls back to backoff (Jira sends seconds).
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value);

// The wait before retry number `attempt`: Retry-After when the server gave one (plus up to one
// base delay of jitter so parallel callers do not return in lockstep), otherwise full jitter;
// never more than `max`.
std::chrono::milliseconds RetryDelay(int attempt, std::optional<std::chrono::seconds> retry_after,
                                     std::chrono::milliseconds base, std::chrono::milliseconds max,
                                     double unit_random);

}  // namespace jira
