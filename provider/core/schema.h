// Declarative schemas: what a resource, data source or the provider accepts, plus the plan
// behaviour the engine applies for each attribute (defaults, replacement, semantic equality).
// Only what protocol 5 can express is modelled, so both adapters convert without loss.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "provider/core/diagnostics.h"
#include "provider/core/value.h"

namespace tf {

enum class StringKind { kPlain = 0, kMarkdown = 1 };

// Checks one known, non-null configuration value; reports problems at `path`.
using Validator = std::function<void(const Value& value, const Path& path, Diagnostics& diags)>;
// True when a configured value and the prior state mean the same thing (e.g. letter case
// only); the plan then keeps the prior value and shows no diff.
using SemanticEquality = std::function<bool(const Value& config, const Value& prior)>;

struct Attribute {
  std::string name;
  Type type;
  std::string description;
  StringKind description_kind = StringKind::kMarkdown;
  bool required = false;
  bool optional = false;
  bool computed = false;
  bool sensitive = false;
  bool deprecated = false;
  std::string deprecation_message;  // only sent when deprecated
  // Write-only (Terraform 1.11+): the configured value reaches Create and Update through the
  // config, but never plan or state; the engine returns it as null everywhere, as Terraform
  // requires. Cannot be computed or have a default.
  bool write_only = false;

  // Plan behaviour, applied by the engine (none of it travels on the wire):
  std::optional<Value> default_value;  // used when config is null; needs optional+computed
  bool requires_replace = false;       // a planned change forces replacement
  bool use_state_for_unknown = false;  // computed: keep the prior value on update
  SemanticEquality semantic_equal;     // optional
  std::vector<Validator> validators;   // run at validate time on known values
};

struct Block;

enum class Nesting { kSingle = 1, kList = 2, kSet = 3, kMap = 4, kGroup = 5 };

struct NestedBlock {
  std::string type_name;
  std::shared_ptr<Block> block;  // never null
  Nesting nesting = Nesting::kList;
  int64_t min_items = 0;
  int64_t max_items = 0;
  bool requires_replace = false;
};

struct Block {
  std::vector<Attribute> attributes;
  std::vector<NestedBlock> block_types;
  std::string description;
  StringKind description_kind = StringKind::kMarkdown;
  bool deprecated = false;

  Type ImpliedType() const;  // object type with one attribute per attribute and block type
  const Attribute* FindAttribute(std::string_view name) const;
  const NestedBlock* FindBlock(std::string_view name) const;
};

struct Schema {
  int64_t version = 0;
  Block block;
  Type ImpliedType() const { return block.ImpliedType(); }
};

// Checks a schema against the rules Terraform core applies when it loads one (flag
// combinations, block names, nesting limits, defaults only on optional+computed).
// Used by unit tests so a schema bug never reaches a user's terraform.
void ValidateSchema(const Schema& schema, std::string_view what, Diagnostics& diags);

// Ready-made behaviours shared by resources.
SemanticEquality CaseInsensitiveEquality();  // strings Jira takes for one name (text::EqualsIgnoreCase)
Validator OneOf(std::vector<std::string> allowed, bool case_sensitive = true);
Validator NonEmptyString();

}  // namespace tf
