#include <gtest/gtest.h>

#include "provider/core/diagnostics.h"
#include "provider/core/path.h"

namespace tf {
namespace {

TEST(PathTest, RendersLikeTerraform) {
  EXPECT_EQ(Path().ToString(), "");
  EXPECT_EQ(Path().AtName("name").ToString(), "name");
  EXPECT_EQ(Path().AtName("grant").AtIndex(0).AtName("permission").ToString(), "grant[0].permission");
  EXPECT_EQ(Path().AtName("tags").AtKey("a\"b").ToString(), "tags[\"a\\\"b\"]");
}

TEST(PathTest, BuildersDoNotMutate) {
  Path base = Path().AtName("a");
  Path child = base.AtIndex(2);
  EXPECT_EQ(base.steps().size(), 1u);
  EXPECT_EQ(child.steps().size(), 2u);
  EXPECT_EQ(std::get<ElementIndex>(child.steps()[1]).index, 2);
  EXPECT_NE(base, child);
  EXPECT_EQ(child, Path().AtName("a").AtIndex(2));
  EXPECT_TRUE(Path::Root().empty());
}

TEST(DiagnosticsTest, DropsExactDuplicatesOnly) {
  Diagnostics d;
  d.AddError("s", "d");
  d.AddError("s", "d");
  d.AddWarning("s", "d");
  d.AddAttributeError(Path().AtName("x"), "s", "d");
  d.AddAttributeError(Path().AtName("x"), "s", "d");
  d.AddAttributeError(Path().AtName("y"), "s", "d");
  EXPECT_EQ(d.size(), 4u);
  Diagnostics other;
  other.AddError("s", "d");
  other.AddError("new");
  d.Append(other);
  EXPECT_EQ(d.size(), 5u);
  d.Append(d);
  EXPECT_EQ(d.size(), 5u);
}

TEST(DiagnosticsTest, HasErrorIgnoresWarnings) {
  Diagnostics d;
  EXPECT_FALSE(d.HasError());
  d.AddWarning("careful");
  EXPECT_FALSE(d.HasError());
  EXPECT_FALSE(d.empty());
  d.AddAttributeError(Path().AtName("a"), "bad", "very");
  EXPECT_TRUE(d.HasError());
  EXPECT_EQ(d.items().back().severity, Severity::kError);
  EXPECT_EQ(d.items().back().path, Path().AtName("a"));
  EXPECT_EQ(d.ToString(), "Warning: careful\nError: bad (at a): very");
}

}  // namespace
}  // namespace tf
