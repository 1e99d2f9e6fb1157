// The test provider's remote system: objects in a JSON file. Terraform starts a new provider
// process for every walk, so state that must outlive a process lives in a file; tests use
// the same class to change objects "by hand" (drift) between steps.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tfj::testprovider {

// {"next_id": 1, "things": {"<id>": {"name": .., "mode": .., ...}}}. Every operation takes
// an exclusive lock (flock on "<path>.lock") and writes atomically (temp file + rename).
class ThingStore {
 public:
  explicit ThingStore(std::string path) : path_(std::move(path)) {}

  std::optional<nlohmann::json> Get(const std::string& id) const;
  std::optional<std::string> FindByName(const std::string& name) const;  // id
  std::string Create(const nlohmann::json& thing);  // returns the new id
  void Put(const std::string& id, const nlohmann::json& thing);
  bool Erase(const std::string& id);
  size_t Count() const;

 private:
  nlohmann::json Load() const;
  void Save(const nlohmann::json& doc) const;
  template <typename F>
  auto Locked(F&& f) const;

  std::string path_;
};

}  // namespace tfj::testprovider
