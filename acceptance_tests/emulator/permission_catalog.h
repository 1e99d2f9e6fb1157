// Jira's built-in permission keys (as GET /rest/api/2/permissions lists them) and the
// permission-holder types a scheme grant may use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace emulator {

struct PermissionInfo {
  const char* key;
  const char* name;
  const char* type;  // "PROJECT" or "GLOBAL"
  const char* description;
};

const std::vector<PermissionInfo>& AllPermissions();
// A key usable in a permission scheme (type PROJECT).
bool IsProjectPermission(std::string_view key);
bool IsGlobalPermission(std::string_view key);

enum class HolderParameter { kNone, kRequired, kOptional };
// nullptr-like: returns false when `type` is not a built-in holder type.
bool LookupHolderType(std::string_view type, HolderParameter* parameter);

}  // namespace emulator
