#include "provider/core/codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <random>

namespace tf {
namespace {

std::string Hex(std::string_view hex) {
  std::string out;
  std::string digits;
  for (char c : hex) {
    if (c != ' ') digits += c;
  }
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    out += static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::string ToHex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

Value Decode(std::string_view bytes, const Type& type) {
  Diagnostics diags;
  Value v = DecodeMsgpack(bytes, type, diags);
  EXPECT_FALSE(diags.HasError()) << diags.ToString();
  return v;
}

Value Num(const char* text) { return Value::Num(*Number::Parse(text)); }

const Type kInner = Type::Object({{"a", Type::String()}, {"m", Type::Map(Type::Number())}});
const Type kNested = Type::Object({
    {"s", Type::String()},
    {"n", Type::Number()},
    {"b", Type::Bool()},
    {"l", Type::List(kInner)},
    {"set", Type::Set(Type::String())},
    {"t", Type::Tuple({Type::String(), Type::Bool()})},
    {"d", Type::Dynamic()},
});

Value FullNested() {
  return Value::ObjectOf(
      kNested,
      {{"s", Value::String("hello")},
       {"n", Num("0.1")},
       {"b", Value::Bool(true)},
       {"l", Value::List(kInner, {Value::ObjectOf(kInner, {{"a", Value::String("x")},
                                                           {"m", Value::Map(Type::Number(), {{"k", Value::Int(1)}})}})})},
       {"set", Value::Set(Type::String(), {Value::String("p"), Value::String("q")})},
       {"t", Value::Tuple({Value::String("t"), Value::Bool(false)})},
       {"d", Value::List(Type::Number(), {Value::Int(1), Value::Int(2)})}});
}

struct RoundTripCase {
  std::string name;
  Type type;
  Value value;
};

std::vector<RoundTripCase> RoundTripCases() {
  return {
      {"string", Type::String(), Value::String("héllo")},
      {"empty_string", Type::String(), Value::String("")},
      {"long_string", Type::String(), Value::String(std::string(70000, 'x'))},
      {"int", Type::Number(), Value::Int(42)},
      {"negative", Type::Number(), Value::Int(-123456789)},
      {"int64_min", Type::Number(), Value::Int(INT64_MIN)},
      {"uint64", Type::Number(), Num("18446744073709551615")},
      {"big", Type::Number(), Num("12345678901234567890")},
      {"huge", Type::Number(), Num("1e400")},
      {"decimal", Type::Number(), Num("0.1")},
      {"negative_decimal", Type::Number(), Num("-1234.5678")},
      {"float", Type::Number(), Num("1.5")},
      {"bool", Type::Bool(), Value::Bool(false)},
      {"list", Type::List(Type::String()), Value::List(Type::String(), {Value::String("a"), Value::String("b")})},
      {"empty_list", Type::List(Type::String()), Value::List(Type::String(), {})},
      {"set", Type::Set(Type::Number()), Value::Set(Type::Number(), {Value::Int(3), Value::Int(1)})},
      {"map", Type::Map(Type::Bool()), Value::Map(Type::Bool(), {{"x", Value::Bool(true)}, {"a", Value::Bool(false)}})},
      {"tuple", Type::Tuple({Type::String(), Type::Number()}), Value::Tuple({Value::String("a"), Value::Int(1)})},
      {"empty_object", Type::Object({}), Value::Object({})},
      {"nested", kNested, FullNested()},
      {"dynamic_string", Type::Dynamic(), Value::String("dyn")},
      {"dynamic_tuple", Type::Dynamic(), Value::Tuple({Value::String("x"), Value::Int(1)})},
      {"dynamic_null_typed", Type::Dynamic(), Value::Null(Type::String())},
      {"dynamic_unknown_typed", Type::Dynamic(), Value::Unknown(Type::Number())},
      {"dynamic_null", Type::Dynamic(), Value::Null(Type::Dynamic())},
      {"dynamic_unknown", Type::Dynamic(), Value::Unknown(Type::Dynamic())},
      {"map_of_dynamic", Type::Map(Type::Dynamic()), Value::Map(Type::Dynamic(), {{"a", Value::Int(1)}, {"b", Value::String("s")}})},
      {"null_object", kNested, Value::Null(kNested)},
      {"unknown_object", kNested, Value::Unknown(kNested)},
  };
}

TEST(MsgpackTest, RoundTripsEveryType) {
  for (const auto& c : RoundTripCases()) {
    std::string bytes = EncodeMsgpack(c.value, c.type);
    Diagnostics diags;
    Value back = DecodeMsgpack(bytes, c.type, diags);
    EXPECT_FALSE(diags.HasError()) << c.name << ": " << diags.ToString();
    EXPECT_EQ(back, c.value) << c.name << ": " << back.DebugString() << " vs " << c.value.DebugString();
    EXPECT_EQ(EncodeMsgpack(back, c.type), bytes) << c.name;
  }
}

TEST(JsonTest, RoundTripsEveryKnownType) {
  for (const auto& c : RoundTripCases()) {
    if (!c.value.IsWhollyKnown()) continue;
    Diagnostics diags;
    std::string json = EncodeJson(c.value, c.type, diags);
    ASSERT_FALSE(diags.HasError()) << c.name;
    Value back = DecodeJson(json, c.type, diags);
    EXPECT_FALSE(diags.HasError()) << c.name << ": " << diags.ToString() << " in " << json.substr(0, 200);
    EXPECT_EQ(back, c.value) << c.name << ": " << json.substr(0, 200);
  }
}

TEST(MsgpackTest, EmitsTerraformsExactBytes) {
  struct Case {
    Value value;
    Type type;
    const char* hex;
  };
  for (const Case& c : std::initializer_list<Case>{
           {Value::Int(5), Type::Number(), "05"},
           {Value::Int(-3), Type::Number(), "fd"},
           {Value::Int(200), Type::Number(), "cc c8"},  // non-negatives use unsigned codes
           {Value::Int(300), Type::Number(), "cd 01 2c"},
           {Num("1.5"), Type::Number(), "cb 3f f8 00 00 00 00 00 00"},
           {Num("0.1"), Type::Number(), "a3 30 2e 31"},
           // Integers beyond int64 that are exactly a double: uint64 below 2^64, float64
           // from 2^64 on (where msgpack-c's pack_double is undefined behaviour).
           {Num("9223372036854775808"), Type::Number(), "cf 80 00 00 00 00 00 00 00"},
           {Num("18446744073709551616"), Type::Number(), "cb 43 f0 00 00 00 00 00 00"},
           {Num("36893488147419103232"), Type::Number(), "cb 44 00 00 00 00 00 00 00"},
           {Num("-18446744073709551616"), Type::Number(), "cb c3 f0 00 00 00 00 00 00"},
           {Num("-2.5"), Type::Number(), "cb c0 04 00 00 00 00 00 00"},
           {Value::Unknown(Type::String()), Type::String(), "d4 00 00"},
           {Value::Null(Type::String()), Type::String(), "c0"},
           {Value::Bool(true), Type::Bool(), "c3"},
           // Object keys sorted byte-wise, every attribute present.
           {Value::Object({{"b", Value::Int(1)}, {"a", Value::Null(Type::String())}}),
            Type::Object({{"b", Type::Number()}, {"a", Type::String()}}), "82 a1 61 c0 a1 62 01"},
           // Dynamic: [bin(type json), value].
           {Value::String("x"), Type::Dynamic(), "92 c4 08 22 73 74 72 69 6e 67 22 a1 78"},
           {Value::Null(Type::Dynamic()), Type::Dynamic(), "c0"},
           {Value::Unknown(Type::Dynamic()), Type::Dynamic(), "d4 00 00"},
       }) {
    EXPECT_EQ(ToHex(EncodeMsgpack(c.value, c.type)), c.hex) << c.value.DebugString();
  }
}

TEST(MsgpackTest, DecodesEveryNumberForm) {
  struct Case {
    const char* hex;
    const char* text;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"05", "5"},
           {"ff", "-1"},
           {"cc ff", "255"},
           {"cf ff ff ff ff ff ff ff ff", "18446744073709551615"},
           {"d3 80 00 00 00 00 00 00 00", "-9223372036854775808"},
           {"ca 3f c0 00 00", "1.5"},
           {"cb 3f b9 99 99 99 99 99 9a", "0.1"},
           {"b4 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39 30", "12345678901234567890"},
           {"a4 2d 30 2e 35", "-0.5"},
           {"a5 31 65 34 30 30", nullptr},  // "1e400"
       }) {
    Value v = Decode(Hex(c.hex), Type::Number());
    ASSERT_TRUE(v.is_known()) << c.hex;
    if (c.text) {
      EXPECT_EQ(v.as_number().text(), c.text) << c.hex;
    } else {
      EXPECT_EQ(v.as_number().text(), "1" + std::string(400, '0'));
    }
  }
}

// Regression for the fuzz finding dynamic_value_fuzzer-msgpack-round-trip: a list of numbers
// given as JSON decoded, but msgpack encode -> decode -> encode changed the bytes. The first
// number is exactly a double, so it went as a float64, and a float64 reads back as its
// shortest decimal (1666666666666666800000000000000), another number.
TEST(MsgpackTest, FuzzFindingBigNumbersInADynamicListRoundTrip) {
  const std::string json =
      R"({"value": [1666666666666666793632700301312,666666666666666.666666666666666666666666666666666666,)"
      R"(666666666666666666666,666666666666666.666666666666666666666266666666666,)"
      R"(666666666666666.666666666666666666666666666666666,666666666666666666666666, 2],)"
      R"( "type": ["list", "number"]})";
  Diagnostics diags;
  const Value value = DecodeJson(json, Type::Dynamic(), diags);
  ASSERT_FALSE(diags.HasError()) << diags.ToString();
  ASSERT_EQ(value.type(), Type::List(Type::Number()));
  ASSERT_EQ(value.items().size(), 7u);
  EXPECT_EQ(value.items()[0].as_number().text(), "1666666666666666793632700301312");

  const std::string once = EncodeMsgpack(value, Type::Dynamic());
  const Value back = DecodeMsgpack(once, Type::Dynamic(), diags);
  ASSERT_FALSE(diags.HasError()) << diags.ToString();
  EXPECT_EQ(back, value) << back.DebugString();
  EXPECT_EQ(ToHex(EncodeMsgpack(back, Type::Dynamic())), ToHex(once));
  // The exact double goes as text; the small integer still as an integer.
  EXPECT_NE(once.find("\xbf" "1666666666666666793632700301312"), std::string::npos) << ToHex(once);
  EXPECT_EQ(once.back(), '\x02');
}

// Numbers cty carries at 512 bits (cty.ParseNumberVal) beyond int64 and float64: JSON in,
// msgpack and back, JSON out, every digit kept.
TEST(MsgpackTest, BigIntegersAndLongDecimalsSurviveJsonAndMsgpack) {
  struct Case {
    const char* json;
    const char* text;  // canonical text, also what JSON encoding gives back
    const char* head;  // first byte of its msgpack: "str", or the hex of a number code
  };
  for (const Case& c : std::initializer_list<Case>{
           // 2^63: exactly a double that reads back as itself; msgpack-c writes such an
           // integral double as uint64, which cty reads exactly (NumberUIntVal).
           {"9223372036854775808", "9223372036854775808", "cf"},
           {"-9223372036854775809", "-9223372036854775809", "str"},  // int64 min - 1
           {"18446744073709551616", "18446744073709551616", "cb"},   // 2^64: a float64
           {"18446744073709551617", "18446744073709551617", "str"},  // 2^64 + 1: no double
           {"123456789012345678901234567890123456789", "123456789012345678901234567890123456789", "str"},
           {"3.14159265358979323846264338327950288419716939937510",
            "3.1415926535897932384626433832795028841971693993751", "str"},
           {"-0.000000000000000000000000000123", "-0.000000000000000000000000000123", "str"},
           {"1e-30", "0.000000000000000000000000000001", "str"},
           {"1.0000000000000000000000000000000000000000001", "1.0000000000000000000000000000000000000000001", "str"},
           {"0.1", "0.1", "str"},
           {"1e400", nullptr, "str"},
       }) {
    Diagnostics diags;
    const Value from_json = DecodeJson(c.json, Type::Number(), diags);
    ASSERT_FALSE(diags.HasError()) << c.json << ": " << diags.ToString();
    const std::string want = c.text ? c.text : "1" + std::string(400, '0');
    EXPECT_EQ(from_json.as_number().text(), want) << c.json;

    const std::string mp = EncodeMsgpack(from_json, Type::Number());
    ASSERT_FALSE(mp.empty());
    const auto first = static_cast<unsigned char>(mp[0]);
    const bool is_text = (first >= 0xa0 && first <= 0xbf) || first == 0xd9 || first == 0xda;
    if (std::string(c.head) == "str") {
      EXPECT_TRUE(is_text) << c.json << ": " << ToHex(mp);
    } else {
      EXPECT_EQ(ToHex(mp.substr(0, 1)), c.head) << c.json << ": " << ToHex(mp);
    }
    const Value from_mp = DecodeMsgpack(mp, Type::Number(), diags);
    ASSERT_FALSE(diags.HasError()) << c.json << ": " << diags.ToString();
    EXPECT_EQ(from_mp, from_json) << c.json;
    EXPECT_EQ(EncodeMsgpack(from_mp, Type::Number()), mp) << c.json;
    EXPECT_EQ(EncodeJson(from_mp, Type::Number(), diags), want) << c.json;
    EXPECT_FALSE(diags.HasError()) << c.json;
  }
}

// Every float64 Terraform may send reads as its shortest decimal and is answered with the
// same number: as the same float64 when that decimal is the double's exact value, otherwise
// as that decimal's text, which cty parses to an equal number.
TEST(MsgpackTest, Float64ReadsBackAsTheSameNumber) {
  std::mt19937_64 rng(12);
  std::vector<double> doubles = {0.1, 1.5, -2.5, 1e21, 1e22, 5e-324, 1.7976931348623157e308,
                                 1666666666666666793632700301312.0, 9007199254740992.0, 0.375};
  for (int i = 0; i < 2000; ++i) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) doubles.push_back(d);
  }
  for (double d : doubles) {
    std::string mp = "\xcb";
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    for (int shift = 56; shift >= 0; shift -= 8) mp += static_cast<char>((bits >> shift) & 0xff);
    const Value first = Decode(mp, Type::Number());
    EXPECT_EQ(first.as_number(), Number::FromDouble(d));
    const std::string answer = EncodeMsgpack(first, Type::Number());
    const Value second = Decode(answer, Type::Number());
    EXPECT_EQ(second, first) << ToHex(mp) << " -> " << ToHex(answer);
    EXPECT_EQ(EncodeMsgpack(second, Type::Number()), answer) << ToHex(mp);
  }
}

