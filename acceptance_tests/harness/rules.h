// Terraform core's contract checks, written after internal/plans/objchange: the proposed new
// state core sends to PlanResourceChange, and the assertions core makes on plans and applied
// results. Each error text is what Terraform puts after the resource address, e.g.
// ".name: planned value cty.StringVal("x") does not match config value cty.StringVal("y")".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "provider/core/path.h"
#include "provider/core/schema.h"
#include "provider/core/value.h"

namespace tfj::harness {

// objchange.ProposedNew: config, except computed attributes that are null in config keep the
// prior value; nested blocks are merged element-wise (lists by index, maps by key, sets by
// matching their non-computed attributes). A null prior (create) counts as all-null.
tf::Value ProposedNew(const tf::Block& schema, const tf::Value& prior, const tf::Value& config);

// objchange.AssertPlanValid. Empty when the plan is valid.
std::vector<std::string> AssertPlanValid(const tf::Block& schema, const tf::Value& prior,
                                         const tf::Value& config, const tf::Value& planned);

// objchange.AssertObjectCompatible: every value known in `planned` must be unchanged in
// `actual` (sets compared as sets). Empty when compatible.
std::vector<std::string> AssertObjectCompatible(const tf::Block& schema, const tf::Value& planned,
                                                const tf::Value& actual);

// The cty-style path of the first unknown value inside `value` (".a.b[0]"), if any.
std::optional<std::string> FindUnknown(const tf::Value& value);

// Terraform 1.11's check on every object a provider returns (plan, apply, read, import,
// upgrade, move): the cty-style path of the first write-only attribute that is not null.
std::optional<std::string> FindWriteOnlyValue(const tf::Block& schema, const tf::Value& value);

// cty's Path.Apply: the value at `path`, or nullopt when the path does not exist (an
// attribute the type lacks, an index out of range, or a step through a null value).
std::optional<tf::Value> ApplyPath(const tf::Value& value, const tf::Path& path);

// Renders a path the way Terraform prints it after an address: .name, .grant[0], .tags["k"].
std::string CtyPath(const tf::Path& path);

// Differences between two values of the same type as "path: old => new" lines, for plan
// diffs in failure messages. Empty when equal.
std::vector<std::string> DiffValues(const tf::Value& before, const tf::Value& after);

}  // namespace tfj::harness
