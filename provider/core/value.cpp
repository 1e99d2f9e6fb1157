#include "provider/core/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <unordered_set>

#include "provider/core/json_tree.h"

namespace tf {

// ---- Type -----------------------------------------------------------------------------------

Type::Type() = default;
Type Type::String() { Type t; t.kind_ = TypeKind::kString; return t; }
Type Type::Number() { Type t; t.kind_ = TypeKind::kNumber; return t; }
Type Type::Bool() { Type t; t.kind_ = TypeKind::kBool; return t; }
Type Type::Dynamic() { return Type(); }

Type Type::List(Type element) {
  Type t;
  t.kind_ = TypeKind::kList;
  t.element_ = std::make_shared<const Type>(std::move(element));
  return t;
}
Type Type::Set(Type element) {
  Type t = List(std::move(element));
  t.kind_ = TypeKind::kSet;
  return t;
}
Type Type::Map(Type element) {
  Type t = List(std::move(element));
  t.kind_ = TypeKind::kMap;
  return t;
}
Type Type::Object(std::map<std::string, Type> attributes) {
  Type t;
  t.kind_ = TypeKind::kObject;
  t.attributes_ = std::make_shared<const std::map<std::string, Type>>(std::move(attributes));
  return t;
}
Type Type::Tuple(std::vector<Type> elements) {
  Type t;
  t.kind_ = TypeKind::kTuple;
  t.elements_ = std::make_shared<const std::vector<Type>>(std::move(elements));
  return t;
}

bool Type::is_primitive() const {
  return kind_ == TypeKind::kString || kind_ == TypeKind::kNumber || kind_ == TypeKind::kBool;
}
bool Type::is_collection() const {
  return kind_ == TypeKind::kList || kind_ == TypeKind::kSet || kind_ == TypeKind::kMap;
}

const Type& Type::element() const {
  if (!element_) throw std::logic_error("Type::element() on " + FriendlyName());
  return *element_;
}
const std::map<std::string, Type>& Type::attributes() const {
  if (!attributes_) throw std::logic_error("Type::attributes() on " + FriendlyName());
  return *attributes_;
}
const std::vector<Type>& Type::elements() const {
  if (!elements_) throw std::logic_error("Type::elements() on " + FriendlyName());
  return *elements_;
}

std::string Type::ToJson() const {
  switch (kind_) {
    case TypeKind::kString: return "\"string\"";
    case TypeKind::kNumber: return "\"number\"";
    case TypeKind::kBool: return "\"bool\"";
    case TypeKind::kDynamic: return "\"dynamic\"";
    case TypeKind::kList: return "[\"list\"," + element_->ToJson() + "]";
    case TypeKind::kSet: return "[\"set\"," + element_->ToJson() + "]";
    case TypeKind::kMap: return "[\"map\"," + element_->ToJson() + "]";
    case TypeKind::kObject: {
      std::string out = "[\"object\",{";
      bool first = true;
      for (const auto& [name, type] : *attributes_) {
        if (!first) out += ',';
        first = false;
        out += internal::JsonQuote(name) + ":" + type.ToJson();
      }
      return out + "}]";
    }
    case TypeKind::kTuple: {
      std::string out = "[\"tuple\",[";
      for (size_t i = 0; i < elements_->size(); ++i) {
        if (i) out += ',';
        out += (*elements_)[i].ToJson();
      }
      return out + "]]";
    }
  }
  return "\"dynamic\"";
}

namespace {

std::optional<Type> TypeFromNode(const internal::JsonNode& n, std::string* error) {
  using K = internal::JsonNode::Kind;
  auto fail = [&](std::string msg) -> std::optional<Type> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  if (n.kind == K::kString) {
    if (n.text == "string") return Type::String();
    if (n.text == "number") return Type::Number();
    if (n.text == "bool") return Type::Bool();
    if (n.text == "dynamic") return Type::Dynamic();
    return fail("unsupported primitive type \"" + n.text + "\"");
  }
  if (n.kind != K::kArray || n.items.size() < 2 || n.items[0].kind != K::kString) {
    return fail("a type must be a string or an array [kind, ...]");
  }
  const std::string& kind = n.items[0].text;
  if (kind == "list" || kind == "set" || kind == "map") {
    if (n.items.size() != 2) return fail("\"" + kind + "\" takes exactly one element type");
    auto element = TypeFromNode(n.items[1], error);
    if (!element) return std::nullopt;
    if (kind == "list") return Type::List(*element);
    if (kind == "set") return Type::Set(*element);
    return Type::Map(*element);
  }
  if (kind == "object") {
    // A third element lists optional attributes (a type-constraint feature): accepted, ignored.
    if (n.items.size() > 3 || n.items[1].kind != K::kObject) {
      return fail("\"object\" takes a JSON object of attribute types");
    }
    std::map<std::string, Type> attrs;
    for (const auto& [name, node] : n.items[1].members) {
      auto t = TypeFromNode(node, error);
      if (!t) return std::nullopt;
      if (!attrs.emplace(name, *t).second) return fail("duplicate object attribute \"" + name + "\"");
    }
    return Type::Object(std::move(attrs));
  }
  if (kind == "tuple") {
    if (n.items.size() != 2 || n.items[1].kind != K::kArray) {
      return fail("\"tuple\" takes a JSON array of element types");
    }
    std::vector<Type> elems;
    for (const auto& node : n.items[1].items) {
      auto t = TypeFromNode(node, error);
      if (!t) return std::nullopt;
      elems.push_back(*t);
    }
    return Type::Tuple(std::move(elems));
  }
  return fail("unsupported type kind \"" + kind + "\"");
}

}  // namespace

std::optional<Type> Type::FromJson(std::string_view json, std::string* error) {
  internal::JsonNode root;
  if (!internal::ParseJsonTree(json, root, error)) return std::nullopt;
  return TypeFromNode(root, error);
}

namespace internal {
std::optional<Type> TypeFromJsonNode(const JsonNode& node, std::string* error) {
  return TypeFromNode(node, error);
}
}  // namespace internal

std::string Type::FriendlyName() const {
  switch (kind_) {
    case TypeKind::kString: return "string";
    case TypeKind::kNumber: return "number";
    case TypeKind::kBool: return "bool";
    case TypeKind::kDynamic: return "dynamic";
    case TypeKind::kList: return "list of " + element_->FriendlyName();
    case TypeKind::kSet: return "set of " + element_->FriendlyName();
    case TypeKind::kMap: return "map of " + element_->FriendlyName();
    case TypeKind::kObject: return "object";
    case TypeKind::kTuple: return "tuple";
  }
  return "dynamic";
}

bool Type::operator==(const Type& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      return *element_ == *other.element_;
    case TypeKind::kObject:
      return *attributes_ == *other.attributes_;
    case TypeKind::kTuple:
      return *elements_ == *other.elements_;
    default:
      return true;
  }
}