// Found by dynamic_value_fuzzer: map keys that were not UTF-8 decoded from msgpack, and JSON
// encoding replaced their bytes with U+FFFD, reordering (or merging) the keys. Strings and
// keys that are not UTF-8 are now a diagnostic at their path.
TEST(MsgpackTest, StringsAndKeysThatAreNotUtf8AreRefused) {
  Diagnostics diags;
  // {"id": nil, "\x99\x91~\x19p": nil, "\xfe\x90u%\x00mses": nil} as a map of strings.
  Value v = DecodeMsgpack(Hex("83 a5 99 91 7e 19 70 c0 a2 69 64 c0 a9 fe 90 75 25 00 6d 73 65 73 c0"),
                          Type::Map(Type::String()), diags);
  ASSERT_TRUE(diags.HasError());
  EXPECT_NE(diags.ToString().find("map key is not valid UTF-8"), std::string::npos) << diags.ToString();
  EXPECT_TRUE(v.is_null());
  Diagnostics string_diags;
  const Type t = Type::Object({{"name", Type::String()}});
  DecodeMsgpack(Hex("81 a4 6e 61 6d 65 a2 c3 28"), t, string_diags);  // "name": "\xc3("
  ASSERT_TRUE(string_diags.HasError());
  EXPECT_NE(string_diags.ToString().find("string is not valid UTF-8"), std::string::npos);
  EXPECT_NE(string_diags.ToString().find("name"), std::string::npos) << string_diags.ToString();
  // The same from JSON, whose reader passes such bytes through: else our own msgpack of
  // a value read from JSON would not decode (found by the fuzzer right after the above).
  Diagnostics json_diags;
  DecodeJson("{\"name\": \"\xff\xff" "e\"}", t, json_diags);
  ASSERT_TRUE(json_diags.HasError());
  EXPECT_NE(json_diags.ToString().find("string is not valid UTF-8"), std::string::npos) << json_diags.ToString();
  Diagnostics json_key_diags;
  DecodeJson("{\"\xfe\": \"x\"}", Type::Map(Type::String()), json_key_diags);
  EXPECT_NE(json_key_diags.ToString().find("not valid UTF-8"), std::string::npos) << json_key_diags.ToString();
  // Valid UTF-8 beyond ASCII, and a NUL, still decode.
  Diagnostics ok;
  v = DecodeMsgpack(Hex("82 a2 c3 a9 a1 78 a1 00 a1 79"), Type::Map(Type::String()), ok);
  EXPECT_FALSE(ok.HasError()) << ok.ToString();
  EXPECT_EQ(v.map_items().size(), 2u);
}

