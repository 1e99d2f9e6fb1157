#include "provider/core/value.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace tf {
namespace {

TEST(NumberTest, ParsesToCanonicalText) {
  struct Case {
    const char* in;
    const char* canonical;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"0", "0"},
           {"-0", "0"},
           {"007", "7"},
           {"-12.50", "-12.5"},
           {"0.1", "0.1"},
           {"1.5e3", "1500"},
           {"15e-1", "1.5"},
           {"+3", "3"},
           {"12345678901234567890", "12345678901234567890"},
           {"1E2", "100"},
           {".5", "0.5"},
           {"5.", "5"},
           {"0.000", "0"},
       }) {
    auto n = Number::Parse(c.in);
    ASSERT_TRUE(n) << c.in;
    EXPECT_EQ(n->text(), c.canonical) << c.in;
  }
}

TEST(NumberTest, ExpandsLargeExponents) {
  auto n = Number::Parse("1e400");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text(), "1" + std::string(400, '0'));
  EXPECT_FALSE(n->ToInt64());
  EXPECT_FALSE(n->ToExactDouble());
}

TEST(NumberTest, RejectsNonNumbers) {
  for (const char* in : {"", "-", "abc", "1e", "1.2.3", "0x10", "1e+", "NaN", "Infinity", " 1",
                         "1e999999999999"}) {
    EXPECT_FALSE(Number::Parse(in)) << in;
  }
}

TEST(NumberTest, IntegerAndDoubleConversions) {
  EXPECT_EQ(Number::FromInt(-42).text(), "-42");
  EXPECT_EQ(Number::Parse("9223372036854775807")->ToInt64(), INT64_MAX);
  EXPECT_FALSE(Number::Parse("9223372036854775808")->ToInt64());
  EXPECT_EQ(Number::Parse("-9223372036854775808")->ToInt64(), INT64_MIN);
  EXPECT_FALSE(Number::Parse("1.5")->ToInt64());
  EXPECT_EQ(Number::Parse("1.5")->ToExactDouble(), 1.5);
  EXPECT_EQ(Number::Parse("0.375")->ToExactDouble(), 0.375);
  // 0.1 has no exact binary representation, so it must travel as a string.
  EXPECT_FALSE(Number::Parse("0.1")->ToExactDouble());
  EXPECT_EQ(Number::FromDouble(0.1).text(), "0.1");
  EXPECT_EQ(Number::FromDouble(-2.5).text(), "-2.5");
  EXPECT_EQ(Number::FromDouble(1e21).text(), "1000000000000000000000");
  EXPECT_THROW(Number::FromDouble(1.0 / 0.0), std::invalid_argument);
}

TEST(TypeTest, JsonRoundTrip) {
  const Type types[] = {
      Type::String(),
      Type::Number(),
      Type::Bool(),
      Type::Dynamic(),
      Type::List(Type::String()),
      Type::Set(Type::Object({{"a", Type::String()}, {"b", Type::List(Type::Number())}})),
      Type::Map(Type::Bool()),
      Type::Tuple({Type::String(), Type::Number()}),
      Type::Object({}),
      Type::Object({{"weird \"name\"", Type::Dynamic()}}),
  };
  for (const Type& t : types) {
    std::string error;
    auto back = Type::FromJson(t.ToJson(), &error);
    ASSERT_TRUE(back) << t.ToJson() << ": " << error;
    EXPECT_EQ(*back, t) << t.ToJson();
  }
  EXPECT_EQ(Type::Set(Type::Object({{"a", Type::String()}})).ToJson(),
            R"(["set",["object",{"a":"string"}]])");
  EXPECT_EQ(Type::Tuple({Type::String(), Type::Number()}).ToJson(), R"(["tuple",["string","number"]])");
}

TEST(TypeTest, FromJsonAcceptsWhitespaceAndOptionalAttrs) {
  std::string error;
  auto t = Type::FromJson(R"( [ "object" , { "a" : "string" } , ["a"] ] )", &error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(*t, Type::Object({{"a", Type::String()}}));
}

TEST(TypeTest, FromJsonRejectsInvalid) {
  for (const char* in : {"", "\"str\"", "[\"list\"]", "[\"list\",\"string\",\"x\"]", "[\"object\",[]]",
                         "[\"tuple\",{}]", "[\"frob\",\"string\"]", "42", "{}", "[\"list\",",
                         "[\"object\",{\"a\":\"string\",\"a\":\"number\"}]"}) {
    std::string error;
    EXPECT_FALSE(Type::FromJson(in, &error)) << in;
    EXPECT_FALSE(error.empty()) << in;
  }
  // Hostile nesting is refused, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "[\"list\",";
  std::string error;
  EXPECT_FALSE(Type::FromJson(deep, &error));
}

TEST(TypeTest, FriendlyNames) {
  EXPECT_EQ(Type::Set(Type::Object({})).FriendlyName(), "set of object");
  EXPECT_EQ(Type::List(Type::String()).FriendlyName(), "list of string");
  EXPECT_EQ(Type::Map(Type::Number()).FriendlyName(), "map of number");
  EXPECT_EQ(Type::Dynamic().FriendlyName(), "dynamic");
}

TEST(ValueTest, StatesAndAccessors) {
  Value s = Value::String("x");
  EXPECT_TRUE(s.is_known());
  EXPECT_EQ(s.as_string(), "x");
  EXPECT_THROW(s.as_bool(), std::logic_error);
  Value n = Value::Null(Type::String());
  EXPECT_TRUE(n.is_null());
  EXPECT_FALSE(n.is_known());
  EXPECT_THROW(n.as_string(), std::logic_error);
  Value u = Value::Unknown(Type::Number());
  EXPECT_TRUE(u.is_unknown());
  EXPECT_FALSE(u.IsWhollyKnown());
  EXPECT_THROW(u.as_number(), std::logic_error);
  EXPECT_TRUE(Value().is_null());
  EXPECT_EQ(Value().type(), Type::Dynamic());
}

TEST(ValueTest, WhollyKnownLooksInside) {
  Value obj = Value::Object({{"a", Value::List(Type::String(), {Value::String("x"), Value::Unknown(Type::String())})}});
  EXPECT_FALSE(obj.IsWhollyKnown());
  EXPECT_TRUE(Value::Object({{"a", Value::Null(Type::String())}}).IsWhollyKnown());
}

TEST(ValueTest, SetsDropDuplicatesAndCompareOrderFree) {
  Value a = Value::Set(Type::String(), {Value::String("x"), Value::String("y"), Value::String("x")});
  EXPECT_EQ(a.items().size(), 2u);
  Value b = Value::Set(Type::String(), {Value::String("y"), Value::String("x")});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, Value::Set(Type::String(), {Value::String("y")}));
  EXPECT_NE(Value::List(Type::String(), {Value::String("x"), Value::String("y")}),
            Value::List(Type::String(), {Value::String("y"), Value::String("x")}));
}