// ---- Number ---------------------------------------------------------------------------------

namespace {

// Largest decimal exponent we expand. cty keeps 512 bits of mantissa with a huge exponent;
// we keep exact decimal text instead, so an absurd exponent would mean absurd memory.
constexpr long kMaxExponent = 100000;

// Canonical text from sign, digits and the position of the decimal point within them.
std::string Canonical(bool negative, std::string digits, long point) {
  // digits: all significant digits; value = 0.digits * 10^point, i.e. `point` digits
  // precede the decimal point (may be <= 0 or > digits.size()).
  std::string int_part, frac_part;
  if (point <= 0) {
    int_part = "0";
    frac_part = std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    int_part = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    int_part = digits.substr(0, static_cast<size_t>(point));
    frac_part = digits.substr(static_cast<size_t>(point));
  }
  size_t nz = int_part.find_first_not_of('0');
  int_part = nz == std::string::npos ? "0" : int_part.substr(nz);
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
  std::string out;
  if (negative && !(int_part == "0" && frac_part.empty())) out = "-";
  out += int_part;
  if (!frac_part.empty()) out += "." + frac_part;
  return out;
}

}  // namespace

Number Number::FromInt(int64_t v) {
  Number n;
  n.text_ = std::to_string(v);
  return n;
}

Number Number::FromDouble(double v) {
  if (!std::isfinite(v)) throw std::invalid_argument("Number::FromDouble: not finite");
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip text
  return *Parse(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
}

std::optional<Number> Number::Parse(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  std::string digits;
  long point = 0;
  size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits += s[i++];
  point = static_cast<long>(digits.size());
  bool had_int = i > int_start;
  bool had_frac = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t frac_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits += s[i++];
    had_frac = i > frac_start;
  }
  if (!had_int && !had_frac) return std::nullopt;
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) exp_negative = s[i++] == '-';
    size_t exp_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (exponent <= kMaxExponent * 10) exponent = exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (i == exp_start) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;
  // Strip leading zeros (moving the point) so the exponent bound applies to significance.
  size_t nz = digits.find_first_not_of('0');
  if (nz == std::string::npos) {
    Number zero;
    return zero;
  }
  digits.erase(0, nz);
  point -= static_cast<long>(nz);
  long total = point + exponent;
  if (total > kMaxExponent || total < -kMaxExponent) return std::nullopt;
  Number n;
  n.text_ = Canonical(negative, std::move(digits), total);
  return n;
}