TEST(MsgpackTest, AnyExtensionIsUnknown) {
  for (const char* hex : {"d4 00 00", "d5 01 00 00", "d6 05 00 00 00 00", "d7 7f 00 00 00 00 00 00 00 00",
                          "d8 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", "c7 00 03",
                          "c8 00 01 09 00", "c9 00 00 00 01 0a 00",
                          // Refined unknown: ext 12 with {1: false, 2: "ab"}.
                          "c7 07 0c 82 01 c2 02 a2 61 62"}) {
    for (const Type& t : {Type::String(), Type::Number(), Type::List(Type::String()), kNested, Type::Dynamic()}) {
      Value v = Decode(Hex(hex), t);
      EXPECT_TRUE(v.is_unknown()) << hex << " as " << t.FriendlyName();
      EXPECT_EQ(v.type(), t);
    }
  }
}

TEST(MsgpackTest, RefinedUnknownInsideObject) {
  Type t = Type::Object({{"id", Type::String()}, {"name", Type::String()}});
  // {"id": <refined unknown, not null, prefix "u-">, "name": "n"}
  Value v = Decode(Hex("82 a2 69 64 c7 07 0c 82 01 c2 02 a2 75 2d a4 6e 61 6d 65 a1 6e"), t);
  EXPECT_TRUE(v.attr("id").is_unknown());
  EXPECT_EQ(v.attr("name"), Value::String("n"));
}

