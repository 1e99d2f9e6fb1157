// The outcome of a harness operation: OK, or the error text a test prints. Terraform-rule
// violations carry Terraform's own wording, so a test can assert on it.
#pragma once

#include <ostream>
#include <string>
#include <utility>

namespace tfj::harness {

class Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Error(std::string message) {
    Status s;
    s.ok_ = false;
    s.message_ = std::move(message);
    return s;
  }
  bool ok() const { return ok_; }
  const std::string& message() const { return message_; }
  // Keeps the first error; appends later ones on new lines.
  void Update(const Status& other) {
    if (other.ok()) return;
    if (ok_) {
      *this = other;
    } else {
      message_ += "\n" + other.message_;
    }
  }

 private:
  bool ok_ = true;
  std::string message_;
};

inline std::ostream& operator<<(std::ostream& os, const Status& s) {
  return os << (s.ok() ? std::string("OK") : s.message());
}

}  // namespace tfj::harness
