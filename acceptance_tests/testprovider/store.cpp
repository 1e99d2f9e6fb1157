#include "acceptance_tests/testprovider/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace tfj::testprovider {

template <typename F>
auto ThingStore::Locked(F&& f) const {
  int fd = open((path_ + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) flock(fd, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
      }
    }
  } unlock{fd};
  return f();
}

nlohmann::json ThingStore::Load() const {
  std::ifstream in(path_);
  if (!in) return {{"next_id", 1}, {"things", nlohmann::json::object()}};
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return {{"next_id", 1}, {"things", nlohmann::json::object()}};
  if (!doc.contains("things")) doc["things"] = nlohmann::json::object();
  if (!doc.contains("next_id")) doc["next_id"] = 1;
  return doc;
}

void ThingStore::Save(const nlohmann::json& doc) const {
  std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << doc.dump(2);
  }
  std::rename(tmp.c_str(), path_.c_str());
}

std::optional<nlohmann::json> ThingStore::Get(const std::string& id) const {
  return Locked([&]() -> std::optional<nlohmann::json> {
    nlohmann::json doc = Load();
    if (!doc["things"].contains(id)) return std::nullopt;
    return doc["things"][id];
  });
}

std::optional<std::string> ThingStore::FindByName(const std::string& name) const {
  return Locked([&]() -> std::optional<std::string> {
    nlohmann::json doc = Load();
    for (const auto& [id, thing] : doc["things"].items()) {
      if (thing.value("name", "") == name) return id;
    }
    return std::nullopt;
  });
}

std::string ThingStore::Create(const nlohmann::json& thing) {
  return Locked([&]() {
    nlohmann::json doc = Load();
    int64_t n = doc["next_id"].get<int64_t>();
    std::string id = "thing-" + std::to_string(n);
    doc["next_id"] = n + 1;
    doc["things"][id] = thing;
    Save(doc);
    return id;
  });
}

void ThingStore::Put(const std::string& id, const nlohmann::json& thing) {
  Locked([&]() {
    nlohmann::json doc = Load();
    doc["things"][id] = thing;
    Save(doc);
    return 0;
  });
}

bool ThingStore::Erase(const std::string& id) {
  return Locked([&]() {
    nlohmann::json doc = Load();
    bool erased = doc["things"].erase(id) > 0;
    Save(doc);
    return erased;
  });
}

size_t ThingStore::Count() const {
  return Locked([&]() { return Load()["things"].size(); });
}

}  // namespace tfj::testprovider