std::optional<int64_t> Number::ToInt64() const {
  if (text_.find('.') != std::string::npos) return std::nullopt;
  int64_t v = 0;
  auto res = std::from_chars(text_.data(), text_.data() + text_.size(), v);
  if (res.ec != std::errc() || res.ptr != text_.data() + text_.size()) return std::nullopt;
  return v;
}

std::optional<double> Number::ToExactDouble() const {
  // Cheap bound first: a finite double's integer part has at most 309 digits.
  if (text_.size() > 1200) return std::nullopt;
  double d = std::strtod(text_.c_str(), nullptr);
  if (!std::isfinite(d)) return std::nullopt;
  // glibc prints the exact binary value in decimal; a double needs at most 1074 fraction
  // digits. Comparing that expansion with our text tells whether the conversion was exact.
  std::vector<char> buf(1500);
  int len = std::snprintf(buf.data(), buf.size(), "%.1080f", d);
  if (len <= 0 || static_cast<size_t>(len) >= buf.size()) return std::nullopt;
  auto exact = Parse(std::string_view(buf.data(), static_cast<size_t>(len)));
  if (!exact || exact->text_ != text_) return std::nullopt;
  return d;
}

// ---- Value ----------------------------------------------------------------------------------

namespace {

// One string per element that identifies it exactly, when every element is a known
// primitive; nullopt otherwise. Lets large sets dedupe and compare in O(n log n).
std::optional<std::vector<std::string>> PrimitiveKeys(const std::vector<Value>& items) {
  std::vector<std::string> keys;
  keys.reserve(items.size());
  for (const auto& v : items) {
    if (!v.is_known()) return std::nullopt;
    switch (v.type().kind()) {
      case TypeKind::kString: keys.push_back("s" + v.as_string()); break;
      case TypeKind::kNumber: keys.push_back("n" + v.as_number().text()); break;
      case TypeKind::kBool: keys.push_back(v.as_bool() ? "t" : "f"); break;
      default: return std::nullopt;
    }
  }
  return keys;
}

}  // namespace

struct Value::Payload {
  std::string str;
  tf::Number num;
  bool boolean = false;
  std::vector<Value> items;
  std::map<std::string, Value> map;
};

Value::Value() = default;

