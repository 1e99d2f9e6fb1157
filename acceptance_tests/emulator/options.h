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
  // Data Center cache-replication lag: the first GET of a user, group or scheme after
  // successful writes is answered as another node that has not seen them yet would: from the
  // state before them (404 for what they created, the old value for what they changed).
  bool stale_reads = false;
  // How long the pending stale read lasts: it expires this many ms after the last write that
  // left it pending (by then the lagging node has replicated every write, since replication
  // goes in order). Negative: it never expires and waits for the next eligible read (the
  // default). `--replication-delay MS` sets it.
  int stale_reads_expire_ms = -1;
  // Data Center rate limiting (token bucket per user). Off when capacity <= 0.
  int rate_limit_capacity = 0;
  double rate_limit_refill_per_s = 0.0;
  // Tokens come in batches of refill_per_s * interval_s every interval_s seconds, as Jira's
  // X-RateLimit-FillRate / X-RateLimit-Interval-Seconds describe.
  int rate_limit_interval_s = 1;
};

// Language of Jira's messages (the instance's default language, or an account's own).
enum class Language { kEnglish, kGerman };

// Administration → General configuration → User email visibility (application property
// jira.option.emailvisible: show, mask, hide, user). [SRC 6.x EmailFormatterImpl]
enum class EmailVisibility {
  kPublic,    // "show": the address as stored
  kMasked,    // "mask": "gitlab at example dot com"
  kHidden,    // "hide": emailAddress left out of every user representation
  kLoggedIn,  // "user": shown to logged-in callers only
};

// Keys of new users. Jira 8.4 made new users' keys JIRAUSER<id> instead of the lower-cased
// username (confluence.atlassian.com/jiracore "Preparing for Jira 8.4" and "GDPR changes in
// Jira"); users created before an upgrade keep their legacy keys.
enum class KeyStyle {
  kByVersion,  // legacy before 8.4, JIRAUSER<n> from 8.4 (the default)
  kJiraUser,   // 8.4+: JIRAUSER<n>
  kLegacy,     // 6.0-8.3: lower-cased username at creation (or ID<n> when taken)
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
  KeyStyle key_style = KeyStyle::kByVersion;
  std::string context_path;                   // e.g. "/jira"; empty = API at the root
  // A redirecting proxy in front of the API: every request outside /_emulator (and, with a
  // context path, outside it) is answered `redirect_status` with Location: redirect_url +
  // the request target. Empty = none.
  std::string redirect_url;
  int redirect_status = 302;
  int captcha_after = 0;                      // failed logins before CAPTCHA; 0 = never
  int user_search_cap = 0;                    // 0: 1000, or 100 from version 10
  Language language = Language::kEnglish;     // the instance's default language
  std::map<std::string, Language> user_languages;  // username -> profile language at start
  EmailVisibility email_visibility = EmailVisibility::kPublic;
  // Whether administrators see addresses unmasked. Jira 6.x's REST UserBeanBuilder formats the
  // address for every caller, administrators included [SRC]; later versions are not confirmed
  // either way [INF], so it is a switch, off by default as in the source we have.
  bool admins_see_email = false;
  // Nested groups, an option of the user directory (Crowd "Enable nested groups"). When off,
  // group-in-group memberships are kept but ignored, as Crowd ignores them.
  bool nested_groups = false;
  std::vector<std::pair<std::string, std::string>> nests;  // (child group, parent group)
  // Groups that comments/worklogs are restricted to (deleting one needs swapGroup), created
  // when missing, and users who reported, are assigned and commented an issue each.
  std::vector<std::string> restricted_groups;
  std::vector<std::string> users_with_content;
  // /groups/picker: jira.ajax.autocomplete.limit (default 20). The resource's REST
  // documentation says the number of groups returned "is limited by" this property, while
  // the 7.x source (GroupPickerResourceHelperImpl.getLimit) uses maxResults instead when it
  // is given. Capped is the default; the switch plays the source's behaviour.
  int group_picker_limit = 20;
  // Licensed seats per application key (jira-core, jira-software); absent = unlimited.
  std::map<std::string, int> seats;
  bool group_picker_honours_max_results = false;
  // A Data Center cluster behind a load balancer (cluster.h): `nodes` > 1 spreads requests
  // without an affinity cookie round-robin over the nodes, and a node sees other nodes'
  // writes only `replication_delay` after them. 1 = a single server (no cookies set).
  int nodes = 1;
  std::chrono::milliseconds replication_delay{300};
  // The balancer's own affinity cookie: "" routes on JSESSIONID's jvmRoute suffix; "ROUTEID"
  // (Apache mod_proxy_balancer) or "AWSALB" (AWS Application Load Balancer) route on it.
  std::string balancer_cookie;
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

// What `options.version` implies, unless a flag overrides it. Every version-dependent
// behaviour of the emulator is decided here or by VersionAtLeast in the router:
//   8.0-8.2  legacy keys; `active` cannot be changed over REST (JRASERVER-37294 "Allow set
//            active/inactive user via REST API"; fixed in 8.3 [INF: fix version as reported
//            in jira-api.md]); no personal access tokens
//   8.3      `active` honoured on PUT /user
//   8.4      new users get JIRAUSER<n> keys
//   8.14     personal access tokens (Bearer) accepted ("Using Personal Access Tokens", added
//            in Jira 8.14)
//   10.0     GET /group removed; /user/search answers at most 100 users (jira-api.md §2.5
//            [OBS: JiraPS #529/#606, pycontribs PR #2356] and §1.8)
KeyStyle EffectiveKeyStyle(const Options& options);
bool VersionAtLeast(const Options& options, int major, int minor);

}  // namespace emulator
