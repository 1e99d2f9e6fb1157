#include "resources/membership_id.h"

namespace tfjira {

std::string EncodeMembershipId(const MembershipId& id) {
  std::string out = id.group;
  out += '/';
  for (char c : id.username) {
    if (c == '%') out += "%25";
    else if (c == '/') out += "%2F";
    else out += c;
  }
  return out;
}

std::optional<MembershipId> DecodeMembershipId(std::string_view id) {
  size_t slash = id.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) return std::nullopt;
  MembershipId out;
  out.group = std::string(id.substr(0, slash));
  std::string_view user = id.substr(slash + 1);
  for (size_t i = 0; i < user.size(); ++i) {
    if (user[i] == '%' && i + 2 < user.size()) {
      std::string_view hex = user.substr(i + 1, 2);
      if (hex == "25") { out.username += '%'; i += 2; continue; }
      if (hex == "2F" || hex == "2f") { out.username += '/'; i += 2; continue; }
    }
    out.username += user[i];
  }
  return out;
}

}  // namespace tfjira