Value Value::Null(Type type) {
  Value v;
  v.type_ = std::move(type);
  v.state_ = State::kNull;
  return v;
}
Value Value::Unknown(Type type) {
  Value v;
  v.type_ = std::move(type);
  v.state_ = State::kUnknown;
  return v;
}
Value Value::String(std::string s) {
  Value v;
  v.type_ = Type::String();
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->str = std::move(s);
  v.payload_ = std::move(p);
  return v;
}
Value Value::Num(tf::Number n) {
  Value v;
  v.type_ = Type::Number();
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->num = std::move(n);
  v.payload_ = std::move(p);
  return v;
}
Value Value::Int(int64_t n) { return Num(tf::Number::FromInt(n)); }
Value Value::Bool(bool b) {
  Value v;
  v.type_ = Type::Bool();
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->boolean = b;
  v.payload_ = std::move(p);
  return v;
}
Value Value::List(Type element, std::vector<Value> items) {
  Value v;
  v.type_ = Type::List(std::move(element));
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->items = std::move(items);
  v.payload_ = std::move(p);
  return v;
}
Value Value::Set(Type element, std::vector<Value> items) {
  std::vector<Value> unique;
  unique.reserve(items.size());
  if (auto keys = PrimitiveKeys(items)) {
    // Fast path for the common set of strings or numbers: hashing instead of pairwise ==.
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      if (seen.insert((*keys)[i]).second) unique.push_back(std::move(items[i]));
    }
  } else {
    for (auto& item : items) {
      // Unknown elements never compare equal to anything, as in cty.
      bool dup = !item.is_unknown() &&
                 std::any_of(unique.begin(), unique.end(), [&](const Value& u) { return u == item; });
      if (!dup) unique.push_back(std::move(item));
    }
  }
  Value v = List(std::move(element), std::move(unique));
  v.type_ = Type::Set(v.type_.element());
  return v;
}
Value Value::Map(Type element, std::map<std::string, Value> items) {
  Value v;
  v.type_ = Type::Map(std::move(element));
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->map = std::move(items);
  v.payload_ = std::move(p);
  return v;
}
Value Value::Object(std::map<std::string, Value> attributes) {
  std::map<std::string, Type> types;
  for (const auto& [name, value] : attributes) types.emplace(name, value.type());
  Value v;
  v.type_ = Type::Object(std::move(types));
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->map = std::move(attributes);
  v.payload_ = std::move(p);
  return v;
}
Value Value::ObjectOf(const Type& type, std::map<std::string, Value> attributes) {
  std::map<std::string, Value> full;
  for (const auto& [name, attr_type] : type.attributes()) {
    auto it = attributes.find(name);
    full.emplace(name, it == attributes.end() ? Null(attr_type) : std::move(it->second));
  }
  Value v;
  v.type_ = type;
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->map = std::move(full);
  v.payload_ = std::move(p);
  return v;
}
Value Value::Tuple(std::vector<Value> items) {
  std::vector<Type> types;
  for (const auto& item : items) types.push_back(item.type());
  Value v;
  v.type_ = Type::Tuple(std::move(types));
  v.state_ = State::kKnown;
  auto p = std::make_shared<Payload>();
  p->items = std::move(items);
  v.payload_ = std::move(p);
  return v;
}

bool Value::IsWhollyKnown() const {
  if (is_unknown()) return false;
  if (is_null()) return true;
  switch (type_.kind()) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kTuple:
      return std::all_of(payload_->items.begin(), payload_->items.end(),
                         [](const Value& v) { return v.IsWhollyKnown(); });
    case TypeKind::kMap:
    case TypeKind::kObject:
      return std::all_of(payload_->map.begin(), payload_->map.end(),
                         [](const auto& kv) { return kv.second.IsWhollyKnown(); });
    default:
      return true;
  }
}

namespace {
[[noreturn]] void WrongAccess(const char* what, const Value& v) {
  throw std::logic_error(std::string("Value::") + what + "() on " + v.DebugString());
}
}  // namespace

