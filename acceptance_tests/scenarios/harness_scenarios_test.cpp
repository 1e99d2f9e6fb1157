// The harness proving itself on the test provider: every Terraform-style scenario, under
// protocol 5 and 6, plus one negative test per Terraform rule (the provider misbehaves on
// purpose and the harness must fail with Terraform's wording).
#include <gtest/gtest.h>

#include "acceptance_tests/harness/testing.h"
#include "acceptance_tests/harness/workspace.h"
#include "acceptance_tests/testprovider/store.h"
#include "provider/core/codec.h"

namespace tfj::harness {
namespace {

using tf::Value;
using testprovider::ThingStore;

Value S(const std::string& s) { return Value::String(s); }

class ThingScenario : public ProtocolTest {
 protected:
  void SetUp() override {
    ws_ = std::make_unique<Workspace>(Options(TestProviderBinary()));
    ws_->SetProviderConfig({{"store_path", S(StorePath())}});
    TFJ_ASSERT_OK(ws_->Start());
  }
  std::string StorePath() const { return dir_.File("store.json"); }
  ThingStore Store() const { return ThingStore(StorePath()); }
  Workspace& ws() { return *ws_; }
  std::string Id(const std::string& address = "tfjtest_thing.a") { return ws().AttrString(address, "id"); }
  Action ActionOf(const std::string& address) {
    for (const auto& c : ws().last_plan()) {
      if (c.address == address) return c.action;
    }
    return Action::kNoOp;
  }

  TempDir dir_;
  std::unique_ptr<Workspace> ws_;
};

TEST_P(ThingScenario, CreateThenPlanIsEmpty) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}, {"secret", S("hunter2")}});
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(ActionOf("tfjtest_thing.a"), Action::kCreate);
  EXPECT_FALSE(Id().empty());
  EXPECT_EQ(ws().Attr("tfjtest_thing.a", "mode"), S("standard"));  // the default
  EXPECT_EQ(ws().Attr("tfjtest_thing.a", "revision"), Value::Int(1));
  EXPECT_EQ(Store().Get(Id())->at("name"), "alpha");
  TFJ_EXPECT_OK(ws().PlanMustBeEmpty());
}

TEST_P(ThingScenario, UpdateInPlaceKeepsTheId) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}});
  TFJ_ASSERT_OK(ws().Apply());
  std::string id = Id();
  ws().SetResource("tfjtest_thing", "a",
                   {{"name", S("alpha2")},
                    {"mode", S("fast")},
                    {"label", S("Blue")},
                    {"tag", ws().Blocks("tfjtest_thing", "tag", {{{"key", S("env")}, {"value", S("prod")}},
                                                                 {{"key", S("team")}}})}});
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(ActionOf("tfjtest_thing.a"), Action::kUpdate);
  EXPECT_EQ(Id(), id);
  EXPECT_EQ(ws().Attr("tfjtest_thing.a", "revision"), Value::Int(2));
  EXPECT_EQ(ws().Attr("tfjtest_thing.a", "tag").items().size(), 2u);
  EXPECT_EQ(Store().Get(id)->at("mode"), "fast");
  TFJ_EXPECT_OK(ws().PlanMustBeEmpty());
}

TEST_P(ThingScenario, ChangingARequiresReplaceAttributeReplaces) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}, {"zone", S("z1")}});
  TFJ_ASSERT_OK(ws().Apply());
  std::string id = Id();
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}, {"zone", S("z2")}});
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(ActionOf("tfjtest_thing.a"), Action::kReplace);
  EXPECT_NE(Id(), id);
  EXPECT_FALSE(Store().Get(id));
  EXPECT_EQ(Store().Count(), 1u);
  TFJ_EXPECT_OK(ws().PlanMustBeEmpty());
}

TEST_P(ThingScenario, DeletedOutOfBandIsRecreated) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}});
  TFJ_ASSERT_OK(ws().Apply());
  std::string id = Id();
  ASSERT_TRUE(Store().Erase(id));
  TFJ_EXPECT_ERROR_CONTAINS(ws().PlanMustBeEmpty(), "After applying this test step, the plan was not empty");
  EXPECT_EQ(ActionOf("tfjtest_thing.a"), Action::kCreate);
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_NE(Id(), id);
  EXPECT_EQ(Store().Count(), 1u);
  TFJ_EXPECT_OK(ws().PlanMustBeEmpty());
}