TEST(MsgpackTest, AcceptsBinForStringsAndAnyKeyOrder) {
  EXPECT_EQ(Decode(Hex("c4 02 68 69"), Type::String()), Value::String("hi"));
  Type t = Type::Object({{"a", Type::Number()}, {"b", Type::Number()}});
  EXPECT_EQ(Decode(Hex("82 a1 62 02 a1 61 01"), t), Value::Object({{"a", Value::Int(1)}, {"b", Value::Int(2)}}));
  // Missing attributes decode as null.
  EXPECT_EQ(Decode(Hex("80"), t), Value::ObjectOf(t, {}));
}

TEST(MsgpackTest, DecodesDynamicWrapperWithStrOrBinType) {
  // ["x", 1] as observed from Terraform: [bin(["tuple",["string","number"]]), ["x", 1]]
  std::string type_json = R"(["tuple",["string","number"]])";
  std::string bin = "\x92\xc4" + std::string(1, static_cast<char>(type_json.size())) + type_json + "\x92\xa1x\x01";
  Value v = Decode(bin, Type::Dynamic());
  EXPECT_EQ(v, Value::Tuple({Value::String("x"), Value::Int(1)}));
  Value s = Decode(Hex("92 a8 22 73 74 72 69 6e 67 22 a1 78"), Type::Dynamic());
  EXPECT_EQ(s, Value::String("x"));
  // A typed null inside the wrapper.
  Value n = Decode(Hex("92 a8 22 73 74 72 69 6e 67 22 c0"), Type::Dynamic());
  EXPECT_EQ(n, Value::Null(Type::String()));
}

