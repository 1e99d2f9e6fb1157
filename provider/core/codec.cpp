#include "provider/core/codec.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <msgpack.hpp>

#include "provider/core/json_tree.h"
#include "provider/text/unicode.h"

namespace tf {
namespace {

// Deepest nesting accepted from the wire. Real configurations stay far below; the bound keeps
// the recursive, type-directed walks below safe from hostile input.
constexpr std::size_t kMaxDepth = 128;

// Thrown inside the decoders to unwind to the entry point with one precise complaint.
struct DecodeError {
  Path path;
  std::string message;
};

std::string Where(const Path& path) {
  return path.empty() ? "the root value" : "attribute " + path.ToString();
}

void Report(Diagnostics& diags, const char* format, const DecodeError& e) {
  std::string detail = "The provider could not decode " + Where(e.path) + ": " + e.message +
                       ". This is a bug in Terraform or in the provider.";
  std::string summary = std::string("Malformed ") + format + " value: " + e.message;
  if (e.path.empty()) {
    diags.AddError(std::move(summary), std::move(detail));
  } else {
    diags.AddAttributeError(e.path, std::move(summary), std::move(detail));
  }
}

// ---- msgpack decoding -----------------------------------------------------------------------

const char* MsgpackKindName(const msgpack::object& o) {
  switch (o.type) {
    case msgpack::type::NIL: return "nil";
    case msgpack::type::BOOLEAN: return "a bool";
    case msgpack::type::POSITIVE_INTEGER:
    case msgpack::type::NEGATIVE_INTEGER: return "an integer";
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64: return "a float";
    case msgpack::type::STR: return "a string";
    case msgpack::type::BIN: return "binary data";
    case msgpack::type::ARRAY: return "an array";
    case msgpack::type::MAP: return "a map";
    case msgpack::type::EXT: return "an extension";
  }
  return "an unrecognised item";
}

[[noreturn]] void Mismatch(const Path& path, const Type& want, const msgpack::object& got) {
  throw DecodeError{path, "expected " + want.FriendlyName() + ", got " + MsgpackKindName(got)};
}

std::string_view Bytes(const msgpack::object& o) {
  if (o.type == msgpack::type::STR) return {o.via.str.ptr, o.via.str.size};
  return {o.via.bin.ptr, o.via.bin.size};
}

Value DecodeMp(const msgpack::object& o, const Type& type, const Path& path);

Value DecodeDynamicMp(const msgpack::object& o, const Path& path) {
  if (o.type == msgpack::type::NIL) return Value::Null(Type::Dynamic());
  if (o.type == msgpack::type::EXT) return Value::Unknown(Type::Dynamic());
  if (o.type != msgpack::type::ARRAY || o.via.array.size != 2 ||
      (o.via.array.ptr[0].type != msgpack::type::STR &&
       o.via.array.ptr[0].type != msgpack::type::BIN)) {
    throw DecodeError{path, "expected a dynamic value wrapper [type, value], got " +
                                std::string(MsgpackKindName(o))};
  }
  std::string error;
  auto type = Type::FromJson(Bytes(o.via.array.ptr[0]), &error);
  if (!type) throw DecodeError{path, "invalid type in dynamic value: " + error};
  return DecodeMp(o.via.array.ptr[1], *type, path);
}

Value DecodeMp(const msgpack::object& o, const Type& type, const Path& path) {
  if (type.kind() == TypeKind::kDynamic) return DecodeDynamicMp(o, path);
  if (o.type == msgpack::type::NIL) return Value::Null(type);
  // Any extension is an unknown value, including refined unknowns (type 12): the
  // refinements are only promises about the final value, so ignoring them is safe.
  if (o.type == msgpack::type::EXT) return Value::Unknown(type);
  switch (type.kind()) {
    case TypeKind::kString:
      if (o.type != msgpack::type::STR && o.type != msgpack::type::BIN) Mismatch(path, type, o);
      // cty's strings are UTF-8 (cty.StringVal); JSON could not carry anything else, and
      // its encoder would replace the bytes, changing the value on the way back.
      if (!text::IsValidUtf8(Bytes(o))) throw DecodeError{path, "string is not valid UTF-8"};
      return Value::String(std::string(Bytes(o)));
    case TypeKind::kNumber:
      switch (o.type) {
        case msgpack::type::POSITIVE_INTEGER:
          return Value::Num(*Number::Parse(std::to_string(o.via.u64)));
        case msgpack::type::NEGATIVE_INTEGER:
          return Value::Int(o.via.i64);
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64:
          // cty reads a float64 as NumberFloatVal (cty/msgpack/unmarshal.go): a 53-bit
          // big.Float that compares and prints as its shortest round-trip decimal.
          if (!std::isfinite(o.via.f64)) throw DecodeError{path, "infinite or NaN numbers are not supported"};
          return Value::Num(Number::FromDouble(o.via.f64));
        case msgpack::type::STR: {
          auto n = Number::Parse(Bytes(o));
          if (!n) throw DecodeError{path, "\"" + std::string(Bytes(o).substr(0, 64)) + "\" is not a number"};
          return Value::Num(*n);
        }
        default: Mismatch(path, type, o);
      }
    case TypeKind::kBool:
      if (o.type != msgpack::type::BOOLEAN) Mismatch(path, type, o);
      return Value::Bool(o.via.boolean);
    case TypeKind::kList:
    case TypeKind::kSet: {
      if (o.type != msgpack::type::ARRAY) Mismatch(path, type, o);
      std::vector<Value> items;
      items.reserve(o.via.array.size);
      for (uint32_t i = 0; i < o.via.array.size; ++i) {
        // Set elements have no stable index; like Terraform we stop the path at the set.
        Path p = type.kind() == TypeKind::kList ? path.AtIndex(i) : path;
        items.push_back(DecodeMp(o.via.array.ptr[i], type.element(), p));
      }
      if (type.kind() == TypeKind::kList) return Value::List(type.element(), std::move(items));
      return Value::Set(type.element(), std::move(items));
    }
    case TypeKind::kTuple: {
      if (o.type != msgpack::type::ARRAY) Mismatch(path, type, o);
      const auto& types = type.elements();
      if (o.via.array.size != types.size()) {
        throw DecodeError{path, "expected a tuple of " + std::to_string(types.size()) +
                                    " elements, got " + std::to_string(o.via.array.size)};
      }
      std::vector<Value> items;
      for (uint32_t i = 0; i < o.via.array.size; ++i) {
        items.push_back(DecodeMp(o.via.array.ptr[i], types[i], path.AtIndex(i)));
      }
      return Value::Tuple(std::move(items));
    }
    case TypeKind::kMap:
    case TypeKind::kObject: {
      if (o.type != msgpack::type::MAP) Mismatch(path, type, o);
      std::map<std::string, Value> entries;
      for (uint32_t i = 0; i < o.via.map.size; ++i) {
        const auto& kv = o.via.map.ptr[i];
        if (kv.key.type != msgpack::type::STR && kv.key.type != msgpack::type::BIN) {
          throw DecodeError{path, std::string("map key is ") + MsgpackKindName(kv.key) + ", not a string"};
        }
        if (!text::IsValidUtf8(Bytes(kv.key))) throw DecodeError{path, "map key is not valid UTF-8"};
        std::string key(Bytes(kv.key));
        if (entries.count(key)) throw DecodeError{path, "duplicate key \"" + key + "\""};
        if (type.kind() == TypeKind::kMap) {
          entries.emplace(key, DecodeMp(kv.val, type.element(), path.AtKey(key)));
        } else {
          auto it = type.attributes().find(key);
          if (it == type.attributes().end()) {
            throw DecodeError{path, "unsupported attribute \"" + key + "\""};
          }
          entries.emplace(key, DecodeMp(kv.val, it->second, path.AtName(key)));
        }
      }
      if (type.kind() == TypeKind::kMap) return Value::Map(type.element(), std::move(entries));
      return Value::ObjectOf(type, std::move(entries));  // missing attributes are null
    }
    case TypeKind::kDynamic: break;
  }
  throw DecodeError{path, "unsupported type"};
}

// ---- msgpack encoding -----------------------------------------------------------------------

// msgpack-c's packer, plus a float64 that is always written as one. Its pack_double
// writes an integral double as an integer, and its range check for that is undefined
// behaviour at 2^64 (double(UINT64_MAX) rounds up to 2^64, which uint64_t cannot hold).
class Packer : public msgpack::packer<msgpack::sbuffer> {
 public:
  explicit Packer(msgpack::sbuffer& buffer) : packer(buffer), buffer_(buffer) {}
  void PackFloat64(double d) {
    uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    char out[9];
    out[0] = static_cast<char>(0xcb);
    for (int i = 0; i < 8; ++i) out[1 + i] = static_cast<char>((bits >> (56 - 8 * i)) & 0xff);
    buffer_.write(out, sizeof out);
  }

