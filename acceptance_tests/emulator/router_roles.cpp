// Project roles: GET /role, the list of every project role (roles are global in Jira Server and
// shared by every project).
#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/router_context.h"

namespace emulator {

// GET /rest/api/2/role ("Get all project roles", ProjectRoleResource, Jira Server REST
// reference 6.4+): a bare JSON array of ProjectRole beans {self, name, id, description,
// actors}, id a number. [DOC] The default roles a fresh Jira creates are Users 10000,
// Developers 10001 and Administrators 10002 (store.cpp). The emulator's roles have no actors,
// so `actors` is empty. [INF] Any logged-in user may list them (the reference names no
// permission); anonymous callers get 401.
Response Router::ListProjectRoles(Ctx& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, role] : store_.roles) {
    out.push_back({{"self", c.Api() + "/role/" + std::to_string(id)},
                   {"name", role.name},
                   {"id", id},
                   {"description", role.description},
                   {"actors", nlohmann::json::array()}});
  }
  return JsonResponse(200, out);
}

}  // namespace emulator
