#include "resources/membership_id.h"

#include <gtest/gtest.h>

namespace tfjira {
namespace {

TEST(MembershipIdTest, ReadableInTheCommonCase) {
  EXPECT_EQ(EncodeMembershipId({"gitlab-developers", "gitlab"}), "gitlab-developers/gitlab");
}

TEST(MembershipIdTest, RoundTripsAwkwardNames) {
  for (const MembershipId& m : std::vector<MembershipId>{
           {"a/b/c", "user"}, {"ops team", "x/y"}, {"100%", "50%/2F"}, {"/", "%"},
           {"g", "%2F"}}) {
    auto back = DecodeMembershipId(EncodeMembershipId(m));
    ASSERT_TRUE(back) << m.group << " " << m.username;
    EXPECT_EQ(*back, m);
  }
}

TEST(MembershipIdTest, GroupWithSlashesImportsByHand) {
  auto m = DecodeMembershipId("team/ops/dev/gitlab");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->group, "team/ops/dev");
  EXPECT_EQ(m->username, "gitlab");
}

TEST(MembershipIdTest, RejectsMalformed) {
  EXPECT_FALSE(DecodeMembershipId("noslash"));
  EXPECT_FALSE(DecodeMembershipId("/user"));
  EXPECT_FALSE(DecodeMembershipId("group/"));
  EXPECT_FALSE(DecodeMembershipId(""));
}

}  // namespace
}  // namespace tfjira
