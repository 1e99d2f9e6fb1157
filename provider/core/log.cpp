#include "provider/core/log.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <cctype>
#include <mutex>
#include <optional>
#include <vector>

#include "provider/core/json_tree.h"

namespace tf::log {
namespace {

std::atomic<Level> g_level{Level::kOff};

std::mutex& SecretsMutex() {
  static std::mutex mu;
  return mu;
}
std::vector<std::string>& Secrets() {  // longest first, so overlapping secrets vanish whole
  static std::vector<std::string> secrets;
  return secrets;
}
std::mutex& OutputMutex() {
  static std::mutex mu;
  return mu;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kTrace: return "trace";
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
    case Level::kOff: break;
  }
  return "error";
}

// Caller holds SecretsMutex().
void RedactLocked(std::string& s) {
  for (const auto& secret : Secrets()) {
    for (size_t pos = s.find(secret); pos != std::string::npos; pos = s.find(secret, pos + 3)) {
      s.replace(pos, secret.size(), "***");
    }
  }
}

// hclog's timestamp layout, 2006-01-02T15:04:05.000000Z07:00: go-plugin parses it with
// exactly six fractional digits and rejects the whole JSON line otherwise.
std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros % 1000000));
  return buf;
}

std::optional<Level> ParseLevel(std::string value) {
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value.empty()) return std::nullopt;
  if (value == "trace" || value == "json") return Level::kTrace;
  if (value == "debug") return Level::kDebug;
  if (value == "info") return Level::kInfo;
  if (value == "warn") return Level::kWarn;
  if (value == "error") return Level::kError;
  if (value == "off") return Level::kOff;
  return Level::kTrace;  // Terraform treats an unrecognised level as TRACE
}

}  // namespace

void InitFromEnvironment() {
  for (const char* name : {"TF_LOG_PROVIDER", "TF_LOG"}) {
    const char* v = std::getenv(name);
    if (auto level = ParseLevel(v ? v : "")) {
      SetLevel(*level);
      return;
    }
  }
  SetLevel(Level::kOff);
}

void SetLevel(Level level) { g_level.store(level, std::memory_order_relaxed); }

bool Enabled(Level level) {
  Level current = g_level.load(std::memory_order_relaxed);
  return current != Level::kOff && level != Level::kOff && level >= current;
}

void RegisterSecret(std::string secret) {
  if (secret.empty()) return;
  std::lock_guard<std::mutex> lock(SecretsMutex());
  auto& secrets = Secrets();
  if (std::find(secrets.begin(), secrets.end(), secret) != secrets.end()) return;
  secrets.push_back(std::move(secret));
  std::stable_sort(secrets.begin(), secrets.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string FormatLine(Level level, std::string_view message, Fields fields) {
  std::lock_guard<std::mutex> lock(SecretsMutex());
  // Redact raw texts before JSON escaping (a secret holding a quote is escaped in the line),
  // then the finished line as a whole.
  auto clean = [](std::string_view s) {
    std::string out(s);
    RedactLocked(out);
    return internal::JsonQuote(out);
  };
  std::string line = "{\"@level\":\"" + std::string(LevelName(level)) + "\",\"@message\":" +
                     clean(message) + ",\"@module\":\"provider\",\"@timestamp\":\"" +
                     Timestamp() + "\"";
  for (const auto& [key, value] : fields) {
    if (key.empty() || key[0] == '@') continue;  // never shadow hclog's own keys
    line += "," + clean(key) + ":" + clean(value);
  }
  line += "}";
  RedactLocked(line);
  return line;
}

void Write(Level level, std::string_view message, Fields fields) {
  if (!Enabled(level)) return;
  std::string line = FormatLine(level, message, fields);
  line += '\n';
  std::lock_guard<std::mutex> lock(OutputMutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace tf::log
