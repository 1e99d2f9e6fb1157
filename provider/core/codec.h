// DynamicValue codecs: msgpack (what Terraform sends and what we answer) and JSON (the
// raw_state of UpgradeResourceState). Both are type-directed: bytes are only meaningful
// against the schema-implied type. Malformed input yields an error diagnostic, never a crash.
#pragma once

#include <string>
#include <string_view>

#include "provider/core/diagnostics.h"
#include "provider/core/value.h"

namespace tf {

// Decodes msgpack against `type`. Any msgpack extension is an unknown value; `dynamic`
// positions carry the [type-json, value] wrapper. On error returns Null(type) and adds a
// diagnostic whose summary names what was wrong.
Value DecodeMsgpack(std::string_view bytes, const Type& type, Diagnostics& diags);
// Encodes `value` for a position of schema type `type` (which decides dynamic wrapping).
// Object keys are sorted, unknown is d4 00 00, numbers as int / float64 / decimal string
// (a float64 only when it reads back as the same number, so decode(encode(v)) == v).
std::string EncodeMsgpack(const Value& value, const Type& type);

// JSON decoding as cty does it for state: missing object attributes are null.
// With ignore_unknown_attributes, extra keys are dropped (older state); otherwise an error.
Value DecodeJson(std::string_view json, const Type& type, Diagnostics& diags,
                 bool ignore_unknown_attributes = false);
// JSON cannot carry unknowns: they are an error diagnostic.
std::string EncodeJson(const Value& value, const Type& type, Diagnostics& diags);

// Re-expresses `value` with exactly `type`: typeless nulls/unknowns take the type, objects
// gain their missing attributes as null, collections take the schema's element type. A value
// that cannot conform (wrong kind, unexpected attribute) is an error diagnostic at its path,
// and that part becomes null. The engine runs this on everything a resource returns.
Value ConformValue(const Value& value, const Type& type, Diagnostics& diags,
                   const Path& path = Path());

}  // namespace tf