TEST_P(ThingScenario, ChangedOutOfBandIsRepaired) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}, {"mode", S("fast")}});
  TFJ_ASSERT_OK(ws().Apply());
  auto thing = *Store().Get(Id());
  thing["name"] = "tampered";
  Store().Put(Id(), thing);
  TFJ_EXPECT_ERROR_CONTAINS(ws().PlanMustBeEmpty(), "tampered");
  EXPECT_EQ(ActionOf("tfjtest_thing.a"), Action::kUpdate);
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(Store().Get(Id())->at("name"), "alpha");
  TFJ_EXPECT_OK(ws().PlanMustBeEmpty());
}

TEST_P(ThingScenario, CaseOnlyDifferencePlansNothing) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}, {"label", S("blue")}});
  TFJ_ASSERT_OK(ws().Apply());
  auto thing = *Store().Get(Id());
  thing["label"] = "BLUE";
  Store().Put(Id(), thing);
  TFJ_EXPECT_OK(ws().PlanMustBeEmpty());
}

TEST_P(ThingScenario, ImportThenPlanIsEmpty) {
  ws().SetResource("tfjtest_thing", "a",
                   {{"name", S("alpha")}, {"secret", S("hunter2")},
                    {"tag", ws().Blocks("tfjtest_thing", "tag", {{{"key", S("env")}}})}});
  TFJ_ASSERT_OK(ws().Apply());
  TFJ_EXPECT_OK(ws().ImportStateVerify("tfjtest_thing.a", Id(), {"secret"}));
  // Without the ignore list the never-read-back secret differs.
  TFJ_EXPECT_ERROR_CONTAINS(ws().ImportStateVerify("tfjtest_thing.a", Id()), "secret");

  Workspace other(Options(TestProviderBinary()));
  other.SetProviderConfig({{"store_path", S(StorePath())}});
  TFJ_ASSERT_OK(other.Start());
  other.SetResource("tfjtest_thing", "a",
                    {{"name", S("alpha")},
                     {"tag", other.Blocks("tfjtest_thing", "tag", {{{"key", S("env")}}})}});
  TFJ_ASSERT_OK(other.Import("tfjtest_thing", "a", Id()));
  EXPECT_EQ(other.AttrString("tfjtest_thing.a", "name"), "alpha");
  TFJ_EXPECT_OK(other.PlanMustBeEmpty());
}

TEST_P(ThingScenario, DestroyLeavesNothing) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}});
  ws().SetResource("tfjtest_thing", "b", {{"name", S("beta")}});
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(Store().Count(), 2u);
  TFJ_ASSERT_OK(ws().Destroy());
  EXPECT_EQ(Store().Count(), 0u);
  EXPECT_TRUE(ws().Addresses().empty());
}

TEST_P(ThingScenario, RemovedFromConfigurationIsDestroyed) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}});
  TFJ_ASSERT_OK(ws().Apply());
  ws().RemoveResource("tfjtest_thing", "a");
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(ActionOf("tfjtest_thing.a"), Action::kDelete);
  EXPECT_EQ(Store().Count(), 0u);
}

TEST_P(ThingScenario, BadInputGetsADiagnosticWithThePath) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("a/b")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws().Apply(), "Invalid thing name");
  ASSERT_FALSE(ws().last_diagnostics().empty());
  EXPECT_EQ(ws().last_diagnostics().items()[0].path, tf::Path().AtName("name"));
  ws().SetResource("tfjtest_thing", "a", {{"name", S("ok")}, {"mode", S("slow")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws().Apply(), "mode");
  ASSERT_FALSE(ws().last_diagnostics().empty());
  EXPECT_EQ(ws().last_diagnostics().items()[0].path, tf::Path().AtName("mode"));
  EXPECT_EQ(Store().Count(), 0u);
}

TEST_P(ThingScenario, UpgradeResourceStateAtTheSameVersionReturnsTheState) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}, {"label", S("x")}});
  TFJ_ASSERT_OK(ws().Apply());
  Value state = ws().State("tfjtest_thing.a");
  const tf::Schema* schema = ws().driver().ResourceSchema("tfjtest_thing");
  tf::Diagnostics diags;
  std::string json = tf::EncodeJson(state, schema->ImpliedType(), diags);
  StateResult up = ws().driver().UpgradeResourceState("tfjtest_thing", schema->version, json);
  EXPECT_FALSE(up.diagnostics.HasError()) << up.diagnostics.ToString();
  EXPECT_EQ(up.state, state);
}

TEST_P(ThingScenario, PrivateStateIsPassedThrough) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}});
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(ws().Private("tfjtest_thing.a"), R"({"origin":"create","writes":1})");
  TFJ_ASSERT_OK(ws().Refresh());
  EXPECT_EQ(ws().Private("tfjtest_thing.a"), R"({"origin":"create","writes":1})");
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha2")}});
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(ws().Private("tfjtest_thing.a"), R"({"origin":"create","writes":2})");
}