// Every attribute position of kNested, plus positions inside the list element and map.
std::vector<std::function<Value(const Value&)>> NestedMutations() {
  std::vector<std::function<Value(const Value&)>> out;
  for (const auto& [name, type] : kNested.attributes()) {
    for (bool unknown : {false, true}) {
      Type at = type;
      out.push_back([name, at, unknown](const Value& v) {
        return v.WithAttr(name, unknown ? Value::Unknown(at) : Value::Null(at));
      });
    }
  }
  for (bool unknown : {false, true}) {
    auto make = [unknown](const Type& t) { return unknown ? Value::Unknown(t) : Value::Null(t); };
    out.push_back([make](const Value& v) {  // whole list element
      return v.WithAttr("l", Value::List(kInner, {make(kInner)}));
    });
    out.push_back([make](const Value& v) {  // attribute inside list element
      return v.WithAttr("l", Value::List(kInner, {Value::ObjectOf(kInner, {{"a", make(Type::String())}})}));
    });
    out.push_back([make](const Value& v) {  // map value inside list element
      return v.WithAttr("l", Value::List(kInner, {Value::ObjectOf(
                                                       kInner, {{"m", Value::Map(Type::Number(), {{"k", make(Type::Number())}})}})}));
    });
    out.push_back([make](const Value& v) {  // set element
      return v.WithAttr("set", Value::Set(Type::String(), {make(Type::String()), Value::String("z")}));
    });
    out.push_back([make](const Value& v) {  // tuple element
      return v.WithAttr("t", Value::Tuple({make(Type::String()), Value::Bool(true)}));
    });
  }
  return out;
}