const std::string& Value::as_string() const {
  if (!is_known() || type_.kind() != TypeKind::kString) WrongAccess("as_string", *this);
  return payload_->str;
}
const Number& Value::as_number() const {
  if (!is_known() || type_.kind() != TypeKind::kNumber) WrongAccess("as_number", *this);
  return payload_->num;
}
bool Value::as_bool() const {
  if (!is_known() || type_.kind() != TypeKind::kBool) WrongAccess("as_bool", *this);
  return payload_->boolean;
}
const std::vector<Value>& Value::items() const {
  auto k = type_.kind();
  if (!is_known() || (k != TypeKind::kList && k != TypeKind::kSet && k != TypeKind::kTuple)) {
    WrongAccess("items", *this);
  }
  return payload_->items;
}
const std::map<std::string, Value>& Value::map_items() const {
  if (!is_known() || type_.kind() != TypeKind::kMap) WrongAccess("map_items", *this);
  return payload_->map;
}
const std::map<std::string, Value>& Value::attributes() const {
  if (!is_known() || type_.kind() != TypeKind::kObject) WrongAccess("attributes", *this);
  return payload_->map;
}

const Value& Value::attr(std::string_view name) const {
  static const Value kNull;
  if (!is_known() || type_.kind() != TypeKind::kObject) return kNull;
  auto it = payload_->map.find(std::string(name));
  return it == payload_->map.end() ? kNull : it->second;
}

Value Value::WithAttr(const std::string& name, Value v) const {
  if (type_.kind() != TypeKind::kObject) WrongAccess("WithAttr", *this);
  std::map<std::string, Value> attrs;
  if (is_known()) {
    attrs = payload_->map;
  } else {
    for (const auto& [n, t] : type_.attributes()) attrs.emplace(n, Null(t));
  }
  attrs[name] = std::move(v);
  // Keep the declared type unless the attribute is new or changed its type.
  bool same_type = type_.attributes().count(name) && type_.attributes().at(name) == attrs[name].type();
  if (same_type) return ObjectOf(type_, std::move(attrs));
  return Object(std::move(attrs));
}