 private:
  msgpack::sbuffer& buffer_;
};

void PackUnknown(Packer& pk) {
  static const char kZero = 0;
  pk.pack_ext(1, 0);  // fixext1, type 0: d4 00 00, exactly what Terraform writes
  pk.pack_ext_body(&kZero, 1);
}

void PackString(Packer& pk, const std::string& s) {
  pk.pack_str(static_cast<uint32_t>(s.size()));
  pk.pack_str_body(s.data(), static_cast<uint32_t>(s.size()));
}

void EncodeMp(Packer& pk, const Value& v, const Type& type) {
  if (type.kind() == TypeKind::kDynamic) {
    if (v.type().kind() == TypeKind::kDynamic) {
      // A null or unknown with no concrete type travels bare, without the wrapper.
      if (v.is_unknown()) return PackUnknown(pk);
      return pk.pack_nil(), void();
    }
    std::string type_json = v.type().ToJson();
    pk.pack_array(2);
    pk.pack_bin(static_cast<uint32_t>(type_json.size()));  // cty writes the type as bin
    pk.pack_bin_body(type_json.data(), static_cast<uint32_t>(type_json.size()));
    return EncodeMp(pk, v, v.type());
  }
  if (v.is_null()) return pk.pack_nil(), void();
  if (v.is_unknown()) return PackUnknown(pk);
  // A value of the wrong kind is a provider bug; the engine checks conformance before
  // encoding, so here we only make sure never to emit something undecodable.
  auto kind = type.kind();
  if (v.type().kind() != kind) return pk.pack_nil(), void();
  switch (kind) {
    case TypeKind::kString: return PackString(pk, v.as_string());
    case TypeKind::kNumber: {
      // As cty's msgpack.Marshal (cty/msgpack/marshal.go): an int64 when exact, else a
      // float64 when exact, else the decimal text. One more condition keeps our value intact
      // on the way back: cty reads a float64 as NumberFloatVal, a 53-bit big.Float whose
      // value, for equality and JSON, is its shortest round-trip decimal (cty/value_init.go,
      // rawNumberEqual in cty/primitive_type.go), and DecodeMp reads it the same way. So a
      // number goes as a float64 only when that shortest decimal is the number itself:
      // 1666666666666666793632700301312 is exactly a double, but that double reads back as
      // 1666666666666666800000000000000, so it goes as text, which cty parses at 512 bits.
      const Number& n = v.as_number();
      if (auto i = n.ToInt64()) return pk.pack_int64(*i), void();  // non-negatives get uint codes
      if (auto d = n.ToExactDouble(); d && Number::FromDouble(*d) == n) {
        // An integer in [2^63, 2^64) as uint64, as msgpack-c's pack_double writes it and
        // cty reads it exactly (NumberUIntVal); anything else as a float64.
        if (*d >= 0 && *d < 18446744073709551616.0 && *d == std::floor(*d)) {
          return pk.pack_uint64(static_cast<uint64_t>(*d)), void();
        }
        return pk.PackFloat64(*d);
      }
      return PackString(pk, n.text());
    }
    case TypeKind::kBool: return v.as_bool() ? pk.pack_true(), void() : (pk.pack_false(), void());
    case TypeKind::kList:
    case TypeKind::kSet:
      pk.pack_array(static_cast<uint32_t>(v.items().size()));
      for (const auto& item : v.items()) EncodeMp(pk, item, type.element());
      return;
    case TypeKind::kTuple: {
      const auto& types = type.elements();
      pk.pack_array(static_cast<uint32_t>(types.size()));
      for (size_t i = 0; i < types.size(); ++i) {
        EncodeMp(pk, i < v.items().size() ? v.items()[i] : Value::Null(types[i]), types[i]);
      }
      return;
    }
    case TypeKind::kMap:
      pk.pack_map(static_cast<uint32_t>(v.map_items().size()));
      for (const auto& [k, item] : v.map_items()) {  // std::map: sorted keys
        PackString(pk, k);
        EncodeMp(pk, item, type.element());
      }
      return;
    case TypeKind::kObject:
      pk.pack_map(static_cast<uint32_t>(type.attributes().size()));
      for (const auto& [name, attr_type] : type.attributes()) {  // sorted, every attribute
        PackString(pk, name);
        EncodeMp(pk, v.attr(name), attr_type);
      }
      return;
    case TypeKind::kDynamic: break;
  }
  pk.pack_nil();
}

// ---- JSON decoding --------------------------------------------------------------------------

using internal::JsonNode;

const char* JsonKindName(const JsonNode& n) {
  switch (n.kind) {
    case JsonNode::Kind::kNull: return "null";
    case JsonNode::Kind::kBool: return "a bool";
    case JsonNode::Kind::kNumber: return "a number";
    case JsonNode::Kind::kString: return "a string";
    case JsonNode::Kind::kArray: return "an array";
    case JsonNode::Kind::kObject: return "an object";
  }
  return "an unrecognised item";
}

[[noreturn]] void Mismatch(const Path& path, const Type& want, const JsonNode& got) {
  throw DecodeError{path, "expected " + want.FriendlyName() + ", got " + JsonKindName(got)};
}

Value DecodeJs(const JsonNode& n, const Type& type, const Path& path, bool ignore_unknown) {
  using K = JsonNode::Kind;
  if (type.kind() == TypeKind::kDynamic) {
    if (n.kind == K::kNull) return Value::Null(Type::Dynamic());
    const JsonNode* value = nullptr;
    const JsonNode* type_node = nullptr;
    if (n.kind == K::kObject) {
      for (const auto& [k, child] : n.members) {
        if (k == "value") value = &child;
        if (k == "type") type_node = &child;
      }
    }
    if (!value || !type_node) {
      throw DecodeError{path, "expected a dynamic value {\"value\": ..., \"type\": ...}"};
    }
    std::string error;
    auto t = internal::TypeFromJsonNode(*type_node, &error);
    if (!t) throw DecodeError{path, "invalid type in dynamic value: " + error};
    return DecodeJs(*value, *t, path, ignore_unknown);
  }
  if (n.kind == K::kNull) return Value::Null(type);
  switch (type.kind()) {
    case TypeKind::kString:
      // As for msgpack: strings are UTF-8 (our JSON reader passes other bytes through).
      if (n.kind == K::kString && !text::IsValidUtf8(n.text)) {
        throw DecodeError{path, "string is not valid UTF-8"};
      }
      // cty's JSON decoder also accepts numbers and bools for strings.
      if (n.kind == K::kString || n.kind == K::kNumber) return Value::String(n.text);
      if (n.kind == K::kBool) return Value::String(n.boolean ? "true" : "false");
      Mismatch(path, type, n);
    case TypeKind::kNumber: {
      if (n.kind != K::kNumber && n.kind != K::kString) Mismatch(path, type, n);
      auto num = Number::Parse(n.text);
      if (!num) throw DecodeError{path, "\"" + n.text.substr(0, 64) + "\" is not a number"};
      return Value::Num(*num);
    }
    case TypeKind::kBool:
      if (n.kind == K::kBool) return Value::Bool(n.boolean);
      if (n.kind == K::kString && (n.text == "true" || n.text == "false")) {
        return Value::Bool(n.text == "true");
      }
      Mismatch(path, type, n);
    case TypeKind::kList:
    case TypeKind::kSet: {
      if (n.kind != K::kArray) Mismatch(path, type, n);
      std::vector<Value> items;
      for (size_t i = 0; i < n.items.size(); ++i) {
        Path p = type.kind() == TypeKind::kList ? path.AtIndex(static_cast<int64_t>(i)) : path;
        items.push_back(DecodeJs(n.items[i], type.element(), p, ignore_unknown));
      }
      if (type.kind() == TypeKind::kList) return Value::List(type.element(), std::move(items));
      return Value::Set(type.element(), std::move(items));
    }
    case TypeKind::kTuple: {
      if (n.kind != K::kArray) Mismatch(path, type, n);
      if (n.items.size() != type.elements().size()) {
        throw DecodeError{path, "expected a tuple of " + std::to_string(type.elements().size()) +
                                    " elements, got " + std::to_string(n.items.size())};
      }
      std::vector<Value> items;
      for (size_t i = 0; i < n.items.size(); ++i) {
        items.push_back(DecodeJs(n.items[i], type.elements()[i], path.AtIndex(static_cast<int64_t>(i)),
                                 ignore_unknown));
      }
      return Value::Tuple(std::move(items));
    }
    case TypeKind::kMap:
    case TypeKind::kObject: {
      if (n.kind != K::kObject) Mismatch(path, type, n);
      std::map<std::string, Value> entries;
      for (const auto& [key, child] : n.members) {
        if (!text::IsValidUtf8(key)) throw DecodeError{path, "object key is not valid UTF-8"};
        if (entries.count(key)) throw DecodeError{path, "duplicate key \"" + key + "\""};
        if (type.kind() == TypeKind::kMap) {
          entries.emplace(key, DecodeJs(child, type.element(), path.AtKey(key), ignore_unknown));
          continue;
        }
        auto it = type.attributes().find(key);
        if (it == type.attributes().end()) {
          if (ignore_unknown) continue;
          throw DecodeError{path, "unsupported attribute \"" + key + "\""};
        }
        entries.emplace(key, DecodeJs(child, it->second, path.AtName(key), ignore_unknown));
      }
      if (type.kind() == TypeKind::kMap) return Value::Map(type.element(), std::move(entries));
      return Value::ObjectOf(type, std::move(entries));
    }
    case TypeKind::kDynamic: break;
  }
  throw DecodeError{path, "unsupported type"};
}

// ---- JSON encoding --------------------------------------------------------------------------

void EncodeJs(std::string& out, const Value& v, const Type& type, const Path& path,
              Diagnostics& diags) {
  if (v.is_unknown()) {
    diags.AddAttributeError(path, "Value cannot be encoded as JSON",
                            "JSON cannot represent unknown values; " + Where(path) + " is unknown.");
    out += "null";
    return;
  }
  if (type.kind() == TypeKind::kDynamic) {
    if (v.type().kind() == TypeKind::kDynamic) {
      out += "null";
      return;
    }
    out += "{\"value\":";
    EncodeJs(out, v, v.type(), path, diags);
    out += ",\"type\":" + v.type().ToJson() + "}";
    return;
  }
  if (v.is_null() || v.type().kind() != type.kind()) {
    out += "null";
    return;
  }
  switch (type.kind()) {
    case TypeKind::kString: out += internal::JsonQuote(v.as_string()); return;
    case TypeKind::kNumber: out += v.as_number().text(); return;
    case TypeKind::kBool: out += v.as_bool() ? "true" : "false"; return;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kTuple: {
      out += '[';
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (i) out += ',';
        const Type& et = type.kind() == TypeKind::kTuple
                             ? (i < type.elements().size() ? type.elements()[i] : v.items()[i].type())
                             : type.element();
        EncodeJs(out, v.items()[i], et, path.AtIndex(static_cast<int64_t>(i)), diags);
      }
      out += ']';
      return;
    }
    case TypeKind::kMap: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.map_items()) {
        if (!first) out += ',';
        first = false;
        out += internal::JsonQuote(k) + ":";
        EncodeJs(out, item, type.element(), path.AtKey(k), diags);
      }
      out += '}';
      return;
    }
    case TypeKind::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [name, at] : type.attributes()) {
        if (!first) out += ',';
        first = false;
        out += internal::JsonQuote(name) + ":";
        EncodeJs(out, v.attr(name), at, path.AtName(name), diags);
      }
      out += '}';
      return;
    }
    case TypeKind::kDynamic: break;
  }
  out += "null";
}

}  // namespace

