#include "provider/jira/backoff.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace jira {

using std::chrono::milliseconds;

milliseconds FullJitterDelay(int attempt, milliseconds base, milliseconds max, double unit_random) {
  const double u = std::clamp(unit_random, 0.0, 1.0);
  // Cap the exponent so the product cannot overflow; 2^30 * base exceeds any sane max.
  const double ceiling =
      std::min(static_cast<double>(max.count()),
               static_cast<double>(base.count()) * std::ldexp(1.0, std::clamp(attempt, 0, 30)));
  return milliseconds(static_cast<int64_t>(std::floor(ceiling * u)));
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || ptr != value.data() + value.size() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(std::min<int64_t>(seconds, 24 * 3600));
}

milliseconds RetryDelay(int attempt, std::optional<std::chrono::seconds> retry_after,
                        milliseconds base, milliseconds max, double unit_random) {
  if (retry_after) {
    const double u = std::clamp(unit_random, 0.0, 1.0);
    const milliseconds jitter(static_cast<int64_t>(std::floor(static_cast<double>(base.count()) * u)));
    return std::min(max, std::chrono::duration_cast<milliseconds>(*retry_after) + jitter);
  }
  return FullJitterDelay(attempt, base, max, unit_random);
}

}  // namespace jira
