#include "acceptance_tests/harness/rules.h"

#include <gtest/gtest.h>

namespace tfj::harness {
namespace {

using tf::Value;

tf::Attribute StringAttr(const char* name, bool required, bool optional, bool computed) {
  tf::Attribute a;
  a.name = name;
  a.type = tf::Type::String();
  a.required = required;
  a.optional = optional;
  a.computed = computed;
  return a;
}

tf::Block ThingBlock() {
  tf::Block b;
  b.attributes = {StringAttr("id", false, false, true), StringAttr("name", true, false, false),
                  StringAttr("mode", false, true, true), StringAttr("note", false, true, false)};
  auto tag = std::make_shared<tf::Block>();
  tag->attributes = {StringAttr("key", true, false, false), StringAttr("tid", false, false, true)};
  tf::NestedBlock nb;
  nb.type_name = "tag";
  nb.block = tag;
  nb.nesting = tf::Nesting::kSet;
  b.block_types.push_back(nb);
  return b;
}

Value Obj(const tf::Block& b, std::map<std::string, Value> attrs) {
  if (attrs.count("tag") == 0) attrs["tag"] = Value::Set(b.block_types[0].block->ImpliedType(), {});
  return Value::ObjectOf(b.ImpliedType(), std::move(attrs));
}

TEST(RulesTest, ProposedNewKeepsPriorForNullComputedAttributes) {
  tf::Block b = ThingBlock();
  Value prior = Obj(b, {{"id", Value::String("1")}, {"name", Value::String("a")}, {"mode", Value::String("fast")}});
  Value config = Obj(b, {{"name", Value::String("b")}});
  Value proposed = ProposedNew(b, prior, config);
  EXPECT_EQ(proposed.attr("id"), Value::String("1"));
  EXPECT_EQ(proposed.attr("mode"), Value::String("fast"));
  EXPECT_EQ(proposed.attr("name"), Value::String("b"));
  EXPECT_TRUE(proposed.attr("note").is_null());
}

TEST(RulesTest, ProposedNewOnCreateLeavesComputedNull) {
  tf::Block b = ThingBlock();
  Value config = Obj(b, {{"name", Value::String("b")}});
  Value proposed = ProposedNew(b, Value::Null(b.ImpliedType()), config);
  EXPECT_TRUE(proposed.attr("id").is_null());
  EXPECT_EQ(proposed, config);
}

TEST(RulesTest, ProposedNewMatchesSetBlocksByNonComputedAttributes) {
  tf::Block b = ThingBlock();
  tf::Type tagType = b.block_types[0].block->ImpliedType();
  Value priorTag = Value::ObjectOf(tagType, {{"key", Value::String("k")}, {"tid", Value::String("t1")}});
  Value prior = Obj(b, {{"name", Value::String("a")}, {"tag", Value::Set(tagType, {priorTag})}});
  Value configTag = Value::ObjectOf(tagType, {{"key", Value::String("k")}});
  Value config = Obj(b, {{"name", Value::String("a")}, {"tag", Value::Set(tagType, {configTag})}});
  Value proposed = ProposedNew(b, prior, config);
  ASSERT_EQ(proposed.attr("tag").items().size(), 1u);
  EXPECT_EQ(proposed.attr("tag").items()[0].attr("tid"), Value::String("t1"));
}

TEST(RulesTest, PlanChangingAConfiguredValueIsInvalid) {
  tf::Block b = ThingBlock();
  Value config = Obj(b, {{"name", Value::String("b")}});
  Value planned = Obj(b, {{"name", Value::String("B")}, {"id", Value::Unknown(tf::Type::String())}});
  auto errs = AssertPlanValid(b, Value::Null(b.ImpliedType()), config, planned);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0], ".name: planned value cty.StringVal(\"B\") does not match config value cty.StringVal(\"b\")");
}

TEST(RulesTest, PlanMayKeepPriorForASemanticallyEqualValue) {
  tf::Block b = ThingBlock();
  Value prior = Obj(b, {{"id", Value::String("1")}, {"name", Value::String("Alpha")}});
  Value config = Obj(b, {{"name", Value::String("alpha")}});
  EXPECT_TRUE(AssertPlanValid(b, prior, config, prior).empty());
}

TEST(RulesTest, PlanSettingANonComputedNullIsInvalid) {
  tf::Block b = ThingBlock();
  Value config = Obj(b, {{"name", Value::String("b")}});
  Value planned = Obj(b, {{"name", Value::String("b")}, {"note", Value::String("x")}});
  auto errs = AssertPlanValid(b, Value::Null(b.ImpliedType()), config, planned);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("for a non-computed attribute"), std::string::npos);
}

