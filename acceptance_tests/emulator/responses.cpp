#include "acceptance_tests/emulator/responses.h"

namespace emulator {

Response JsonResponse(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  // Text we echo (a request path, a query value, a parser's message quoting the body) may
  // hold bytes that are not UTF-8. Jira decodes requests into Java strings, which replace
  // malformed input with U+FFFD (Java SE API, String(byte[], Charset): "always replaces
  // malformed-input and unmappable-character sequences with this charset's default
  // replacement string"), so its JSON answers are always UTF-8: replace them the same way.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.SetHeader("Content-Type", kJsonType);
  return r;
}

Response ErrorCollection(int status, std::vector<std::string> messages,
                         std::map<std::string, std::string> errors) {
  nlohmann::json body = {{"errorMessages", messages}, {"errors", nlohmann::json::object()}};
  for (auto& [k, v] : errors) body["errors"][k] = v;
  return JsonResponse(status, body);
}

Response StatusEntity(int status, const std::string& message) {
  return JsonResponse(status, {{"status-code", status}, {"message", message}});
}

Response HtmlResponse(int status, const std::string& title, const std::string& text) {
  Response r;
  r.status = status;
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '&': escaped += "&amp;"; break;
      default: escaped.push_back(c);
    }
  }
  r.body = "<html><head><title>" + title + "</title></head><body><h1>" + title +
           "</h1><p>" + escaped + "</p></body></html>";
  r.SetHeader("Content-Type", "text/html;charset=UTF-8");
  return r;
}

Response EmptyResponse(int status) {
  Response r;
  r.status = status;
  return r;
}

}  // namespace emulator
