#include "resources/provider_config.h"

#include <cctype>
#include <cstdlib>

#include "provider/core/path.h"

namespace tfjira {
namespace {

tf::Attribute OptionalAttr(std::string name, tf::Type type, std::string description,
                           bool sensitive = false) {
  tf::Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.description = std::move(description);
  a.optional = true;
  a.sensitive = sensitive;
  return a;
}

bool IsHttpUrl(std::string_view url) {
  auto has_host_after = [&](std::string_view prefix) {
    return url.size() > prefix.size() && url.substr(0, prefix.size()) == prefix &&
           url[prefix.size()] != '/';
  };
  return has_host_after("http://") || has_host_after("https://");
}

const tf::Path kUrl = tf::Path().AtName("url");

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

tf::Schema ProviderSchema() {
  tf::Schema s;
  s.block.description =
      "Manages users, groups, group memberships and permission schemes of **Jira Server / Data "
      "Center** over its REST API v2. Jira Cloud is not supported.";
  auto& a = s.block.attributes;
  a.push_back(OptionalAttr("url", tf::Type::String(),
                           "Base URL of Jira, e.g. `https://jira.example.com` or "
                           "`https://host/jira` (a context path is allowed). Must be http(s). "
                           "Environment: `JIRA_URL`."));
  a.push_back(OptionalAttr("username", tf::Type::String(),
                           "Username for HTTP basic auth. Requires `password`. Environment: "
                           "`JIRA_USERNAME`, then `JIRA_USER`."));
  a.push_back(OptionalAttr("password", tf::Type::String(),
                           "Password for HTTP basic auth. Environment: `JIRA_PASSWORD`.", true));
  a.push_back(OptionalAttr("token", tf::Type::String(),
                           "Data Center personal access token, sent as `Authorization: Bearer`. "
                           "Conflicts with `username`/`password`. Environment: `JIRA_TOKEN`.",
                           true));
  a.push_back(OptionalAttr("ca_file", tf::Type::String(),
                           "Path of an extra trusted CA bundle (PEM). Environment: "
                           "`JIRA_CA_FILE`."));
  a.push_back(OptionalAttr("insecure_skip_verify", tf::Type::Bool(),
                           "Skip TLS certificate verification. Default `false`; a warning is "
                           "shown whenever it is `true`. Environment: `JIRA_INSECURE_SKIP_VERIFY` "
                           "(`true` or `false`)."));
  a.push_back(OptionalAttr("request_timeout", tf::Type::String(),
                           "Timeout of each HTTP request as a duration, e.g. `\"30s\"` or "
                           "`\"1m\"`. Default `\"30s\"`. Under Jira Data Center's rate limit a "
                           "request first waits for its turn, for up to this long again: a "
                           "longer wait fails the request at once, naming the limit (see the "
                           "rate-limiting guide). Environment: `JIRA_REQUEST_TIMEOUT`."));
  a.push_back(OptionalAttr("max_retries", tf::Type::Number(),
                           "Retries after a 502, 503 or 504 answer or a lost connection (never "
                           "after 401 or 403, which could lock the account behind a CAPTCHA). "
                           "Default 5. Jira Data Center's rate limit (429) is not a failure and "
                           "uses no retry: every request is paced to the limit Jira announces. "
                           "Environment: `JIRA_MAX_RETRIES`."));
  return s;
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  // Go's time.ParseDuration syntax, hand-written because no packaged library parses it.
  if (text.empty()) return std::nullopt;
  if (text == "0") return std::chrono::milliseconds(0);
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    std::string number(text.substr(start, i - start));
    if (number == "." || number.find('.') != number.rfind('.')) return std::nullopt;
    double value = std::strtod(number.c_str(), nullptr);
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double factor;
    if (unit == "ms") factor = 1;
    else if (unit == "s") factor = 1000;
    else if (unit == "m") factor = 60000;
    else if (unit == "h") factor = 3600000;
    else if (unit == "us" || unit == "µs") factor = 0.001;
    else if (unit == "ns") factor = 0.000001;
    else return std::nullopt;
    total_ms += value * factor;
    if (total_ms > 1e12) return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

void ValidateProviderConfig(const tf::Value& config, tf::Diagnostics& diags) {
  if (auto url = tf::GetString(config, "url")) {
    if (!IsHttpUrl(*url)) {
      diags.AddAttributeError(kUrl, "Invalid Jira URL",
                              "url must start with http:// or https:// followed by a host, "
                              "e.g. https://jira.example.com; got \"" + *url + "\".");
    }
  }
  if (auto timeout = tf::GetString(config, "request_timeout")) {
    auto d = ParseDuration(*timeout);
    if (!d || d->count() <= 0) {
      diags.AddAttributeError(tf::Path().AtName("request_timeout"), "Invalid duration",
                              "request_timeout must be a positive duration such as \"30s\", "
                              "\"1m\" or \"1m30s\"; got \"" + *timeout + "\".");
    }
  }
  const tf::Value& retries = config.attr("max_retries");
  if (retries.is_known()) {
    auto n = retries.as_number().ToInt64();
    if (!n || *n < 0 || *n > 100) {
      diags.AddAttributeError(tf::Path().AtName("max_retries"), "Invalid max_retries",
                              "max_retries must be a whole number between 0 and 100; got " +
                                  retries.as_number().text() + ".");
    }
  }
  bool token_set = config.attr("token").is_known();
  for (const char* other : {"username", "password"}) {
    if (token_set && config.attr(other).is_known()) {
      diags.AddAttributeError(tf::Path().AtName("token"), "Conflicting credentials",
                              std::string("token (a personal access token) cannot be combined "
                                          "with ") + other + "; use one or the other.");
    }
  }
}

std::optional<jira::ClientConfig> ResolveClientConfig(const tf::Value& config,
                                                      const EnvLookup& env,
                                                      tf::Diagnostics& diags) {
  ValidateProviderConfig(config, diags);
  if (diags.HasError()) return std::nullopt;
  if (!config.IsWhollyKnown()) return std::nullopt;  // plan with unknown values: no client yet

  // An explicit attribute beats the environment.
  auto pick = [&](const char* attr, std::initializer_list<const char*> vars) {
    std::optional<std::string> v = tf::GetString(config, attr);
    for (const char* var : vars) {
      if (v) break;
      v = env(var);
      if (v && v->empty()) v.reset();
    }
    return v;
  };
  auto from_env = [&](const char* var) {
    std::optional<std::string> v = env(var);
    if (v && v->empty()) v.reset();
    return v;
  };
  auto url = pick("url", {"JIRA_URL"});
  auto token = pick("token", {"JIRA_TOKEN"});
  std::optional<std::string> username = tf::GetString(config, "username");
  std::optional<std::string> password = tf::GetString(config, "password");
  // When the block chooses a token, basic-auth variables from the environment do not apply
  // (and vice versa), so a stray JIRA_PASSWORD never conflicts with an explicit token.
  bool explicit_token = config.attr("token").is_known();
  bool explicit_basic = username.has_value() || password.has_value();
  if (!explicit_token) {
    if (!username) username = pick("username", {"JIRA_USERNAME", "JIRA_USER"});
    if (!password) password = pick("password", {"JIRA_PASSWORD"});
  }
  if (explicit_basic && !explicit_token) token.reset();
  if (explicit_token) { username.reset(); password.reset(); }
  auto ca_file = pick("ca_file", {"JIRA_CA_FILE"});
  // The settings that are not strings come from the environment as text, checked here with
  // the same rules as the attributes (ValidateProviderConfig), and reported on the attribute.
  std::optional<bool> insecure = tf::GetBool(config, "insecure_skip_verify");
  if (!insecure) {
    if (auto text = from_env("JIRA_INSECURE_SKIP_VERIFY")) {
      if (*text == "true" || *text == "1") insecure = true;
      else if (*text == "false" || *text == "0") insecure = false;
      else diags.AddAttributeError(tf::Path().AtName("insecure_skip_verify"), "Invalid JIRA_INSECURE_SKIP_VERIFY",
                                   "JIRA_INSECURE_SKIP_VERIFY must be true or false; got \"" + *text + "\".");
    }
  }
  std::chrono::milliseconds timeout = jira::ClientConfig().request_timeout;  // the default
  if (auto text = tf::GetString(config, "request_timeout")) {
    timeout = *ParseDuration(*text);  // ValidateProviderConfig accepted it
  } else if (auto env_text = from_env("JIRA_REQUEST_TIMEOUT")) {
    auto parsed = ParseDuration(*env_text);
    if (parsed && parsed->count() > 0) {
      timeout = *parsed;
    } else {
      diags.AddAttributeError(tf::Path().AtName("request_timeout"), "Invalid JIRA_REQUEST_TIMEOUT",
                              "JIRA_REQUEST_TIMEOUT must be a positive duration such as \"30s\", "
                              "\"1m\" or \"1m30s\"; got \"" + *env_text + "\".");
    }
  }
  std::optional<int64_t> retries = tf::GetInt(config, "max_retries");
  if (!retries) {
    if (auto text = from_env("JIRA_MAX_RETRIES")) {
      char* end = nullptr;
      long long n = std::strtoll(text->c_str(), &end, 10);
      bool whole = end != text->c_str() && *end == '\0' && std::isdigit(static_cast<unsigned char>((*text)[0]));
      if (whole && n >= 0 && n <= 100) {
        retries = n;
      } else {
        diags.AddAttributeError(tf::Path().AtName("max_retries"), "Invalid JIRA_MAX_RETRIES",
                                "JIRA_MAX_RETRIES must be a whole number between 0 and 100; got \"" +
                                    *text + "\".");
      }
    }
  }

  if (!url) {
    diags.AddAttributeError(kUrl, "Missing Jira URL",
                            "Set url in the provider block or the JIRA_URL environment "
                            "variable.");
  } else if (!IsHttpUrl(*url)) {
    diags.AddAttributeError(kUrl, "Invalid Jira URL",
                            "JIRA_URL must start with http:// or https:// followed by a host; "
                            "got \"" + *url + "\".");
  }
  if (token && (username || password)) {
    diags.AddAttributeError(tf::Path().AtName("token"), "Conflicting credentials",
                            "Both a token (JIRA_TOKEN) and a username/password "
                            "(JIRA_USERNAME/JIRA_PASSWORD) are set; use one or the other.");
  } else if (username && !password) {
    diags.AddAttributeError(tf::Path().AtName("password"), "Missing password",
                            "username requires password (attribute or JIRA_PASSWORD).");
  } else if (password && !username) {
    diags.AddAttributeError(tf::Path().AtName("username"), "Missing username",
                            "password requires username (attribute, JIRA_USERNAME or "
                            "JIRA_USER).");
  } else if (!token && !username) {
    diags.AddError("Missing Jira credentials",
                   "Set username and password (or JIRA_USERNAME and JIRA_PASSWORD), or a personal "
                   "access token in token (or JIRA_TOKEN). Managing users and groups needs a "
                   "Jira administrator.");
  }
  if (diags.HasError()) return std::nullopt;

  jira::ClientConfig out;
  out.base_url = *url;
  while (out.base_url.size() > 1 && out.base_url.back() == '/') out.base_url.pop_back();
  if (token) out.token = *token;
  if (username) out.username = *username;
  if (password) out.password = *password;
  if (ca_file) out.ca_file = *ca_file;
  if (insecure && *insecure) {
    out.insecure_skip_verify = true;
    diags.AddAttributeWarning(tf::Path().AtName("insecure_skip_verify"),
                              "TLS certificate verification is disabled",
                              "insecure_skip_verify = true (or JIRA_INSECURE_SKIP_VERIFY) accepts "
                              "any certificate, so the Jira credentials can be intercepted. Use "
                              "ca_file to trust a private CA instead.");
  }
  out.request_timeout = timeout;
  if (retries) out.max_retries = static_cast<int>(*retries);
  return out;
}

void AddClientSetupError(const jira::Error& error, tf::Diagnostics& diags) {
  const std::string summary = error.attribute.empty()
                                  ? "Cannot set up the Jira client"
                                  : "Invalid " + error.attribute;
  if (error.kind == jira::ErrorKind::kConfig && !error.attribute.empty()) {
    diags.AddAttributeError(tf::Path().AtName(error.attribute), summary, error.Message());
  } else {
    diags.AddError(summary, error.Message());
  }
}

}  // namespace tfjira
