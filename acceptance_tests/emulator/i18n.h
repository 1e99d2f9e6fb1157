// The emulator's message catalogue: every error text Jira's REST resources answer, in English
// and German. Jira renders messages from its i18n property bundles in the language of the
// calling account (its profile's locale), falling back to the instance's default language
// (Administration → System → General configuration → Default language); anonymous requests get
// the default. Status codes and `errors` keys never depend on the language.
// ("Configuring Jira application options", Jira Server/DC admin guide; JiraAuthenticationContext
// getI18nHelper() returns the bundle for the logged-in user's locale.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "acceptance_tests/emulator/options.h"

namespace emulator {

// "en" or "de" (also "en_US", "de_DE"); false for anything else.
bool ParseLanguage(std::string_view text, Language* out);
// The Java locale Jira reports in the user bean's `locale` field: en_US or de_DE.
const char* LocaleOf(Language language);

// The text of message `id` with {0}, {1}, ... replaced by `args` (Java MessageFormat style,
// without its quoting rules). An id missing from the catalogue comes back as the id itself,
// which is what Jira shows for a key missing from its bundles.
std::string Text(Language language, std::string_view id, const std::vector<std::string>& args = {});

// True when `id` is in the catalogue in every language (tests use it).
bool HasText(std::string_view id);

}  // namespace emulator
