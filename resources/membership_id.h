// The jira_group_membership id: "<group>/<username>".
//
// The username is everything after the LAST slash, with '%' and '/' in it percent-encoded
// (%25, %2F), so the id is unambiguous however many slashes the group name holds, and the
// common case stays readable ("gitlab-developers/gitlab").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tfjira {

struct MembershipId {
  std::string group;
  std::string username;
  bool operator==(const MembershipId&) const = default;
};

std::string EncodeMembershipId(const MembershipId& id);
// nullopt when there is no slash, or either part is empty.
std::optional<MembershipId> DecodeMembershipId(std::string_view id);

}  // namespace tfjira
