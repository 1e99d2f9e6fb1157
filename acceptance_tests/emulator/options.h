// Configuration of an emulator instance: identity of the seeded administrator, personal access
// tokens, Jira version and deployment type, behaviour switches and injected faults.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace emulator {

// Injected faults. Applied to /rest requests only, never to /_emulator.
struct Faults {
  int latency_ms = 0;           // delay before every /rest response
  double fault_rate = 0.0;      // fraction (0..1) of requests that get one of `kinds`
  // Any of "429", "503", "drop", "lost". "lost" commits the change, then closes without reply.
  std::vector<std::string> kinds;
  int fail_next = 0;            // the next N matching requests get a fault for sure (cycling kinds)
  std::vector<std::string> methods;  // restrict random/next faults to these methods (empty = all)
  int retry_after_s = 1;        // Retry-After on injected 429s
  // Data Center cache-replication lag: the first GET of a user, group or scheme after any
  // successful write answers 404 as if another node had not seen the write yet.
  bool stale_reads = false;
  // Data Center rate limiting (token bucket per user). Off when capacity <= 0.
  int rate_limit_capacity = 0;
  double rate_limit_refill_per_s = 0.0;
};

enum class KeyStyle {
  kJiraUser,  // 8.4+: JIRAUSER<n>
  kLegacy,    // 6.0-8.3: lower-cased username at creation (or ID<n> when taken)
};

struct SeedUser {
  std::string name;
  std::string password;
  std::string display_name;
  std::string email;
  bool admin = false;  // member of jira-administrators
  bool active = true;
};

struct Options {
  std::string admin_user = "admin";
  std::string admin_password = "admin";
  std::map<std::string, std::string> tokens;  // personal access token -> username
  std::vector<SeedUser> users;                // extra users created at start
  std::vector<std::string> groups;            // extra groups created at start
  // Extra projects created at start (key, name), led by the administrator.
  std::vector<std::pair<std::string, std::string>> projects;
  // What DELETE /permissionscheme/{id} does with a scheme projects still use: false rejects it
  // (the documented advice is to reassign projects first), true moves them to the default scheme.
  bool scheme_delete_moves_projects = false;
  std::string version = "9.12.2";
  std::string deployment_type = "Server";     // "Cloud" to test Cloud rejection
  KeyStyle key_style = KeyStyle::kJiraUser;
  std::string context_path;                   // e.g. "/jira"; empty = API at the root
  int captcha_after = 0;                      // failed logins before CAPTCHA; 0 = never
  int user_search_cap = 0;                    // 0: 1000, or 100 from version 10
  Faults faults;
  uint64_t seed = 1;                          // random fault decisions are deterministic
  std::string state_file;                     // persist everything here when set
  // Socket layer only.
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 0;
  std::string tls_cert_file;
  std::string tls_key_file;
  int threads = 4;
  size_t body_limit = 1 << 20;                // larger bodies get 413
  std::chrono::seconds idle_timeout{30};
  // Time source for the rate limiter; tests inject a fake clock.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// Parses "1,2,3" style version strings; missing parts are 0.
std::vector<int> ParseVersion(const std::string& version);

}  // namespace emulator