TEST(ValueTest, EqualityComparesTypeStateAndPayload) {
  EXPECT_EQ(Value::Int(5), Value::Num(*Number::Parse("5.0")));
  EXPECT_NE(Value::String("5"), Value::Int(5));
  EXPECT_NE(Value::Null(Type::String()), Value::Unknown(Type::String()));
  EXPECT_NE(Value::Null(Type::String()), Value::Null(Type::Number()));
  EXPECT_EQ(Value::Unknown(Type::String()), Value::Unknown(Type::String()));
  EXPECT_EQ(Value::Map(Type::Bool(), {{"a", Value::Bool(true)}}),
            Value::Map(Type::Bool(), {{"a", Value::Bool(true)}}));
}

TEST(ValueTest, ObjectHelpers) {
  Type t = Type::Object({{"id", Type::String()}, {"n", Type::Number()}, {"b", Type::Bool()}});
  Value o = Value::ObjectOf(t, {{"id", Value::String("x")}});
  EXPECT_EQ(o.type(), t);
  EXPECT_TRUE(o.attr("n").is_null());
  EXPECT_EQ(o.attr("n").type(), Type::Number());
  EXPECT_TRUE(o.attr("missing").is_null());
  EXPECT_TRUE(Value::Null(t).attr("id").is_null());
  EXPECT_EQ(GetString(o, "id"), "x");
  EXPECT_FALSE(GetString(o, "n"));
  Value o2 = o.WithAttr("n", Value::Int(7)).WithAttr("b", Value::Bool(true));
  EXPECT_EQ(o2.type(), t);
  EXPECT_EQ(GetInt(o2, "n"), 7);
  EXPECT_EQ(GetBool(o2, "b"), true);
  EXPECT_EQ(GetString(o, "id"), "x");  // original unchanged
  EXPECT_EQ(StringOrNull(std::nullopt), Value::Null(Type::String()));
  EXPECT_EQ(StringOrNull("a"), Value::String("a"));
}

TEST(ValueTest, DebugStringIsCtyLike) {
  EXPECT_EQ(Value::String("a").DebugString(), "cty.StringVal(\"a\")");
  EXPECT_EQ(Value::Unknown(Type::String()).DebugString(), "cty.UnknownVal(cty.String)");
  EXPECT_EQ(Value::Null(Type::List(Type::Number())).DebugString(), "cty.NullVal(cty.List(cty.Number))");
  EXPECT_EQ(Value::Int(3).DebugString(), "cty.NumberIntVal(3)");
  EXPECT_EQ(Value::Object({{"a", Value::Bool(true)}}).DebugString(),
            "cty.ObjectVal(map[string]cty.Value{\"a\":cty.True})");
  EXPECT_EQ(Value::List(Type::String(), {}).DebugString(), "cty.ListValEmpty(cty.String)");
}

}  // namespace
}  // namespace tf

namespace tf {
namespace {

TEST(ValueTest, LargeSetsDedupeAndCompare) {
  std::vector<Value> a, b;
  for (int i = 0; i < 20000; ++i) {
    a.push_back(Value::String("user" + std::to_string(i % 10000)));
    b.push_back(Value::String("user" + std::to_string(9999 - i % 10000)));
  }
  Value sa = Value::Set(Type::String(), a);
  Value sb = Value::Set(Type::String(), b);
  EXPECT_EQ(sa.items().size(), 10000u);
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, Value::Set(Type::String(), std::vector<Value>(a.begin(), a.begin() + 9999)));
  // Mixed known/unknown sets take the general path and keep unknown elements.
  Value mixed = Value::Set(Type::String(), {Value::Unknown(Type::String()), Value::String("x"),
                                            Value::String("x"), Value::Unknown(Type::String())});
  EXPECT_EQ(mixed.items().size(), 3u);
}

}  // namespace
}  // namespace tf
