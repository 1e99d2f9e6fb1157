// The Jira provider: its configuration schema, the Configure step that builds the shared
// Jira client, and the lists of resources and data sources it serves.
#pragma once

#include <functional>
#include <memory>

#include "provider/core/resource.h"
#include "provider/jira/client.h"
#include "resources/provider_config.h"

namespace tfjira {

// The provider the binary serves ("jira"): real HTTP client, process environment.
std::unique_ptr<tf::Provider> NewProvider();

// Builds the Jira client from the resolved configuration.
using ClientFactory =
    std::function<jira::Result<std::shared_ptr<jira::Client>>(const jira::ClientConfig&)>;

// For tests: a provider whose client and environment are injected.
std::unique_ptr<tf::Provider> NewProviderWith(ClientFactory factory, EnvLookup env);

}  // namespace tfjira
