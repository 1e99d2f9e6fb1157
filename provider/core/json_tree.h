// A small JSON document tree that keeps numbers as their source text.
//
// Hand-written on purpose: nlohmann::json turns every number into int64/uint64/double, which
// loses precision for Terraform's arbitrary-precision numbers (12345678901234567890.5), and
// even its SAX interface aborts the whole parse on a number beyond double range (1e400).
// Terraform state may hold both, so we keep each number's source text.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "provider/core/value.h"

namespace tf::internal {

struct JsonMember;

struct JsonNode {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;  // string contents, or a number's source text
  std::vector<JsonNode> items;      // array
  std::vector<JsonMember> members;  // object, in document order
};

// One member of an object: a key and its value. Not std::pair<std::string, JsonNode>: a pair
// needs JsonNode complete where `members` is declared, which clang rejects (the fuzz build).
struct JsonMember {
  JsonMember(std::string key, JsonNode value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  JsonNode second;
};

// Parses `json` into `out`. Nesting deeper than `max_depth` is rejected, so hostile input
// cannot exhaust the stack of the recursive walks that consume the tree.
bool ParseJsonTree(std::string_view json, JsonNode& out, std::string* error,
                   int max_depth = 128);

// A JSON string literal (quotes included) with invalid UTF-8 replaced, never throwing.
std::string JsonQuote(std::string_view s);

// cty's JSON type encoding read from an already parsed node (as met inside a dynamic value).
std::optional<Type> TypeFromJsonNode(const JsonNode& node, std::string* error);

}  // namespace tf::internal