TEST(RulesTest, NullBlockCollectionInPlanIsInvalid) {
  tf::Block b = ThingBlock();
  Value config = Obj(b, {{"name", Value::String("b")}});
  Value planned = Value::ObjectOf(b.ImpliedType(), {{"name", Value::String("b")}});
  auto errs = AssertPlanValid(b, Value::Null(b.ImpliedType()), config, planned);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("must be empty to indicate no blocks, not null"), std::string::npos);
}

TEST(RulesTest, OptionalComputedMayBeFilledWhenNullInConfig) {
  tf::Block b = ThingBlock();
  Value config = Obj(b, {{"name", Value::String("b")}});
  Value planned = Obj(b, {{"name", Value::String("b")}, {"mode", Value::String("fast")},
                          {"id", Value::Unknown(tf::Type::String())}});
  EXPECT_TRUE(AssertPlanValid(b, Value::Null(b.ImpliedType()), config, planned).empty());
}

TEST(RulesTest, ApplyMustKeepKnownPlannedValues) {
  tf::Block b = ThingBlock();
  Value planned = Obj(b, {{"name", Value::String("b")}, {"id", Value::Unknown(tf::Type::String())}});
  Value good = Obj(b, {{"name", Value::String("b")}, {"id", Value::String("7")}});
  Value bad = Obj(b, {{"name", Value::String("c")}, {"id", Value::String("7")}});
  EXPECT_TRUE(AssertObjectCompatible(b, planned, good).empty());
  auto errs = AssertObjectCompatible(b, planned, bad);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0], ".name: was cty.StringVal(\"b\"), but now cty.StringVal(\"c\")");
  auto gone = AssertObjectCompatible(b, planned, Value::Null(b.ImpliedType()));
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0], "Root object was present, but now absent");
}

TEST(RulesTest, SetsAreComparedAsSets) {
  tf::Block b = ThingBlock();
  tf::Type tagType = b.block_types[0].block->ImpliedType();
  Value t1 = Value::ObjectOf(tagType, {{"key", Value::String("a")}, {"tid", Value::String("1")}});
  Value t2 = Value::ObjectOf(tagType, {{"key", Value::String("b")}, {"tid", Value::String("2")}});
  Value x = Obj(b, {{"name", Value::String("n")}, {"tag", Value::Set(tagType, {t1, t2})}});
  Value y = Obj(b, {{"name", Value::String("n")}, {"tag", Value::Set(tagType, {t2, t1})}});
  EXPECT_TRUE(AssertObjectCompatible(b, x, y).empty());
}

TEST(RulesTest, FindUnknownReportsThePath) {
  tf::Block b = ThingBlock();
  Value v = Obj(b, {{"name", Value::String("b")}, {"id", Value::Unknown(tf::Type::String())}});
  EXPECT_EQ(FindUnknown(v), ".id");
  EXPECT_FALSE(FindUnknown(Obj(b, {{"name", Value::String("b")}})));
}

TEST(RulesTest, ApplyPathFindsOnlyExistingPaths) {
  tf::Block b = ThingBlock();
  Value v = Obj(b, {{"name", Value::String("b")}});
  EXPECT_EQ(ApplyPath(v, tf::Path().AtName("name")), Value::String("b"));
  EXPECT_TRUE(ApplyPath(v, tf::Path().AtName("note")));  // exists, null
  EXPECT_FALSE(ApplyPath(v, tf::Path().AtName("nope")));
  EXPECT_FALSE(ApplyPath(v, tf::Path().AtName("note").AtName("deeper")));
  EXPECT_EQ(CtyPath(tf::Path().AtName("a").AtIndex(0).AtKey("k")), ".a[0][\"k\"]");
}

TEST(RulesTest, WriteOnlyValuesMustComeBackNull) {
  tf::Block b = ThingBlock();
  tf::Attribute secret = StringAttr("secret", false, true, false);
  secret.write_only = true;
  b.attributes.push_back(secret);
  b.block_types[0].block->attributes.push_back(secret);
  tf::Type tag = b.block_types[0].block->ImpliedType();
  Value config = Obj(b, {{"name", Value::String("a")}, {"secret", Value::String("s")}});
  Value planned_null = config.WithAttr("secret", Value::Null(tf::Type::String()));
  EXPECT_TRUE(AssertPlanValid(b, Value::Null(b.ImpliedType()), config, planned_null).empty());
  auto errs = AssertPlanValid(b, Value::Null(b.ImpliedType()), config, config);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0], ".secret: planned value for write-only attribute is not null");

  EXPECT_FALSE(FindWriteOnlyValue(b, planned_null));
  EXPECT_EQ(FindWriteOnlyValue(b, config), ".secret");
  Value nested = planned_null.WithAttr(
      "tag", Value::Set(tag, {Value::ObjectOf(tag, {{"key", Value::String("k")}, {"secret", Value::String("x")}})}));
  EXPECT_EQ(FindWriteOnlyValue(b, nested), ".tag[0].secret");
}

}  // namespace
}  // namespace tfj::harness
