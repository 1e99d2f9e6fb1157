// Turns an HTTP error response (any of Jira's body shapes) or a transport failure into an Error.
#pragma once

#include <string>
#include <string_view>

#include "provider/jira/error.h"

namespace jira {

struct ErrorResponse {
  int status = 0;
  std::string_view content_type;
  std::string_view body;
  std::string_view login_reason;   // X-Seraph-LoginReason
  std::string_view denied_reason;  // X-Authentication-Denied-Reason
  std::string method_and_path;     // "GET /rest/api/2/user"
};

// Parses, in order: ErrorCollection {"errorMessages","errors"}, the REST framework status
// entity (JSON {"status-code","message"} or XML <status>), {"errorMessage"}, a bare JSON
// string, HTML (tags stripped), and finally the raw text (trimmed and shortened).
Error ErrorFromResponse(const ErrorResponse& response);

ErrorKind KindForStatus(int status);

Error TransportError(std::string method_and_path, std::string what);
Error CancelledError(std::string method_and_path);

}  // namespace jira
