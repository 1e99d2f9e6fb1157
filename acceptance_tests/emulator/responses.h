// Builders for the three error-body shapes Jira uses (ErrorCollection, the REST framework's
// Status entity, servlet HTML) and for plain JSON / empty responses.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acceptance_tests/emulator/http_message.h"

namespace emulator {

inline constexpr const char* kJsonType = "application/json;charset=UTF-8";

Response JsonResponse(int status, const nlohmann::json& body);
// {"errorMessages": [...], "errors": {...}}, both keys always present.
Response ErrorCollection(int status, std::vector<std::string> messages,
                         std::map<std::string, std::string> errors = {});
// The Atlassian REST framework's {"status-code": N, "message": "..."}.
Response StatusEntity(int status, const std::string& message);
Response HtmlResponse(int status, const std::string& title, const std::string& text);
Response EmptyResponse(int status);

}  // namespace emulator