TEST_P(ThingScenario, DataSourceReadsTheThing) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}, {"zone", S("z9")}});
  TFJ_ASSERT_OK(ws().Apply());
  ws().SetDataSource("tfjtest_thing", "found", {{"name", S("alpha")}});
  TFJ_ASSERT_OK(ws().Apply());
  Value data = ws().DataState("data.tfjtest_thing.found");
  EXPECT_EQ(data.attr("id"), S(Id()));
  EXPECT_EQ(data.attr("zone"), S("z9"));
  EXPECT_EQ(data.attr("mode"), S("standard"));
}

TEST_P(ThingScenario, DataSourceNotFoundIsADiagnostic) {
  ws().SetDataSource("tfjtest_thing", "missing", {{"name", S("nobody")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws().Apply(), "Thing not found");
  EXPECT_EQ(ws().last_diagnostics().items()[0].path, tf::Path().AtName("name"));
}

TEST_P(ThingScenario, ReferencesAreUnknownUntilApplied) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("alpha")}});
  ws().SetResource("tfjtest_thing", "b", {{"name", S("beta")}, {"label", Ref("tfjtest_thing.a", "id")}});
  std::vector<PlannedChange> plan;
  TFJ_ASSERT_OK(ws().Plan(&plan));
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_TRUE(plan[1].config.attr("label").is_unknown());
  TFJ_ASSERT_OK(ws().Apply());
  EXPECT_EQ(ws().AttrString("tfjtest_thing.b", "label"), Id());
  TFJ_EXPECT_OK(ws().PlanMustBeEmpty());
}

// ---- one negative test per Terraform rule --------------------------------------------------

TEST_P(ThingScenario, PlanThatChangesConfigIsRejected) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("x")}, {"misbehave", S("change_config")}});
  Status s = ws().Apply();
  TFJ_EXPECT_ERROR_CONTAINS(s, "Error: Provider produced invalid plan");
  TFJ_EXPECT_ERROR_CONTAINS(s, "planned an invalid value for tfjtest_thing.a.name: planned value "
                               "cty.StringVal(\"x-changed\") does not match config value cty.StringVal(\"x\")");
  EXPECT_EQ(Store().Count(), 0u);
}

TEST_P(ThingScenario, ApplyThatChangesAPlannedValueIsRejected) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("x")}, {"misbehave", S("change_planned")}});
  Status s = ws().Apply();
  TFJ_EXPECT_ERROR_CONTAINS(s, "Error: Provider produced inconsistent result after apply");
  TFJ_EXPECT_ERROR_CONTAINS(s, "produced an unexpected new value: tfjtest_thing.a.name: was "
                               "cty.StringVal(\"x\"), but now cty.StringVal(\"x-applied\")");
}

TEST_P(ThingScenario, UnknownAfterApplyIsRejected) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("x")}, {"misbehave", S("unknown_after_apply")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws().Apply(), "Provider returned invalid result object after apply");
}

TEST_P(ThingScenario, RequiresReplaceOnAMissingPathIsRejected) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("x")}});
  TFJ_ASSERT_OK(ws().Apply());
  ws().SetResource("tfjtest_thing", "a", {{"name", S("x")}, {"misbehave", S("bad_replace_path")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws().Apply(), "has indicated \"requires replacement\" on tfjtest_thing.a for a "
                                          "non-existent attribute path .no_such_attribute");
}

TEST_P(ThingScenario, UnknownFromRefreshIsRejected) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("x")}, {"misbehave", S("unknown_on_read")}});
  TFJ_ASSERT_OK(ws().Apply());
  TFJ_EXPECT_ERROR_CONTAINS(ws().Refresh(), "Provider produced invalid object");
}

TEST_P(ThingScenario, ApplyTimePlanMustMatchTheSavedPlan) {
  ws().SetResource("tfjtest_thing", "a", {{"name", S("x")}, {"misbehave", S("nondeterministic_plan")}});
  Status s = ws().Apply();
  TFJ_EXPECT_ERROR_CONTAINS(s, "Error: Provider produced inconsistent final plan");
  TFJ_EXPECT_ERROR_CONTAINS(s, "produced an invalid new value for tfjtest_thing.a.revision: was");
}

TEST_P(ThingScenario, ImportOfAMissingObjectIsRejected) {
  TFJ_EXPECT_ERROR_CONTAINS(ws().Import("tfjtest_thing", "a", "thing-999"),
                            "Cannot import non-existent remote object");
  EXPECT_FALSE(ws().HasState("tfjtest_thing.a"));
}

TFJ_INSTANTIATE_PROTOCOLS(ThingScenario);

}  // namespace
}  // namespace tfj::harness
