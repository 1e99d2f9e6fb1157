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
    // An empty prior (imported where Jira hides addresses) says nothing about the address:
    // taken as equal, every later change of the configured address would be swallowed too.
    if (seen.empty()) return false;
    if (jira::EmailShown(seen)) return text::EqualsIgnoreCase(wanted, seen);
    return text::EqualsIgnoreCase(jira::MaskedEmail(wanted), seen);
  };
}

bool IsTrimmedName(std::string_view name) {
  auto is_trimmed_away = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };  // as String.trim()
  return !name.empty() && !is_trimmed_away(name.front()) && !is_trimmed_away(name.back());
}

tf::Validator TrimmedNameValidator() {
  return [](const tf::Value& value, const tf::Path& path, tf::Diagnostics& diags) {
    if (!value.is_known()) return;
    const std::string& name = value.as_string();
    if (name.empty()) return;  // NonEmptyString reports that
    bool blank = true;
    for (char c : name) blank &= static_cast<unsigned char>(c) <= 0x20;
    if (blank) {
      diags.AddAttributeError(path, "Blank name", "The name consists only of spaces; Jira needs a real name.");
    } else if (!IsTrimmedName(name)) {
      diags.AddAttributeError(path, "Name with surrounding spaces",
                              "\"" + name + "\" starts or ends with a space (or another blank "
                              "character); Jira would trim it, so remove the spaces.");
    }
  };
}

}  // namespace tfjira
