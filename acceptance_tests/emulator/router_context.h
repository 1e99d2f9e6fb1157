// Per-request context shared by the Router's handler files (internal to the emulator).
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acceptance_tests/emulator/http_message.h"
#include "acceptance_tests/emulator/i18n.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/store.h"

namespace emulator {

struct Router::Ctx {
  const Request& req;
  Query query;
  std::vector<std::string> params;  // captured {placeholders}, URL-decoded
  std::string base;                 // scheme://host[:port][/context], for self links
  User* caller = nullptr;           // nullptr = anonymous
  nlohmann::json body;              // parsed JSON body (null when empty)
  Language language = Language::kEnglish;  // of the caller's account, else the instance's

  std::string Param(const char* name) const {
    const std::string* v = query.Get(name);
    return v ? *v : std::string();
  }
  bool BoolParam(const char* name, bool fallback) const {
    const std::string* v = query.Get(name);
    if (!v) return fallback;
    return EqualsIgnoreCase(*v, "true");
  }
  // An integer query parameter clamped to [min, max]; `fallback` when absent or not a number.
  int64_t IntParam(const char* name, int64_t fallback, int64_t min, int64_t max) const {
    const std::string* v = query.Get(name);
    if (!v || v->empty()) return fallback;
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v->c_str(), &end, 10);  // saturates instead of overflowing
    if (end == v->c_str() || *end != '\0') return fallback;
    return std::clamp<int64_t>(n, min, max);
  }
  std::string Api() const { return base + "/rest/api/2"; }
  // Message `id` of the catalogue (i18n.h) in the caller's language.
  std::string T(std::string_view id, const std::vector<std::string>& args = {}) const {
    return Text(language, id, args);
  }
};

}  // namespace emulator
