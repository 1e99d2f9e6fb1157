#include "provider/core/schema.h"

#include <gtest/gtest.h>

#include "provider/core/resource.h"

namespace tf {
namespace {

Attribute Attr(std::string name, Type type, bool required, bool optional, bool computed) {
  Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.required = required;
  a.optional = optional;
  a.computed = computed;
  return a;
}

NestedBlock BlockOf(std::string name, Nesting nesting, std::vector<Attribute> attrs, int64_t min = 0,
                    int64_t max = 0) {
  NestedBlock b;
  b.type_name = std::move(name);
  b.nesting = nesting;
  b.block = std::make_shared<Block>();
  b.block->attributes = std::move(attrs);
  b.min_items = min;
  b.max_items = max;
  return b;
}

Schema Valid() {
  Schema s;
  s.block.attributes = {Attr("id", Type::String(), false, false, true),
                        Attr("name", Type::String(), true, false, false),
                        Attr("active", Type::Bool(), false, true, true)};
  s.block.block_types = {BlockOf("grant", Nesting::kSet, {Attr("permission", Type::String(), true, false, false)})};
  return s;
}

TEST(SchemaTest, ImpliedType) {
  Schema s = Valid();
  s.block.block_types.push_back(BlockOf("single", Nesting::kSingle, {Attr("x", Type::Number(), false, true, false)}));
  s.block.block_types.push_back(BlockOf("lst", Nesting::kList, {}));
  s.block.block_types.push_back(BlockOf("mp", Nesting::kMap, {}));
  Type grant = Type::Object({{"permission", Type::String()}});
  EXPECT_EQ(s.ImpliedType(), Type::Object({{"id", Type::String()},
                                           {"name", Type::String()},
                                           {"active", Type::Bool()},
                                           {"grant", Type::Set(grant)},
                                           {"single", Type::Object({{"x", Type::Number()}})},
                                           {"lst", Type::List(Type::Object({}))},
                                           {"mp", Type::Map(Type::Object({}))}}));
  EXPECT_EQ(s.block.FindAttribute("name")->name, "name");
  EXPECT_EQ(s.block.FindAttribute("grant"), nullptr);
  EXPECT_EQ(s.block.FindBlock("grant")->nesting, Nesting::kSet);
  EXPECT_EQ(s.block.FindBlock("nope"), nullptr);
}

TEST(SchemaTest, ValidSchemaPasses) {
  Diagnostics diags;
  Schema s = Valid();
  Attribute with_default = Attr("mode", Type::String(), false, true, true);
  with_default.default_value = Value::String("x");
  s.block.attributes.push_back(with_default);
  ValidateSchema(s, "resource type jira_thing", diags);
  EXPECT_TRUE(diags.empty()) << diags.ToString();
}

TEST(SchemaTest, RejectsWhatTerraformRejects) {
  struct Case {
    std::string name;
    std::function<void(Schema&)> mutate;
    std::string expect;
  };
  std::vector<Case> cases = {
      {"no flags", [](Schema& s) { s.block.attributes.push_back(Attr("x", Type::String(), false, false, false)); },
       "must set Optional, Required or Computed"},
      {"optional+required", [](Schema& s) { s.block.attributes.push_back(Attr("x", Type::String(), true, true, false)); },
       "both Optional and Required"},
      {"computed+required", [](Schema& s) { s.block.attributes.push_back(Attr("x", Type::String(), true, false, true)); },
       "both Computed and Required"},
      {"bad name", [](Schema& s) { s.block.attributes.push_back(Attr("Bad-Name", Type::String(), true, false, false)); },
       "lowercase letters"},
      {"duplicate", [](Schema& s) { s.block.attributes.push_back(Attr("name", Type::String(), true, false, false)); },
       "duplicate attribute"},
      {"reserved", [](Schema& s) { s.block.attributes.push_back(Attr("count", Type::Number(), false, true, false)); },
       "reserved"},
      {"block conflicts", [](Schema& s) { s.block.block_types.push_back(BlockOf("name", Nesting::kList, {})); },
       "conflicts"},
      {"negative version", [](Schema& s) { s.version = -1; }, "must not be negative"},
      {"single min!=max", [](Schema& s) { s.block.block_types.push_back(BlockOf("b", Nesting::kSingle, {}, 1, 0)); },
       "must match in NestingSingle"},
      {"single 2", [](Schema& s) { s.block.block_types.push_back(BlockOf("b", Nesting::kSingle, {}, 2, 2)); },
       "either 0 or 1"},
      {"group items", [](Schema& s) { s.block.block_types.push_back(BlockOf("b", Nesting::kGroup, {}, 1, 1)); },
       "NestingGroup"},
      {"list min>max", [](Schema& s) { s.block.block_types.push_back(BlockOf("b", Nesting::kList, {}, 3, 2)); },
       "less than or equal"},
      {"map items", [](Schema& s) { s.block.block_types.push_back(BlockOf("b", Nesting::kMap, {}, 1, 0)); },
       "NestingMap"},
      {"null block", [](Schema& s) {
         NestedBlock b;
         b.type_name = "b";
         s.block.block_types.push_back(b);
       }, "missing"},
      {"dynamic in set", [](Schema& s) {
         s.block.block_types.push_back(BlockOf("b", Nesting::kSet, {Attr("d", Type::Dynamic(), false, true, false)}));
       }, "dynamic"},
      {"nested flags", [](Schema& s) {
         s.block.block_types.push_back(BlockOf("b", Nesting::kList, {Attr("d", Type::String(), false, false, false)}));
       }, "b.d: must set"},
      {"default without computed", [](Schema& s) {
         Attribute a = Attr("x", Type::String(), false, true, false);
         a.default_value = Value::String("v");
         s.block.attributes.push_back(a);
       }, "needs Optional and Computed"},
      {"default wrong type", [](Schema& s) {
         Attribute a = Attr("x", Type::String(), false, true, true);
         a.default_value = Value::Int(1);
         s.block.attributes.push_back(a);
       }, "is not of type string"},
      {"use_state_for_unknown not computed", [](Schema& s) {
         Attribute a = Attr("x", Type::String(), false, true, false);
         a.use_state_for_unknown = true;
         s.block.attributes.push_back(a);
       }, "needs Computed"},
  };
  for (auto& c : cases) {
    Schema s = Valid();
    c.mutate(s);
    Diagnostics diags;
    ValidateSchema(s, "resource type jira_thing", diags);
    ASSERT_TRUE(diags.HasError()) << c.name;
    EXPECT_NE(diags.ToString().find(c.expect), std::string::npos) << c.name << ": " << diags.ToString();
    EXPECT_NE(diags.ToString().find("jira_thing"), std::string::npos) << c.name;
  }
}

TEST(SchemaTest, TypeJsonOfEverySchemaTypeParses) {
  // Invalid type JSON panics Terraform; make sure what we emit always parses back.
  const Type implied = Valid().ImpliedType();
  for (const auto& [name, type] : implied.attributes()) {
    std::string error;
    auto back = Type::FromJson(type.ToJson(), &error);
    ASSERT_TRUE(back) << name << ": " << error;
    EXPECT_EQ(*back, type);
  }
}

TEST(BehaviourTest, CaseInsensitiveEquality) {
  auto eq = CaseInsensitiveEquality();
  EXPECT_TRUE(eq(Value::String("JDoe"), Value::String("jdoe")));
  EXPECT_FALSE(eq(Value::String("jdoe"), Value::String("jdoe2")));
  EXPECT_FALSE(eq(Value::String("a"), Value::Null(Type::String())));
  EXPECT_FALSE(eq(Value::Unknown(Type::String()), Value::String("a")));
  EXPECT_FALSE(eq(Value::Int(1), Value::Int(1)));
  // Beyond ASCII, as Jira compares names: a case-only difference in any letter is no change.
  EXPECT_TRUE(eq(Value::String("Équipe"), Value::String("équipe")));
  EXPECT_TRUE(eq(Value::String("GRÜNE-Gruppe"), Value::String("grüne-gruppe")));
  EXPECT_FALSE(eq(Value::String("Straße"), Value::String("STRASSE")));
}

TEST(BehaviourTest, OneOf) {
  Diagnostics diags;
  Path p = Path().AtName("grant").AtIndex(0).AtName("type");
  OneOf({"group", "user"})(Value::String("user"), p, diags);
  EXPECT_TRUE(diags.empty());
  OneOf({"group", "user"})(Value::String("USER"), p, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].summary, "Invalid Attribute Value Match");
  EXPECT_EQ(diags.items()[0].detail, "Attribute grant[0].type value must be one of: [\"group\" \"user\"], got: \"USER\"");
  EXPECT_EQ(diags.items()[0].path, p);
  Diagnostics ci;
  OneOf({"group", "user"}, false)(Value::String("USER"), p, ci);
  EXPECT_TRUE(ci.empty());
}

TEST(BehaviourTest, NonEmptyString) {
  Diagnostics diags;
  NonEmptyString()(Value::String("x"), Path().AtName("name"), diags);
  EXPECT_TRUE(diags.empty());
  NonEmptyString()(Value::String(""), Path().AtName("name"), diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].path, Path().AtName("name"));
  EXPECT_NE(diags.items()[0].detail.find("at least 1"), std::string::npos);
}

class BareResource : public Resource {
 public:
  std::string TypeName() const override { return "bare"; }
  Schema GetSchema() const override { return {}; }
  void Create(const CreateRequest&, CreateResponse&) override {}
  void Read(const ReadRequest&, ReadResponse&) override {}
  void Update(const UpdateRequest&, UpdateResponse&) override {}
  void Delete(const DeleteRequest&, DeleteResponse&) override {}
};

TEST(ResourceDefaultsTest, ImportUnsupportedAndUpgradePassesThrough) {
  BareResource r;
  ImportResponse imp;
  r.ImportState(ImportRequest{"id", CancelToken()}, imp);
  EXPECT_TRUE(imp.diagnostics.HasError());
  EXPECT_EQ(imp.diagnostics.items()[0].summary, "Resource Import Not Implemented");
  UpgradeStateResponse up;
  Value decoded = Value::Object({{"a", Value::String("b")}});
  r.UpgradeState(UpgradeStateRequest{0, "{}", decoded}, up);
  EXPECT_EQ(up.state, decoded);
  EXPECT_TRUE(up.diagnostics.empty());
}

}  // namespace
}  // namespace tf
