// Case-insensitive comparison of Jira names (users, groups, schemes), the way Jira does it.
//
// Jira keeps user and group names in Crowd, which compares identifiers after lower-casing
// them with Java's String.toLowerCase(Locale.ENGLISH) (Crowd's IdentifierUtils; the locale is
// the `crowd.identifier.language` system property, English by default). That is Unicode's
// full lower-case mapping without locale tailoring: `Équipe` and `équipe` are one group, and
// so are `GRÜN` and `grün`; `Straße` and `STRASSE` are not (lower-casing maps no letter to
// "ss"). ICU's u_strToLower with the "en" locale implements exactly that mapping.
#pragma once

#include <string>
#include <string_view>

namespace text {

// The name lower-cased as Jira's Crowd does it, as UTF-8. Input that is not valid UTF-8 is
// lower-cased in its ASCII letters only and otherwise returned byte for byte, so two
// different invalid inputs never compare equal.
std::string JiraLowerCase(std::string_view utf8);

// True when Jira would take `a` and `b` for the same name.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// A strict weak order consistent with EqualsIgnoreCase, for sorted containers of names.
struct LessIgnoreCase {
  bool operator()(std::string_view a, std::string_view b) const;
};

// True when the text is valid UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace text
