#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "provider/jira/error.h"
#include "provider/jira/error_parse.h"

namespace jira {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Collapses whitespace runs and shortens to a size that still reads as one sentence.
std::string Tidy(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  constexpr size_t kMax = 300;
  if (out.size() > kMax) {
    // Cut on a character boundary, never inside a UTF-8 sequence: the message becomes a
    // diagnostic, a protobuf string that Terraform refuses to decode unless it is UTF-8.
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

std::string DecodeEntities(std::string_view s) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''},
      {"&apos;", '\''}, {"&nbsp;", ' '}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool matched = false;
    if (s[i] == '&') {
      for (const auto& [name, c] : kEntities) {
        if (s.substr(i, name.size()) == name) {
          out.push_back(c);
          i += name.size();
          matched = true;
          break;
        }
      }
    }
    if (!matched) out.push_back(s[i++]);
  }
  return out;
}

// Text content of an HTML page: drops tags and the contents of <script>/<style>/<head>.
// Hand-written because no HTML parser is among the project's dependencies; error pages are small.
std::string HtmlText(std::string_view html) {
  std::string lower(html);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string text;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] == '<') {
      for (std::string_view skip : {"script", "style", "head"}) {
        if (lower.compare(i + 1, skip.size(), skip) == 0) {
          const size_t end = lower.find("</" + std::string(skip), i);
          if (end != std::string::npos) i = end;
          break;
        }
      }
      const size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;
      i = close + 1;
      text.push_back(' ');
    } else {
      text.push_back(html[i++]);
    }
  }
  return Tidy(DecodeEntities(text));
}

std::string XmlElement(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  const size_t a = xml.find(open);
  if (a == std::string_view::npos) return "";
  const size_t b = xml.find(close, a + open.size());
  if (b == std::string_view::npos) return "";
  return Trim(DecodeEntities(xml.substr(a + open.size(), b - a - open.size())));
}

void ParseJsonBody(const nlohmann::json& j, Error& e) {
  if (j.is_string()) {  // the bare-string entity of add-user-to-group
    e.messages.push_back(j.get<std::string>());
    return;
  }
  if (!j.is_object()) return;
  if (auto it = j.find("errorMessages"); it != j.end() && it->is_array()) {
    for (const auto& m : *it) {
      if (m.is_string()) e.messages.push_back(m.get<std::string>());
    }
  }
  if (auto it = j.find("errors"); it != j.end() && it->is_object()) {
    for (const auto& [field, m] : it->items()) {
      e.field_errors[field] = m.is_string() ? m.get<std::string>() : m.dump();
    }
  }
  if (e.messages.empty() && e.field_errors.empty()) {
    for (const char* key : {"message", "errorMessage"}) {
      if (auto it = j.find(key); it != j.end() && it->is_string() && !it->get<std::string>().empty()) {
        e.messages.push_back(it->get<std::string>());
        break;
      }
    }
  }
}

}  // namespace

ErrorKind KindForStatus(int status) {
  // A redirect is a configuration problem (the url points at a proxy), never a server fault
  // that a retry or a follow-up read could resolve.
  if (status >= 300 && status < 400) return ErrorKind::kInvalid;
  switch (status) {
    case 400: return ErrorKind::kInvalid;
    case 401: return ErrorKind::kUnauthorized;
    case 403: return ErrorKind::kForbidden;
    case 404: return ErrorKind::kNotFound;
    case 429: return ErrorKind::kRateLimited;
    default: return status >= 400 && status < 500 ? ErrorKind::kInvalid : ErrorKind::kServer;
  }
}

Error ErrorFromResponse(const ErrorResponse& r) {
  Error e;
  e.kind = KindForStatus(r.status);
  e.http_status = r.status;
  e.login_reason = std::string(r.login_reason);
  e.denied_reason = std::string(r.denied_reason);
  e.method_and_path = r.method_and_path;

  const std::string body = Trim(r.body);
  if (body.empty()) return e;
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) {
    ParseJsonBody(json, e);
    if (!e.messages.empty() || !e.field_errors.empty()) return e;
  }
  if (body.find("<status") != std::string::npos && body.find("<message>") != std::string::npos) {
    std::string m = XmlElement(body, "message");
    if (!m.empty()) {
      e.messages.push_back(Tidy(m));
      return e;
    }
  }
  if (Contains(r.content_type, "html") || body.front() == '<') {
    std::string text = HtmlText(body);
    if (!text.empty()) e.messages.push_back(std::move(text));
    return e;
  }
  if (json.is_discarded() || !json.is_object()) e.messages.push_back(Tidy(body));
  return e;
}

Error TransportError(std::string method_and_path, std::string what) {
  Error e;
  e.kind = ErrorKind::kTransport;
  e.method_and_path = std::move(method_and_path);
  e.messages.push_back(std::move(what));
  return e;
}

Error CancelledError(std::string method_and_path) {
  Error e;
  e.kind = ErrorKind::kCancelled;
  e.method_and_path = std::move(method_and_path);
  return e;
}

std::string Error::Message() const {
  std::string details;
  for (const auto& m : messages) {
    if (m.empty()) continue;
    if (!details.empty()) details += "; ";
    details += m;
  }
  for (const auto& [field, m] : field_errors) {
    if (!details.empty()) details += "; ";
    details += field + ": " + m;
  }
  const std::string where = method_and_path.empty() ? "" : " " + method_and_path;
  std::string out;
  switch (kind) {
    case ErrorKind::kCancelled:
      return "Jira request" + where + " was cancelled";
    case ErrorKind::kConfig:
      return details.empty() ? "invalid Jira client settings" : details;
    case ErrorKind::kTransport:
      out = "Jira request" + where + " failed";
      if (!details.empty()) out += ": " + details;
      return out;
    default:
      break;
  }
  out = "Jira answered " + std::to_string(http_status);
  if (const char* phrase = ReasonPhrase(http_status); *phrase) out += std::string(" ") + phrase;
  if (!where.empty()) out += " to" + where;
  if (!details.empty()) out += ": " + details;
  if (IsCaptchaLockout()) {
    out += ". The account is locked behind a CAPTCHA after failed logins (" + denied_reason +
           "); log in once through the Jira web page, or have an administrator reset the "
           "failed-login count, before trying again";
  } else if (kind == ErrorKind::kUnauthorized) {
    out += ". Check the username and password, or the personal access token";
    if (!login_reason.empty()) out += " (X-Seraph-LoginReason: " + login_reason + ")";
    if (!denied_reason.empty()) out += " (X-Authentication-Denied-Reason: " + denied_reason + ")";
  } else if (kind == ErrorKind::kForbidden && !denied_reason.empty()) {
    out += " (X-Authentication-Denied-Reason: " + denied_reason + ")";
  } else if (IsRedirect()) {
    out += location.empty()
               ? ". Jira's address redirects elsewhere; set url to the address Jira is served at"
               : ". The request was redirected to " + location +
                     "; the provider does not follow redirects (credentials must never go to "
                     "another address), so set url to the base of that address";
  } else if (kind == ErrorKind::kRateLimited) {
    out += ". Jira kept rate-limiting the requests; try again later or lower the parallelism";
  }
  return out;
}

bool Error::IsCaptchaLockout() const {
  return Contains(denied_reason, "CAPTCHA");
}

}  // namespace jira