TEST(MsgpackTest, NullAndUnknownAtEveryNestingLevel) {
  int i = 0;
  for (const auto& mutate : NestedMutations()) {
    Value v = mutate(FullNested());
    std::string bytes = EncodeMsgpack(v, kNested);
    Value back = Decode(bytes, kNested);
    EXPECT_EQ(back, v) << "mutation " << i << ": " << v.DebugString() << "\n" << back.DebugString();
    ++i;
  }
}

TEST(JsonTest, NullAtEveryLevelAndUnknownRejected) {
  for (const auto& mutate : NestedMutations()) {
    Value v = mutate(FullNested());
    Diagnostics diags;
    std::string json = EncodeJson(v, kNested, diags);
    if (!v.IsWhollyKnown()) {
      EXPECT_TRUE(diags.HasError()) << json;
      continue;
    }
    ASSERT_FALSE(diags.HasError());
    EXPECT_EQ(DecodeJson(json, kNested, diags), v) << json;
    EXPECT_FALSE(diags.HasError()) << diags.ToString();
  }
}

TEST(MsgpackTest, TruncatedInputAlwaysGivesDiagnostic) {
  for (const auto& c : RoundTripCases()) {
    std::string bytes = EncodeMsgpack(c.value, c.type);
    // msgpack is prefix-free: every proper prefix is incomplete.
    for (size_t len = 0; len < bytes.size(); len += (bytes.size() > 2000 ? 997 : 1)) {
      Diagnostics diags;
      Value v = DecodeMsgpack(std::string_view(bytes).substr(0, len), c.type, diags);
      EXPECT_TRUE(diags.HasError()) << c.name << " truncated to " << len;
      EXPECT_TRUE(v.is_null());
    }
  }
}

