// The Jira provider: its configuration schema, the Configure step that builds the shared
// Jira client, and the lists of resources and data sources it serves.
#pragma once

#include <memory>

#include "provider/core/resource.h"

namespace tfjira {

// The provider the binary serves ("jira").
std::unique_ptr<tf::Provider> NewProvider();

}  // namespace tfjira
