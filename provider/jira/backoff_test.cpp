#include "provider/jira/backoff.h"

#include <gtest/gtest.h>

namespace jira {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffTest, FullJitterCeilingDoublesUntilTheCap) {
  const milliseconds base{100}, max{1000};
  // u just below 1 shows the ceiling: 100, 200, 400, 800, then capped at 1000.
  const double top = 0.999999;
  EXPECT_EQ(FullJitterDelay(0, base, max, top), milliseconds(99));
  EXPECT_EQ(FullJitterDelay(1, base, max, top), milliseconds(199));
  EXPECT_EQ(FullJitterDelay(2, base, max, top), milliseconds(399));
  EXPECT_EQ(FullJitterDelay(3, base, max, top), milliseconds(799));
  EXPECT_EQ(FullJitterDelay(4, base, max, top), milliseconds(999));
  EXPECT_EQ(FullJitterDelay(60, base, max, top), milliseconds(999));
}

TEST(BackoffTest, FullJitterSpansFromZero) {
  EXPECT_EQ(FullJitterDelay(3, milliseconds(100), milliseconds(1000), 0.0), milliseconds(0));
  EXPECT_EQ(FullJitterDelay(3, milliseconds(100), milliseconds(1000), 0.5), milliseconds(400));
  // Out-of-range draws are clamped rather than trusted.
  EXPECT_EQ(FullJitterDelay(0, milliseconds(100), milliseconds(1000), -3.0), milliseconds(0));
  EXPECT_EQ(FullJitterDelay(0, milliseconds(100), milliseconds(1000), 7.0), milliseconds(100));
}

TEST(BackoffTest, ParseRetryAfterSeconds) {
  EXPECT_EQ(ParseRetryAfter("0"), seconds(0));
  EXPECT_EQ(ParseRetryAfter("2"), seconds(2));
  EXPECT_EQ(ParseRetryAfter(" 17 "), seconds(17));
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("99999999999"), seconds(24 * 3600));
}

TEST(BackoffTest, RetryAfterIsHonouredWithJitterAndCapped) {
  const milliseconds base{500}, max{30000};
  EXPECT_EQ(RetryDelay(0, seconds(2), base, max, 0.0), milliseconds(2000));
  EXPECT_EQ(RetryDelay(0, seconds(2), base, max, 0.5), milliseconds(2250));
  EXPECT_EQ(RetryDelay(4, seconds(2), base, max, 0.0), milliseconds(2000));  // not exponential
  EXPECT_EQ(RetryDelay(0, seconds(120), base, max, 0.9), max);
  // Without Retry-After it is plain full jitter.
  EXPECT_EQ(RetryDelay(2, std::nullopt, base, max, 0.5), milliseconds(1000));
}

}  // namespace
}  // namespace jira
