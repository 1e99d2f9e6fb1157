// One error type for every way a Jira call can fail. All three error body shapes Jira uses
// (ErrorCollection, the REST framework's status entity, HTML) are parsed into it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace jira {

enum class ErrorKind {
  kNotFound,      // 404
  kUnauthorized,  // 401: bad or missing credentials
  kForbidden,     // 403: no permission, or a CAPTCHA lockout (see denied_reason)
  kInvalid,       // 400: validation; Jira's messages say what
  kRateLimited,   // 429 after retries ran out
  kServer,        // 5xx after retries ran out
  kTransport,     // connect / TLS / read failure after retries ran out; timeouts too
  kCancelled,     // the caller cancelled (Terraform's StopProvider)
  kConfig,        // local set-up (URL, ca_file, credentials): nothing was sent; see `attribute`
};

struct Error {
  ErrorKind kind = ErrorKind::kServer;
  int http_status = 0;  // 0 for transport errors
  std::vector<std::string> messages;             // errorMessages, or message / errorMessage
  std::map<std::string, std::string> field_errors;  // errors: {"username": "..."}
  std::string login_reason;    // X-Seraph-LoginReason
  std::string denied_reason;   // X-Authentication-Denied-Reason (CAPTCHA lockout)
  std::string method_and_path; // "POST /rest/api/2/user" (no query string, no credentials)
  // kConfig: the client setting at fault, by its provider attribute name ("url", "ca_file",
  // "token"); empty when no single setting is.
  std::string attribute;
  // kTransport: the failure cannot change by retrying (TLS verification, http/https
  // mismatch); messages say what to change.
  bool permanent = false;

  // One readable sentence: Jira's own messages, or a description of the status/transport
  // failure. Never contains credentials.
  std::string Message() const;
  bool IsCaptchaLockout() const;
  // A 3xx answer: Jira sits behind a proxy that redirects (http -> https, a missing context
  // path). The client never follows it; `location` is where the proxy pointed.
  bool IsRedirect() const { return http_status >= 300 && http_status < 400; }
  std::string location;  // the Location header of a redirect, credentials stripped

  // There is deliberately no IsAlreadyMember/IsNotMember/IsAlreadyExists: Jira words its
  // errors in the account's language, so callers decide such questions with a read of Jira's
  // state (a user's groups, a lookup by name), never by matching message text.
};

// A value or an Error, in the spirit of absl::StatusOr. Callers check ok() first.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status OkStatus() { return Unit{}; }

}  // namespace jira