Value DecodeMsgpack(std::string_view bytes, const Type& type, Diagnostics& diags) {
  // Every container element needs at least one byte, so no honest length exceeds the
  // input size; the limit stops a 5-byte header from reserving gigabytes.
  const std::size_t n = bytes.size();
  msgpack::unpack_limit limit(n, n, n, n, n, kMaxDepth);
  try {
    std::size_t offset = 0;
    msgpack::object_handle oh =
        msgpack::unpack(bytes.data(), bytes.size(), offset, nullptr, nullptr, limit);
    if (offset != bytes.size()) {
      Report(diags, "msgpack", {Path(), std::to_string(bytes.size() - offset) + " trailing bytes"});
      return Value::Null(type);
    }
    return DecodeMp(oh.get(), type, Path());
  } catch (const DecodeError& e) {
    Report(diags, "msgpack", e);
  } catch (const msgpack::insufficient_bytes&) {
    Report(diags, "msgpack", {Path(), "truncated input"});
  } catch (const msgpack::depth_size_overflow&) {
    Report(diags, "msgpack", {Path(), "nesting deeper than " + std::to_string(kMaxDepth) + " levels"});
  } catch (const std::exception& e) {
    Report(diags, "msgpack", {Path(), e.what()});
  }
  return Value::Null(type);
}