TEST(MsgpackTest, MalformedInputGivesDiagnostic) {
  struct Case {
    const char* hex;
    Type type;
    const char* expect;  // part of the summary
  };
  for (const Case& c : std::initializer_list<Case>{
           {"01", Type::String(), "expected string, got an integer"},
           {"a1 78", Type::Number(), "is not a number"},
           {"a1 78", Type::Bool(), "expected bool"},
           {"c3", Type::List(Type::String()), "expected list of string"},
           {"91 01", Type::List(Type::String()), "expected string"},
           {"92 01 02", Type::Tuple({Type::Number()}), "tuple of 1 elements"},
           {"81 01 01", Type::Map(Type::Number()), "map key"},
           {"81 a1 7a 01", Type::Object({{"a", Type::Number()}}), "unsupported attribute \"z\""},
           {"82 a1 61 01 a1 61 02", Type::Object({{"a", Type::Number()}}), "duplicate key"},
           {"01", Type::Dynamic(), "dynamic value wrapper"},
           {"92 a3 62 61 64 01", Type::Dynamic(), "invalid type"},
           {"cb 7f f0 00 00 00 00 00 00", Type::Number(), "infinite"},
           {"c0 c0", Type::String(), "trailing bytes"},
           {"c1", Type::String(), "Malformed msgpack"},  // never-used code
           {"dd ff ff ff ff", Type::List(Type::String()), "Malformed msgpack"},  // 4G elements, 5 bytes
           {"df ff ff ff ff", Type::Map(Type::String()), "Malformed msgpack"},
           {"db ff ff ff ff", Type::String(), "Malformed msgpack"},
       }) {
    Diagnostics diags;
    DecodeMsgpack(Hex(c.hex), c.type, diags);
    ASSERT_TRUE(diags.HasError()) << c.hex;
    EXPECT_NE(diags.items()[0].summary.find(c.expect), std::string::npos)
        << c.hex << ": " << diags.ToString();
  }
}

TEST(MsgpackTest, ErrorsCarryTheAttributePath) {
  Type t = Type::Object({{"grant", Type::List(Type::Object({{"n", Type::Number()}}))}});
  Diagnostics diags;
  DecodeMsgpack(Hex("81 a5 67 72 61 6e 74 92 81 a1 6e 01 81 a1 6e c3"), t, diags);
  ASSERT_TRUE(diags.HasError());
  ASSERT_TRUE(diags.items()[0].path);
  EXPECT_EQ(diags.items()[0].path->ToString(), "grant[1].n");
}

TEST(MsgpackTest, DeepNestingIsRefused) {
  std::string bytes(100000, '\x91');
  bytes += '\xc0';
  Type t = Type::Dynamic();
  Diagnostics diags;
  DecodeMsgpack(bytes, Type::List(Type::List(Type::String())), diags);
  EXPECT_TRUE(diags.HasError());
  // Dynamic wrappers nested in each other are bounded by the same limit.
  std::string dyn;
  for (int i = 0; i < 5000; ++i) dyn += Hex("92 a9 22 64 79 6e 61 6d 69 63 22");
  dyn += '\xc0';
  Diagnostics diags2;
  DecodeMsgpack(dyn, t, diags2);
  EXPECT_TRUE(diags2.HasError());
}

TEST(MsgpackTest, RandomBytesNeverCrash) {
  std::mt19937 rng(12345);
  std::string valid = EncodeMsgpack(FullNested(), kNested);
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = valid;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xff);
    Diagnostics diags;
    DecodeMsgpack(bytes, kNested, diags);  // must return, with or without diagnostics
  }
  SUCCEED();
}

