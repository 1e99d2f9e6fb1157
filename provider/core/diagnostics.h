// Diagnostics: the only way failures cross the plugin boundary. Every RPC returns gRPC OK
// and reports problems here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "provider/core/path.h"

namespace tf {

enum class Severity { kInvalid = 0, kError = 1, kWarning = 2 };  // mirrors the wire enum

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string summary;
  std::string detail;
  std::optional<Path> path;
  bool operator==(const Diagnostic&) const = default;
};

class Diagnostics {
 public:
  void AddError(std::string summary, std::string detail = "");
  void AddWarning(std::string summary, std::string detail = "");
  void AddAttributeError(Path path, std::string summary, std::string detail = "");
  void AddAttributeWarning(Path path, std::string summary, std::string detail = "");
  void Add(Diagnostic d);                 // drops exact duplicates
  void Append(const Diagnostics& other);  // drops exact duplicates

  bool HasError() const;
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>::const_iterator begin() const { return items_.begin(); }
  std::vector<Diagnostic>::const_iterator end() const { return items_.end(); }
  std::string ToString() const;  // one line per diagnostic, for logs and test failures

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace tf
