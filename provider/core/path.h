// Attribute paths: immutable values built step by step, relative to a resource, data
// source or provider configuration object.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tf {

struct AttributeName { std::string name; bool operator==(const AttributeName&) const = default; };
struct ElementIndex { int64_t index; bool operator==(const ElementIndex&) const = default; };
struct ElementKey { std::string key; bool operator==(const ElementKey&) const = default; };
using PathStep = std::variant<AttributeName, ElementIndex, ElementKey>;

class Path {
 public:
  Path() = default;
  static Path Root() { return Path(); }
  // Each returns a new path; the original is unchanged.
  Path AtName(std::string name) const;
  Path AtIndex(int64_t index) const;
  Path AtKey(std::string key) const;

  const std::vector<PathStep>& steps() const { return steps_; }
  bool empty() const { return steps_.empty(); }
  // Terraform's rendering: name, name[0], name["key"].
  std::string ToString() const;
  bool operator==(const Path&) const = default;

 private:
  std::vector<PathStep> steps_;
};

}  // namespace tf
