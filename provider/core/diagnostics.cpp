#include "provider/core/diagnostics.h"

#include <algorithm>

namespace tf {

void Diagnostics::AddError(std::string summary, std::string detail) {
  Add({Severity::kError, std::move(summary), std::move(detail), std::nullopt});
}
void Diagnostics::AddWarning(std::string summary, std::string detail) {
  Add({Severity::kWarning, std::move(summary), std::move(detail), std::nullopt});
}
void Diagnostics::AddAttributeError(Path path, std::string summary, std::string detail) {
  Add({Severity::kError, std::move(summary), std::move(detail), std::move(path)});
}
void Diagnostics::AddAttributeWarning(Path path, std::string summary, std::string detail) {
  Add({Severity::kWarning, std::move(summary), std::move(detail), std::move(path)});
}

void Diagnostics::Add(Diagnostic d) {
  if (std::find(items_.begin(), items_.end(), d) != items_.end()) return;
  items_.push_back(std::move(d));
}

void Diagnostics::Append(const Diagnostics& other) {
  if (&other == this) return;
  for (const auto& d : other.items_) Add(d);
}

bool Diagnostics::HasError() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const auto& d : items_) {
    if (!out.empty()) out += '\n';
    out += d.severity == Severity::kError ? "Error: " : d.severity == Severity::kWarning ? "Warning: " : "Invalid: ";
    out += d.summary;
    if (d.path && !d.path->empty()) out += " (at " + d.path->ToString() + ")";
    if (!d.detail.empty()) out += ": " + d.detail;
  }
  return out;
}

}  // namespace tf
