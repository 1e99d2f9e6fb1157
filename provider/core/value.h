// Terraform's type system, modelled without any protocol or Jira types.
//
// A Type is one of cty's types; a Value is a typed value that is known, null or unknown
// (refined unknowns are read as plain unknown). Values are immutable and cheap to copy
// (payloads are shared).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tf {

enum class TypeKind { kString, kNumber, kBool, kDynamic, kList, kSet, kMap, kObject, kTuple };

class Type {
 public:
  Type();  // dynamic
  static Type String();
  static Type Number();
  static Type Bool();
  static Type Dynamic();
  static Type List(Type element);
  static Type Set(Type element);
  static Type Map(Type element);
  static Type Object(std::map<std::string, Type> attributes);
  static Type Tuple(std::vector<Type> elements);

  TypeKind kind() const { return kind_; }
  bool is_primitive() const;
  bool is_collection() const;  // list, set or map
  const Type& element() const;                              // list, set, map
  const std::map<std::string, Type>& attributes() const;    // object
  const std::vector<Type>& elements() const;                // tuple

  // cty's JSON type encoding, e.g. "string" or ["set",["object",{"a":"string"}]].
  std::string ToJson() const;
  static std::optional<Type> FromJson(std::string_view json, std::string* error);

  std::string FriendlyName() const;  // "string", "set of object", ... for diagnostics
  bool operator==(const Type& other) const;
  bool operator!=(const Type& other) const { return !(*this == other); }

 private:
  TypeKind kind_ = TypeKind::kDynamic;
  std::shared_ptr<const Type> element_;
  std::shared_ptr<const std::map<std::string, Type>> attributes_;
  std::shared_ptr<const std::vector<Type>> elements_;
};

// An arbitrary-precision decimal number, kept as canonical decimal text
// (Terraform numbers are big decimals; "0.1" arrives as a string on the wire).
class Number {
 public:
  Number() : text_("0") {}
  static Number FromInt(int64_t v);
  static Number FromDouble(double v);
  // Accepts JSON-style decimal text ("-12.50", "1e400"); nullopt when not a number.
  static std::optional<Number> Parse(std::string_view text);

  const std::string& text() const { return text_; }  // canonical: no trailing zeros, no '+'
  std::optional<int64_t> ToInt64() const;             // nullopt unless an exact int64
  std::optional<double> ToExactDouble() const;        // nullopt unless exactly representable
  bool operator==(const Number& o) const { return text_ == o.text_; }

 private:
  std::string text_;
};

class Value {
 public:
  Value();  // null of dynamic type
  static Value Null(Type type);
  static Value Unknown(Type type);
  static Value String(std::string s);
  static Value Num(Number n);
  static Value Int(int64_t n);
  static Value Bool(bool b);
  static Value List(Type element, std::vector<Value> items);
  static Value Set(Type element, std::vector<Value> items);  // duplicates are removed
  static Value Map(Type element, std::map<std::string, Value> items);
  // The object's type is derived from its attribute values' types.
  static Value Object(std::map<std::string, Value> attributes);
  // An object of a given type: attributes missing from `attributes` become null.
  static Value ObjectOf(const Type& type, std::map<std::string, Value> attributes);
  static Value Tuple(std::vector<Value> items);

  const Type& type() const { return type_; }
  bool is_null() const { return state_ == State::kNull; }
  bool is_unknown() const { return state_ == State::kUnknown; }
  bool is_known() const { return state_ == State::kKnown; }  // known, not null
  // True when neither this value nor anything inside it is unknown.
  bool IsWhollyKnown() const;

  // Payload accessors. Calling the wrong one, or one on a null/unknown value, throws
  // std::logic_error: that is a bug in our code, and the adapters turn it into a diagnostic.
  const std::string& as_string() const;
  const Number& as_number() const;
  bool as_bool() const;
  const std::vector<Value>& items() const;                  // list, set, tuple
  const std::map<std::string, Value>& map_items() const;    // map
  const std::map<std::string, Value>& attributes() const;   // object

  // Object helpers. attr() returns a null value when the object is null/unknown or the
  // attribute is absent, so handlers can read models without a cascade of checks.
  const Value& attr(std::string_view name) const;
  Value WithAttr(const std::string& name, Value v) const;  // copy with one attribute replaced

  // Exact equality as Terraform core compares values: type, state and payload; sets and
  // maps compare order-free; numbers by canonical text.
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

  // Human-readable rendering for diagnostics and test failures, in the style of cty's
  // GoString: cty.StringVal("a"), cty.UnknownVal(cty.String), cty.NullVal(cty.String).
  std::string DebugString() const;

 private:
  enum class State { kNull, kUnknown, kKnown };
  Type type_;
  State state_ = State::kNull;
  struct Payload;
  std::shared_ptr<const Payload> payload_;
};

// Convenience readers for typed models: nullopt when null or unknown.
std::optional<std::string> GetString(const Value& object, std::string_view attr);
std::optional<bool> GetBool(const Value& object, std::string_view attr);
std::optional<int64_t> GetInt(const Value& object, std::string_view attr);
// Null-or-value constructors.
Value StringOrNull(const std::optional<std::string>& s);

}  // namespace tf
