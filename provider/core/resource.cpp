#include "provider/core/resource.h"

namespace tf {

void Resource::ImportState(const ImportRequest&, ImportResponse& response) {
  response.diagnostics.AddError(
      "Resource Import Not Implemented",
      "This resource does not support import. Please contact the provider developer for "
      "additional information.");
}

void Resource::UpgradeState(const UpgradeStateRequest& request, UpgradeStateResponse& response) {
  response.state = request.decoded;
}

}  // namespace tf
