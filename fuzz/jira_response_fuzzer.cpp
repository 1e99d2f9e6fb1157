// Fuzzes what the Jira client makes of Jira's answers: the JSON readers of json_model.h for
// every body it reads (server info, users, user lists, member pages, schemes, scheme lists,
// grants, permissions, group picker, projects and project lists) and ErrorFromResponse (error_parse.h) for error answers
// of every shape.
//
// Input: byte 0 picks the reader (high bit set: an error answer), byte 1 is spare for
// readers, the rest is the body. Readers are called exactly as the
// client does (beast_client.cpp): the body parsed without exceptions, then the reader, whose
// only allowed failure is nlohmann::json::exception (the client turns it into an Error). For
// error answers, byte 1 picks the status and the headers come from the body's tail.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "provider/jira/error_parse.h"
#include "provider/jira/json_model.h"
#include "provider/jira/project_json.h"
#include "provider/text/unicode.h"

namespace {

using nlohmann::json;

// The list readers the client keeps private (beast_client.cpp): the same loops.
void ReadSchemeList(const json& j) {
  if (auto it = j.find("permissionSchemes"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) (void)jira::SchemeFromJson(s);
  }
}
void ReadGrantList(const json& j) {
  if (auto it = j.find("permissions"); it != j.end() && it->is_array()) {
    for (const auto& g : *it) (void)jira::GrantFromJson(g);
  }
}

void Read(uint8_t which, const json& j) {
  switch (which % 11) {
    case 0: (void)jira::ServerInfoFromJson(j); break;
    case 1: (void)jira::UserFromJson(j); break;
    case 2: (void)jira::UsersFromJson(j); break;
    case 3: (void)jira::MembersPageFromJson(j); break;
    case 4: (void)jira::GrantFromJson(j); break;
    case 5: (void)jira::SchemeFromJson(j); break;
    case 6: (void)jira::PermissionsFromJson(j); break;
    case 7: (void)jira::PickedGroupsFromJson(j); break;
    case 8: ReadSchemeList(j); ReadGrantList(j); break;
    case 9: (void)jira::ProjectFromJson(j); break;
    default: (void)jira::ProjectsFromJson(j); break;
  }
}

constexpr int kStatuses[] = {400, 401, 403, 404, 405, 409, 413, 429, 500, 502, 503, 504, 418, 599};
constexpr std::string_view kContentTypes[] = {"application/json;charset=UTF-8", "text/html",
                                              "application/xml", "text/plain", ""};

void ParseError(uint8_t selector, std::string_view input) {
  // Headers travel after the last NUL: "<login reason>\n<denied reason>".
  std::string_view body = input;
  std::string_view login_reason;
  std::string_view denied_reason;
  if (const size_t nul = input.rfind('\0'); nul != std::string_view::npos) {
    body = input.substr(0, nul);
    const std::string_view tail = input.substr(nul + 1);
    const size_t nl = tail.find('\n');
    login_reason = tail.substr(0, nl);
    if (nl != std::string_view::npos) denied_reason = tail.substr(nl + 1);
  }
  jira::ErrorResponse r;
  r.status = kStatuses[selector % std::size(kStatuses)];
  r.content_type = kContentTypes[(selector / std::size(kStatuses)) % std::size(kContentTypes)];
  r.body = body;
  r.login_reason = login_reason;
  r.denied_reason = denied_reason;
  r.method_and_path = "POST /rest/api/2/user";
  const jira::Error e = jira::ErrorFromResponse(r);
  const std::string message = e.Message();
  // The message becomes a diagnostic, a protobuf string Terraform refuses unless it is
  // UTF-8: from UTF-8 input we must never make anything else (e.g. by shortening).
  if (text::IsValidUtf8(input) && !text::IsValidUtf8(message)) {
    std::fprintf(stderr, "jira_response_fuzzer: UTF-8 answer gave a message that is not UTF-8: %s\n",
                 message.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  if (data[0] & 0x80) {  // an error answer
    ParseError(data[1], body);
    return 0;
  }
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  try {
    Read(data[0], j.is_discarded() ? json() : j);
  } catch (const json::exception&) {
    // A body of the wrong shape: the client reports it as "unexpected answer from Jira".
  }
  return 0;
}
