#include "resources/jira_access.h"

#include "provider/core/path.h"
#include "provider/text/unicode.h"

namespace tfjira {

void JiraAccess::Configure(const std::any& provider_data, tf::Diagnostics& diags) {
  if (!provider_data.has_value()) return;  // configuration still unknown: checked on use
  if (const auto* data = std::any_cast<std::shared_ptr<const ProviderData>>(&provider_data)) {
    data_ = *data;
    return;
  }
  diags.AddError("Unexpected provider data",
                 "The jira provider handed its resources data of an unexpected type. This is a "
                 "bug in the provider.");
}

std::shared_ptr<jira::Client> JiraAccess::Client(const tf::CancelToken& cancel,
                                                 tf::Diagnostics& diags) const {
  if (!data_ || !data_->client) {
    diags.AddError("Jira provider not configured",
                   "This operation must call Jira, but the provider configuration is not known "
                   "yet (it depends on values only known after apply) or could not be used. Set "
                   "the provider's url and credentials to known values.");
    return nullptr;
  }
  return data_->client->WithCancellation([cancel] { return cancel.cancelled(); });
}

void AddJiraError(tf::Diagnostics& diags, const std::string& summary, const jira::Error& error,
                  const FieldMap& fields) {
  bool added = false;
  for (const auto& [field, message] : error.field_errors) {
    auto it = fields.find(field);
    if (it != fields.end()) {
      diags.AddAttributeError(tf::Path().AtName(it->second), summary, "Jira: " + message);
      added = true;
    }
  }
  if (added) {
    // Field errors Jira named but we cannot place, and general messages, still reach the user.
    std::string rest;
    for (const auto& m : error.messages) rest += (rest.empty() ? "" : " ") + m;
    for (const auto& [field, message] : error.field_errors) {
      if (!fields.count(field)) rest += (rest.empty() ? "" : " ") + field + ": " + message;
    }
    if (!rest.empty()) diags.AddError(summary, "Jira: " + rest);
    return;
  }
  std::string detail = error.Message();
  if (error.IsCaptchaLockout()) {
    detail = "Jira has locked the account behind a CAPTCHA after too many failed logins "
             "(X-Authentication-Denied-Reason: " + error.denied_reason +
             "). Sign in to Jira in a browser and answer the CAPTCHA, or ask an administrator "
             "to reset the failed login count, then try again.";
  }
  diags.AddError(summary, detail);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return text::EqualsIgnoreCase(a, b);
}

std::string ToLower(std::string_view s) { return text::JiraLowerCase(s); }

bool VersionAtLeast(const std::vector<int>& v, int major, int minor) {
  if (v.empty()) return true;
  if (v[0] != major) return v[0] > major;
  return (v.size() > 1 ? v[1] : 0) >= minor;
}

bool SupportsActiveOverRest(const jira::ServerInfo& server) {
  return VersionAtLeast(server.version_numbers, 8, 3);
}

std::string VersionText(const jira::ServerInfo& server) {
  if (server.version_numbers.empty()) return server.version;
  std::string out;
  for (int n : server.version_numbers) out += (out.empty() ? "" : ".") + std::to_string(n);
  return out;
}

bool MayHaveBeenApplied(const jira::Error& error) {
  return error.kind == jira::ErrorKind::kTransport || error.kind == jira::ErrorKind::kServer ||
         error.kind == jira::ErrorKind::kRateLimited || error.kind == jira::ErrorKind::kCancelled;
}

}  // namespace tfjira
