// The provider configuration: reading the `provider "jira"` block, merging the environment
// (explicit attributes win) and checking it, separately from the Provider class so that
// unit tests can drive it with a fake environment.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "provider/core/diagnostics.h"
#include "provider/core/schema.h"
#include "provider/core/value.h"
#include "provider/jira/client.h"

namespace tfjira {

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
EnvLookup ProcessEnvironment();

tf::Schema ProviderSchema();

// Parses a Go-style duration ("30s", "1m30s", "500ms", "2h"); nullopt when malformed or
// negative.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// Checks what can be checked on the configuration alone (it may hold unknown values).
void ValidateProviderConfig(const tf::Value& config, tf::Diagnostics& diags);

// Builds the client configuration from the block and the environment. Returns nullopt with
// errors when it is unusable, or nullopt without errors when it still holds unknown values.
std::optional<jira::ClientConfig> ResolveClientConfig(const tf::Value& config,
                                                      const EnvLookup& env,
                                                      tf::Diagnostics& diags);

// Reports a failure to set up the Jira client (nothing was sent): on the provider attribute
// the error names (url, ca_file, token) when it names one.
void AddClientSetupError(const jira::Error& error, tf::Diagnostics& diags);

}  // namespace tfjira
