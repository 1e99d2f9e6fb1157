// Durable, crash-safe persistence of the emulator state: a write goes to a temporary file in
// the same directory, is fsync'd, then renamed over the target (and the directory fsync'd),
// so a crash leaves either the old or the new file, never a torn one.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace emulator {

// Returns false (with `error` set) when the file cannot be written.
bool WriteStateFile(const std::string& path, const nlohmann::json& state, std::string* error);
// nullopt when the file does not exist; throws std::runtime_error when it is unreadable/corrupt.
std::optional<nlohmann::json> ReadStateFile(const std::string& path);

}  // namespace emulator
