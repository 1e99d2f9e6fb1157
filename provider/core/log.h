// Provider logging to stderr as hclog JSON lines, the form Terraform shows under
// TF_LOG / TF_LOG_PROVIDER. stdout is reserved for the go-plugin handshake.
// Registered secrets are replaced by "***" in every line, so a password can never leak.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tf::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Reads TF_LOG_PROVIDER, then TF_LOG (trace, debug, info, warn, error, off; json=trace).
void InitFromEnvironment();
void SetLevel(Level level);
bool Enabled(Level level);
void RegisterSecret(std::string secret);  // empty strings are ignored

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;
void Write(Level level, std::string_view message, Fields fields = {});
inline void Trace(std::string_view m, Fields f = {}) { Write(Level::kTrace, m, f); }
inline void Debug(std::string_view m, Fields f = {}) { Write(Level::kDebug, m, f); }
inline void Info(std::string_view m, Fields f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, Fields f = {}) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, Fields f = {}) { Write(Level::kError, m, f); }

// One hclog JSON line (without newline): {"@level":..,"@message":..,"@module":"provider",
// "@timestamp":"2006-01-02T15:04:05.000000Z", fields...}. Exposed for tests.
std::string FormatLine(Level level, std::string_view message, Fields fields);

}  // namespace tf::log
