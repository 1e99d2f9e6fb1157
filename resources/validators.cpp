#include "resources/validators.h"

#include <cctype>
#include <string>

#include "provider/jira/model.h"
#include "provider/text/unicode.h"

namespace tfjira {

bool IsValidEmail(std::string_view email) {
  if (email.empty() || email.size() > 255) return false;
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : email) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
      return false;
    if (std::string_view("<>(),;:\"[]\\").find(c) != std::string_view::npos) return false;
  }
  std::string_view domain = email.substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  return true;
}

tf::Validator EmailValidator() {
  return [](const tf::Value& value, const tf::Path& path, tf::Diagnostics& diags) {
    if (!value.is_known()) return;
    if (!IsValidEmail(value.as_string())) {
      diags.AddAttributeError(path, "Invalid e-mail address",
                              "\"" + value.as_string() +
                                  "\" is not a valid e-mail address (expected local@domain, "
                                  "without spaces, at most 255 characters).");
    }
  };
}

tf::SemanticEquality EmailEquality() {
  return [](const tf::Value& config, const tf::Value& prior) {
    if (!config.is_known() || !prior.is_known()) return false;
    if (config.type() != tf::Type::String() || prior.type() != tf::Type::String()) return false;
    const std::string& wanted = config.as_string();
    const std::string& seen = prior.as_string();
    if (seen.empty()) return true;
    if (jira::EmailShown(seen)) return text::EqualsIgnoreCase(wanted, seen);
    return text::EqualsIgnoreCase(jira::MaskedEmail(wanted), seen);
  };
}

}  // namespace tfjira