bool Value::operator==(const Value& other) const {
  if (state_ != other.state_ || type_ != other.type_) return false;
  if (state_ != State::kKnown) return true;
  const Payload& a = *payload_;
  const Payload& b = *other.payload_;
  switch (type_.kind()) {
    case TypeKind::kString: return a.str == b.str;
    case TypeKind::kNumber: return a.num == b.num;
    case TypeKind::kBool: return a.boolean == b.boolean;
    case TypeKind::kList:
    case TypeKind::kTuple: return a.items == b.items;
    case TypeKind::kSet: {
      if (a.items.size() != b.items.size()) return false;
      auto ka = PrimitiveKeys(a.items);
      auto kb = ka ? PrimitiveKeys(b.items) : std::nullopt;
      if (ka && kb) {
        std::sort(ka->begin(), ka->end());
        std::sort(kb->begin(), kb->end());
        return *ka == *kb;
      }
      std::vector<bool> used(b.items.size(), false);
      for (const auto& x : a.items) {
        bool found = false;
        for (size_t i = 0; i < b.items.size(); ++i) {
          if (!used[i] && b.items[i] == x) {
            used[i] = found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    case TypeKind::kMap:
    case TypeKind::kObject: return a.map == b.map;
    case TypeKind::kDynamic: return true;
  }
  return false;
}

namespace {

std::string GoType(const Type& t) {
  switch (t.kind()) {
    case TypeKind::kString: return "cty.String";
    case TypeKind::kNumber: return "cty.Number";
    case TypeKind::kBool: return "cty.Bool";
    case TypeKind::kDynamic: return "cty.DynamicPseudoType";
    case TypeKind::kList: return "cty.List(" + GoType(t.element()) + ")";
    case TypeKind::kSet: return "cty.Set(" + GoType(t.element()) + ")";
    case TypeKind::kMap: return "cty.Map(" + GoType(t.element()) + ")";
    case TypeKind::kObject: {
      std::string out = "cty.Object(map[string]cty.Type{";
      bool first = true;
      for (const auto& [n, at] : t.attributes()) {
        if (!first) out += ", ";
        first = false;
        out += internal::JsonQuote(n) + ":" + GoType(at);
      }
      return out + "})";
    }
    case TypeKind::kTuple: {
      std::string out = "cty.Tuple([]cty.Type{";
      for (size_t i = 0; i < t.elements().size(); ++i) {
        if (i) out += ", ";
        out += GoType(t.elements()[i]);
      }
      return out + "})";
    }
  }
  return "cty.DynamicPseudoType";
}

}  // namespace

std::string Value::DebugString() const {
  if (is_null()) return "cty.NullVal(" + GoType(type_) + ")";
  if (is_unknown()) return "cty.UnknownVal(" + GoType(type_) + ")";
  const Payload& p = *payload_;
  auto list = [&](const char* ctor, const char* empty_ctor) {
    if (p.items.empty()) return std::string(empty_ctor) + "(" + GoType(type_.element()) + ")";
    std::string out = std::string(ctor) + "([]cty.Value{";
    for (size_t i = 0; i < p.items.size(); ++i) {
      if (i) out += ", ";
      out += p.items[i].DebugString();
    }
    return out + "})";
  };
  auto mapping = [&](const char* ctor) {
    std::string out = std::string(ctor) + "(map[string]cty.Value{";
    bool first = true;
    for (const auto& [k, v] : p.map) {
      if (!first) out += ", ";
      first = false;
      out += internal::JsonQuote(k) + ":" + v.DebugString();
    }
    return out + "})";
  };
  switch (type_.kind()) {
    case TypeKind::kString: return "cty.StringVal(" + internal::JsonQuote(p.str) + ")";
    case TypeKind::kNumber:
      if (p.num.ToInt64()) return "cty.NumberIntVal(" + p.num.text() + ")";
      return "cty.MustParseNumberVal(\"" + p.num.text() + "\")";
    case TypeKind::kBool: return p.boolean ? "cty.True" : "cty.False";
    case TypeKind::kList: return list("cty.ListVal", "cty.ListValEmpty");
    case TypeKind::kSet: return list("cty.SetVal", "cty.SetValEmpty");
    case TypeKind::kMap:
      if (p.map.empty()) return "cty.MapValEmpty(" + GoType(type_.element()) + ")";
      return mapping("cty.MapVal");
    case TypeKind::kObject:
      if (p.map.empty()) return "cty.EmptyObjectVal";
      return mapping("cty.ObjectVal");
    case TypeKind::kTuple: {
      if (p.items.empty()) return "cty.EmptyTupleVal";
      std::string out = "cty.TupleVal([]cty.Value{";
      for (size_t i = 0; i < p.items.size(); ++i) {
        if (i) out += ", ";
        out += p.items[i].DebugString();
      }
      return out + "})";
    }
    case TypeKind::kDynamic: break;
  }
  return "cty.DynamicVal";
}

std::optional<std::string> GetString(const Value& object, std::string_view attr) {
  const Value& v = object.attr(attr);
  if (!v.is_known() || v.type().kind() != TypeKind::kString) return std::nullopt;
  return v.as_string();
}
std::optional<bool> GetBool(const Value& object, std::string_view attr) {
  const Value& v = object.attr(attr);
  if (!v.is_known() || v.type().kind() != TypeKind::kBool) return std::nullopt;
  return v.as_bool();
}
std::optional<int64_t> GetInt(const Value& object, std::string_view attr) {
  const Value& v = object.attr(attr);
  if (!v.is_known() || v.type().kind() != TypeKind::kNumber) return std::nullopt;
  return v.as_number().ToInt64();
}
Value StringOrNull(const std::optional<std::string>& s) {
  return s ? Value::String(*s) : Value::Null(Type::String());
}

}  // namespace tf