TEST(JsonTest, MissingKeysAreNullAndUnknownKeysAreChecked) {
  Type t = Type::Object({{"id", Type::String()}, {"n", Type::Number()}});
  Diagnostics diags;
  Value v = DecodeJson(R"({"id":"x"})", t, diags);
  EXPECT_FALSE(diags.HasError());
  EXPECT_EQ(v, Value::ObjectOf(t, {{"id", Value::String("x")}}));

  Diagnostics strict;
  DecodeJson(R"({"id":"x","old":1})", t, strict);
  ASSERT_TRUE(strict.HasError());
  EXPECT_NE(strict.items()[0].summary.find("unsupported attribute \"old\""), std::string::npos);

  Diagnostics lenient;
  Value l = DecodeJson("{\n  \"id\": \"x\",\n  \"old\": {\"deep\": [1]}\n}", t, lenient, true);
  EXPECT_FALSE(lenient.HasError()) << lenient.ToString();
  EXPECT_EQ(l, v);
}

TEST(JsonTest, KeepsNumbersExact) {
  Diagnostics diags;
  Value v = DecodeJson("[12345678901234567890.5, 0.1, 1e400, -7]", Type::List(Type::Number()), diags);
  ASSERT_FALSE(diags.HasError()) << diags.ToString();
  EXPECT_EQ(v.items()[0].as_number().text(), "12345678901234567890.5");
  EXPECT_EQ(v.items()[1].as_number().text(), "0.1");
  EXPECT_EQ(v.items()[2].as_number().text().size(), 401u);
  EXPECT_EQ(v.items()[3].as_number().text(), "-7");
  EXPECT_EQ(EncodeJson(Num("12345678901234567890.5"), Type::Number(), diags), "12345678901234567890.5");
}

TEST(JsonTest, DynamicUsesValueTypeObject) {
  Diagnostics diags;
  Value v = DecodeJson(R"({"value":["x",1],"type":["tuple",["string","number"]]})", Type::Dynamic(), diags);
  ASSERT_FALSE(diags.HasError()) << diags.ToString();
  EXPECT_EQ(v, Value::Tuple({Value::String("x"), Value::Int(1)}));
  EXPECT_EQ(EncodeJson(v, Type::Dynamic(), diags), R"({"value":["x",1],"type":["tuple",["string","number"]]})");
  Diagnostics bad;
  DecodeJson(R"(["x",1])", Type::Dynamic(), bad);
  EXPECT_TRUE(bad.HasError());
}

TEST(JsonTest, MalformedInputGivesDiagnostic) {
  for (const char* json : {"", "{", "{\"id\":}", "[1,2", "nul", "{\"id\":\"x\"} trailing", "\"\\u12\""}) {
    Diagnostics diags;
    Value v = DecodeJson(json, Type::Object({{"id", Type::String()}}), diags);
    EXPECT_TRUE(diags.HasError()) << json;
    EXPECT_TRUE(v.is_null());
  }
  Diagnostics diags;
  DecodeJson(std::string(100000, '[') + std::string(100000, ']'), Type::Dynamic(), diags);
  EXPECT_TRUE(diags.HasError());
  Diagnostics wrong;
  DecodeJson(R"({"id":[1]})", Type::Object({{"id", Type::String()}}), wrong);
  ASSERT_TRUE(wrong.HasError());
  EXPECT_EQ(wrong.items()[0].path, Path().AtName("id"));
}

TEST(ConformValueTest, FillsTypesAndReportsMismatches) {
  Type t = Type::Object({{"id", Type::String()}, {"tags", Type::Set(Type::String())}, {"n", Type::Number()}});
  Diagnostics diags;
  Value v = ConformValue(Value::Object({{"id", Value::String("x")}, {"n", Value()}}), t, diags);
  EXPECT_FALSE(diags.HasError()) << diags.ToString();
  EXPECT_EQ(v.type(), t);
  EXPECT_EQ(v.attr("tags"), Value::Null(Type::Set(Type::String())));
  EXPECT_EQ(v.attr("n"), Value::Null(Type::Number()));

  Diagnostics bad;
  ConformValue(Value::Object({{"id", Value::Int(1)}, {"extra", Value::Bool(true)}}), t, bad);
  ASSERT_EQ(bad.size(), 2u) << bad.ToString();
  EXPECT_EQ(bad.items()[0].path, Path().AtName("extra"));
  EXPECT_EQ(bad.items()[1].path, Path().AtName("id"));
}

}  // namespace
}  // namespace tf
