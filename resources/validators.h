// Plan-time checks shared by resources and data sources.
#pragma once

#include <string_view>

#include "provider/core/schema.h"

namespace tfjira {

// Jira's loose e-mail syntax check (local@domain, no spaces, at most 255 characters).
bool IsValidEmail(std::string_view email);
tf::Validator EmailValidator();

// Semantic equality of a user's `email` (configured value vs prior state) on every e-mail
// visibility setting (see jira::EmailShown):
// - a shown prior address equals the configured one ignoring letter case;
// - a masked prior (`bob at example dot com`, only after importing from an instance that
//   masks addresses) equals the configured address whose masked form it is;
// - an empty prior (the address is hidden, only after an import) cannot be compared and is
//   not equal: the configured address is planned once and sent to Jira, and from then on
//   state holds it, so later changes in configuration are sent too. Drift made in Jira stays
//   undetectable there.
tf::SemanticEquality EmailEquality();

// User, group and scheme names: not blank, and no whitespace before or after. Jira trims
// such names (inferred: its services use Java's String.trim(), which strips every character
// up to U+0020) or refuses them, so the name in Jira would never match the configuration.
bool IsTrimmedName(std::string_view name);
tf::Validator TrimmedNameValidator();

}  // namespace tfjira
