// Plan-time checks shared by resources and data sources.
#pragma once

#include <string_view>

#include "provider/core/schema.h"

namespace tfjira {

// Jira's loose e-mail syntax check (local@domain, no spaces, at most 255 characters).
bool IsValidEmail(std::string_view email);
tf::Validator EmailValidator();

}  // namespace tfjira
