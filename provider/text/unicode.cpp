#include "provider/text/unicode.h"

#include <unicode/ustring.h>
#include <unicode/utypes.h>

#include <vector>

namespace text {
namespace {

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  if (IsAscii(s)) return true;
  UErrorCode status = U_ZERO_ERROR;
  int32_t needed = 0;
  // Pre-flighting with no destination reports invalid sequences as U_INVALID_CHAR_FOUND.
  u_strFromUTF8(nullptr, 0, &needed, s.data(), static_cast<int32_t>(s.size()), &status);
  return status == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(status);
}

std::string JiraLowerCase(std::string_view utf8) {
  // ASCII needs no tables; it is the common case for user and group names.
  if (IsAscii(utf8)) return AsciiLower(utf8);
  if (utf8.size() > static_cast<size_t>(INT32_MAX / 4)) return AsciiLower(utf8);

  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  std::vector<UChar> utf16(utf8.size() + 1);
  u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &length, utf8.data(),
                static_cast<int32_t>(utf8.size()), &status);
  if (U_FAILURE(status)) return AsciiLower(utf8);  // not UTF-8: see the header

  // Lower-casing can lengthen a string (U+0130 becomes two code units): retry once with the
  // size ICU asks for.
  std::vector<UChar> lower(static_cast<size_t>(length) + 8);
  int32_t lower_length = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    status = U_ZERO_ERROR;
    lower_length = u_strToLower(lower.data(), static_cast<int32_t>(lower.size()), utf16.data(),
                                length, "en", &status);
    if (status != U_BUFFER_OVERFLOW_ERROR) break;
    lower.resize(static_cast<size_t>(lower_length) + 1);
  }
  if (U_FAILURE(status)) return AsciiLower(utf8);

  std::string out(static_cast<size_t>(lower_length) * 3 + 1, '\0');
  int32_t out_length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length, lower.data(),
              lower_length, &status);
  if (U_FAILURE(status)) return AsciiLower(utf8);
  out.resize(static_cast<size_t>(out_length));
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() == b.size() && IsAscii(a) && IsAscii(b)) {
    for (size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }
  return JiraLowerCase(a) == JiraLowerCase(b);
}

bool LessIgnoreCase::operator()(std::string_view a, std::string_view b) const {
  return JiraLowerCase(a) < JiraLowerCase(b);
}

}  // namespace text
