// Plan-time checks shared by resources and data sources.
#pragma once

#include <string_view>

#include "provider/core/schema.h"

namespace tfjira {

// Jira's loose e-mail syntax check (local@domain, no spaces, at most 255 characters).
bool IsValidEmail(std::string_view email);
tf::Validator EmailValidator();

// User, group and scheme names: not blank, and no whitespace before or after. Jira trims
// such names (inferred: its services use Java's String.trim(), which strips every character
// up to U+0020) or refuses them, so the name in Jira would never match the configuration.
bool IsTrimmedName(std::string_view name);
tf::Validator TrimmedNameValidator();

}  // namespace tfjira