std::string EncodeMsgpack(const Value& value, const Type& type) {
  msgpack::sbuffer buffer;
  Packer pk(buffer);
  EncodeMp(pk, value, type);
  return std::string(buffer.data(), buffer.size());
}

Value DecodeJson(std::string_view json, const Type& type, Diagnostics& diags,
                 bool ignore_unknown_attributes) {
  JsonNode root;
  std::string error;
  if (!internal::ParseJsonTree(json, root, &error, kMaxDepth)) {
    Report(diags, "JSON", {Path(), error});
    return Value::Null(type);
  }
  try {
    return DecodeJs(root, type, Path(), ignore_unknown_attributes);
  } catch (const DecodeError& e) {
    Report(diags, "JSON", e);
  }
  return Value::Null(type);
}

std::string EncodeJson(const Value& value, const Type& type, Diagnostics& diags) {
  std::string out;
  EncodeJs(out, value, type, Path(), diags);
  return out;
}

Value ConformValue(const Value& value, const Type& type, Diagnostics& diags, const Path& path) {
  if (type.kind() == TypeKind::kDynamic) return value;
  auto mismatch = [&]() {
    diags.AddAttributeError(path, "Provider produced a value of the wrong type",
                            "At " + Where(path) + " the schema expects " + type.FriendlyName() +
                                " but the provider produced " + value.type().FriendlyName() +
                                ". This is a bug in the provider.");
    return Value::Null(type);
  };
  const TypeKind vk = value.type().kind();
  if (!value.is_known()) {
    if (vk != TypeKind::kDynamic && vk != type.kind()) return mismatch();
    return value.is_null() ? Value::Null(type) : Value::Unknown(type);
  }
  if (vk != type.kind()) return mismatch();
  switch (type.kind()) {
    case TypeKind::kList:
    case TypeKind::kSet: {
      std::vector<Value> items;
      const auto& in = value.items();
      for (size_t i = 0; i < in.size(); ++i) {
        Path p = type.kind() == TypeKind::kList ? path.AtIndex(static_cast<int64_t>(i)) : path;
        items.push_back(ConformValue(in[i], type.element(), diags, p));
      }
      if (type.kind() == TypeKind::kList) return Value::List(type.element(), std::move(items));
      return Value::Set(type.element(), std::move(items));
    }
    case TypeKind::kMap: {
      std::map<std::string, Value> items;
      for (const auto& [k, v] : value.map_items()) {
        items.emplace(k, ConformValue(v, type.element(), diags, path.AtKey(k)));
      }
      return Value::Map(type.element(), std::move(items));
    }
    case TypeKind::kObject: {
      std::map<std::string, Value> attrs;
      for (const auto& [name, v] : value.attributes()) {
        auto it = type.attributes().find(name);
        if (it == type.attributes().end()) {
          diags.AddAttributeError(path.AtName(name), "Provider produced an unexpected attribute",
                                  "The schema has no attribute \"" + name + "\" at " +
                                      Where(path) + ". This is a bug in the provider.");
          continue;
        }
        attrs.emplace(name, ConformValue(v, it->second, diags, path.AtName(name)));
      }
      return Value::ObjectOf(type, std::move(attrs));
    }
    case TypeKind::kTuple: {
      const auto& types = type.elements();
      if (value.items().size() != types.size()) return mismatch();
      std::vector<Value> items;
      for (size_t i = 0; i < types.size(); ++i) {
        items.push_back(ConformValue(value.items()[i], types[i], diags, path.AtIndex(static_cast<int64_t>(i))));
      }
      return Value::Tuple(std::move(items));
    }
    default:
      return value;
  }
}

}  // namespace tf
