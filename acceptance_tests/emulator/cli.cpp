#include "acceptance_tests/emulator/cli.h"

#include <charconv>
#include <map>
#include <sstream>

#include "acceptance_tests/emulator/applications.h"
#include "acceptance_tests/emulator/i18n.h"

namespace emulator {

namespace {

bool ParseInt(const std::string& s, long long min, long long max, long long* out) {
  long long v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

bool ParseDouble(const std::string& s, double* out) {
  try {
    size_t used = 0;
    *out = std::stod(s, &used);
    return used == s.size();
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool SplitPair(const std::string& s, char sep, std::string* a, std::string* b) {
  size_t at = s.find(sep);
  if (at == std::string::npos || at == 0) return false;
  *a = s.substr(0, at);
  *b = s.substr(at + 1);
  return true;
}

}  // namespace

std::string Usage() {
  return R"(usage: jira-emulator [flags]
  --listen HOST:PORT          address to bind (default 127.0.0.1:0, 0 = free port)
  --admin-user NAME           administrator username (default admin)
  --admin-password PASSWORD   administrator password (default admin)
  --token USER=TOKEN          accept personal access token TOKEN as USER (repeatable)
  --seed-user NAME=PASSWORD   create a regular user at start (repeatable)
  --seed-admin NAME=PASSWORD  create another administrator at start (repeatable)
  --group NAME                create a group at start (repeatable)
  --project KEY=NAME          create a project at start, led by the administrator (repeatable)
  --scheme-delete-moves-projects
                              deleting a permission scheme in use moves its projects to the
                              default scheme instead of being refused
  --state FILE                persist all state to FILE (atomic writes) and reload it on start
  --tls-cert FILE --tls-key FILE   serve https with this PEM certificate chain and key
  --context PATH              serve the API below a context path, e.g. /jira
  --jira-version X.Y.Z        the Jira to play (default 9.12.2); switches every
                              version-dependent behaviour: legacy user keys before 8.4,
                              `active` ignored by PUT /user before 8.3, personal access
                              tokens from 8.14, no GET /group and /user/search capped at
                              100 from 10.0 (profiles: 8.0 8.3 8.4 8.5 8.20 9.4 9.12 10.3)
  --deployment-type TYPE      Server (default) or Cloud
  --key-style STYLE           keys of new users: version (default: legacy before 8.4,
                              JIRAUSER<n> from 8.4), jirauser or legacy (lower-cased name)
  --captcha-after N           CAPTCHA-lock a user after N failed logins (default 0 = never)
  --user-search-cap N         max results of /user/search (default: 1000, 100 from 10.0)
  --latency-ms N              delay every /rest response by N ms
  --fault-rate F              fraction 0..1 of /rest requests that get a fault
  --fault-kinds LIST          comma list of 429,503,drop,lost (lost = commit, never answer)
  --fault-methods LIST        only fault these methods (e.g. POST,PUT)
  --fail-next N               fault exactly the next N requests
  --retry-after S             Retry-After seconds on injected 429/503 (default 1)
  --rate-limit CAP/REFILL     token bucket per user: capacity and tokens per second
  --rate-limit-interval S     the bucket refills in batches every S seconds (default 1)
  --stale-reads               first GET of a user/group/scheme after writes answers from the
                              state before them (404 for what they created, old values); it
                              stays pending until that read unless --replication-delay is
                              given, after which it expires MS ms after the last write
  --nodes N                   play a Data Center cluster of N nodes (default 1) behind a
                              load balancer: requests without an affinity cookie go to the
                              nodes round-robin; a node answers with JSESSIONID=<id>.node<n>
                              (Path = context path, HttpOnly) and X-ANODEID, and a request
                              carrying a node's cookie goes to that node
  --replication-delay MS      a node sees other nodes' writes MS ms after them (default 300;
                              Jira 7.9+ replicates caches asynchronously); with --stale-reads,
                              a pending stale read expires MS ms after the last write
  --balancer-cookie NAME      the balancer routes on its own cookie instead of JSESSIONID:
                              ROUTEID (Apache, ".node<n>") or AWSALB (AWS ALB, opaque)
  --seed N                    seed of the fault random generator (default 1)
  --threads N                 worker threads (default 4)
  --body-limit BYTES          largest accepted request body (default 1048576; more = 413)
  --idle-timeout S            close idle connections after S seconds (default 30)
  --language en|de            default language of error texts (default en); same status
                              codes and error keys in every language
  --user-language NAME=en|de  profile language of user NAME (seeded or admin); their
                              requests are answered in it (repeatable)
  --email-visibility MODE     public (default), masked ("bob at example dot com"), hidden
                              (emailAddress left out) or logged-in, for every user answer
  --admins-see-email          administrators see addresses unmasked (not Jira 6.x behaviour)
  --nested-groups             the user directory nests groups: memberships are inherited
                              through --nest links (expand=groups, /group/member, permissions)
  --nest CHILD:PARENT         make group CHILD a member of group PARENT at start, creating
                              both if needed (repeatable; ignored without --nested-groups)
  --restricted-group NAME     comments/worklogs are restricted to group NAME (created if
                              missing): DELETE /group needs swapGroup (repeatable)
  --user-with-content NAME    user NAME reported, is assigned and commented an issue:
                              DELETE /user is refused (repeatable)
  --group-picker-limit N      jira.ajax.autocomplete.limit: /groups/picker returns at most N
                              groups whatever maxResults says (default 20)
  --group-picker-honours-max-results
                              maxResults replaces the limit when given (Jira 7.x source)
  --redirect URL              play a redirecting proxy: every request (outside --context, when
                              set) is answered 302 with Location: URL + path?query, e.g.
                              https://jira.example.com or http://127.0.0.1:8080/jira
  --redirect-status N         301, 302 (default), 307 or 308
  --seats APP=N               licensed seats of application APP (jira-software, jira-core);
                              unlimited by default (repeatable)
  --help                      this text
Run-time control (no auth): GET /_emulator/stats, GET|POST /_emulator/faults, POST /_emulator/reset
  GET /_emulator/stats        requests per route, faults, and first_request_at/last_answer_at:
                              when the first request (outside /_emulator) was received and the
                              last answered, in seconds since the Unix epoch; and
                              longest_pause_s, the longest time between an answer and the
                              next request, with requests_before_pause answered before it
  DELETE /_emulator/stats     zero the counters and those times (the state stays)
  POST /_emulator/replicate   finish every pending replication (cluster and --stale-reads)
  POST /_emulator/user-language {"username":NAME,"language":"de"|"en"|null}
  POST /_emulator/nest, POST /_emulator/unnest {"child":GROUP,"parent":GROUP}
  POST /_emulator/seats {"application":APP,"seats":N|null}
  POST /_emulator/restricted-group {"group":NAME,"items":N}  (0 lifts the restriction)
  POST /_emulator/user-content {"username":NAME,"reported":N,"assigned":N,"comments":N}
)";
}

CliResult ParseCommandLine(const std::vector<std::string>& args, Options* o, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_value = false;
    if (size_t eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      has_value = true;
    }
    if (flag == "--help" || flag == "-h") return CliResult::kHelp;
    auto need = [&]() -> bool {
      if (has_value) return true;
      if (i + 1 >= args.size()) {
        *error = flag + " needs a value";
        return false;
      }
      value = args[++i];
      return true;
    };
    auto bad = [&](const std::string& what) {
      *error = "invalid value '" + value + "' for " + flag + ": " + what;
      return CliResult::kError;
    };
    long long n = 0;
    if (flag == "--listen") {
      if (!need()) return CliResult::kError;
      size_t colon = value.rfind(':');
      if (colon == std::string::npos) return bad("expected HOST:PORT");
      std::string host = value.substr(0, colon);
      if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      if (!ParseInt(value.substr(colon + 1), 0, 65535, &n)) return bad("bad port");
      o->listen_host = host.empty() ? "127.0.0.1" : host;
      o->listen_port = static_cast<uint16_t>(n);
    } else if (flag == "--admin-user") {
      if (!need()) return CliResult::kError;
      o->admin_user = value;
    } else if (flag == "--admin-password") {
      if (!need()) return CliResult::kError;
      o->admin_password = value;
    } else if (flag == "--token") {
      if (!need()) return CliResult::kError;
      std::string user, token;
      if (!SplitPair(value, '=', &user, &token) || token.empty()) return bad("expected USER=TOKEN");
      o->tokens[token] = user;
    } else if (flag == "--seed-user" || flag == "--seed-admin") {
      if (!need()) return CliResult::kError;
      SeedUser u;
      if (!SplitPair(value, '=', &u.name, &u.password)) return bad("expected NAME=PASSWORD");
      u.admin = flag == "--seed-admin";
      o->users.push_back(u);
    } else if (flag == "--group") {
      if (!need()) return CliResult::kError;
      o->groups.push_back(value);
    } else if (flag == "--project") {
      if (!need()) return CliResult::kError;
      std::string key, name;
      if (!SplitPair(value, '=', &key, &name) || key.empty() || name.empty()) {
        return bad("expected KEY=NAME");
      }
      o->projects.emplace_back(key, name);
    } else if (flag == "--scheme-delete-moves-projects") {
      o->scheme_delete_moves_projects = true;
    } else if (flag == "--state") {
      if (!need()) return CliResult::kError;
      o->state_file = value;
    } else if (flag == "--tls-cert") {
      if (!need()) return CliResult::kError;
      o->tls_cert_file = value;
    } else if (flag == "--tls-key") {
      if (!need()) return CliResult::kError;
      o->tls_key_file = value;
    } else if (flag == "--context") {
      if (!need()) return CliResult::kError;
      while (!value.empty() && value.back() == '/') value.pop_back();
      if (!value.empty() && value.front() != '/') value = "/" + value;
      o->context_path = value;
    } else if (flag == "--jira-version" || flag == "--version") {
      if (!need()) return CliResult::kError;
      if (ParseVersion(value)[0] == 0) return bad("expected X.Y.Z");
      o->version = value;
    } else if (flag == "--deployment-type") {
      if (!need()) return CliResult::kError;
      if (value != "Server" && value != "Cloud") return bad("expected Server or Cloud");
      o->deployment_type = value;
    } else if (flag == "--key-style") {
      if (!need()) return CliResult::kError;
      if (value == "version") o->key_style = KeyStyle::kByVersion;
      else if (value == "jirauser") o->key_style = KeyStyle::kJiraUser;
      else if (value == "legacy") o->key_style = KeyStyle::kLegacy;
      else return bad("expected version, jirauser or legacy");
    } else if (flag == "--captcha-after") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 0, 1000000, &n)) return bad("expected a count");
      o->captcha_after = static_cast<int>(n);
    } else if (flag == "--user-search-cap") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 1, 100000, &n)) return bad("expected a count");
      o->user_search_cap = static_cast<int>(n);
    } else if (flag == "--latency-ms") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 0, 600000, &n)) return bad("expected milliseconds");
      o->faults.latency_ms = static_cast<int>(n);
    } else if (flag == "--fault-rate") {
      if (!need()) return CliResult::kError;
      double f = 0;
      if (!ParseDouble(value, &f) || f < 0 || f > 1) return bad("expected a fraction 0..1");
      o->faults.fault_rate = f;
    } else if (flag == "--fault-kinds") {
      if (!need()) return CliResult::kError;
      o->faults.kinds = SplitComma(value);
      for (const auto& k : o->faults.kinds) {
        if (k != "429" && k != "503" && k != "drop" && k != "lost") return bad("unknown kind " + k);
      }
    } else if (flag == "--fault-methods") {
      if (!need()) return CliResult::kError;
      o->faults.methods = SplitComma(value);
    } else if (flag == "--fail-next") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 0, 1000000000, &n)) return bad("expected a count");
      o->faults.fail_next = static_cast<int>(n);
    } else if (flag == "--retry-after") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 0, 86400, &n)) return bad("expected seconds");
      o->faults.retry_after_s = static_cast<int>(n);
    } else if (flag == "--rate-limit") {
      if (!need()) return CliResult::kError;
      std::string cap, refill;
      double r = 0;
      if (!SplitPair(value, '/', &cap, &refill) || !ParseInt(cap, 1, 1000000, &n) ||
          !ParseDouble(refill, &r) || r < 0) {
        return bad("expected CAPACITY/REFILL-PER-SECOND, e.g. 10/2");
      }
      o->faults.rate_limit_capacity = static_cast<int>(n);
      o->faults.rate_limit_refill_per_s = r;
    } else if (flag == "--language") {
      if (!need()) return CliResult::kError;
      if (!ParseLanguage(value, &o->language)) return bad("expected en or de");
    } else if (flag == "--user-language") {
      if (!need()) return CliResult::kError;
      std::string user, lang;
      Language language;
      if (!SplitPair(value, '=', &user, &lang) || !ParseLanguage(lang, &language)) {
        return bad("expected NAME=en or NAME=de");
      }
      o->user_languages[user] = language;
    } else if (flag == "--email-visibility") {
      if (!need()) return CliResult::kError;
      if (value == "public") o->email_visibility = EmailVisibility::kPublic;
      else if (value == "masked") o->email_visibility = EmailVisibility::kMasked;
      else if (value == "hidden") o->email_visibility = EmailVisibility::kHidden;
      else if (value == "logged-in") o->email_visibility = EmailVisibility::kLoggedIn;
      else return bad("expected public, masked, hidden or logged-in");
    } else if (flag == "--admins-see-email") {
      o->admins_see_email = true;
    } else if (flag == "--nested-groups") {
      o->nested_groups = true;
    } else if (flag == "--nest") {
      if (!need()) return CliResult::kError;
      std::string child, parent;
      if (!SplitPair(value, ':', &child, &parent) || parent.empty()) {
        return bad("expected CHILD:PARENT");
      }
      o->nests.emplace_back(child, parent);
    } else if (flag == "--restricted-group") {
      if (!need()) return CliResult::kError;
      if (value.empty()) return bad("expected a group name");
      o->restricted_groups.push_back(value);
    } else if (flag == "--user-with-content") {
      if (!need()) return CliResult::kError;
      if (value.empty()) return bad("expected a username");
      o->users_with_content.push_back(value);
    } else if (flag == "--group-picker-limit") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 0, 100000, &n)) return bad("expected a count");
      o->group_picker_limit = static_cast<int>(n);
    } else if (flag == "--group-picker-honours-max-results") {
      o->group_picker_honours_max_results = true;
    } else if (flag == "--redirect") {
      if (!need()) return CliResult::kError;
      while (!value.empty() && value.back() == '/') value.pop_back();
      if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
        return bad("expected an http:// or https:// URL");
      }
      o->redirect_url = value;
    } else if (flag == "--redirect-status") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 301, 308, &n) || (n != 301 && n != 302 && n != 307 && n != 308)) {
        return bad("expected 301, 302, 307 or 308");
      }
      o->redirect_status = static_cast<int>(n);
    } else if (flag == "--seats") {
      if (!need()) return CliResult::kError;
      std::string app, count;
      if (!SplitPair(value, '=', &app, &count) || !FindApplication(app) ||
          !ParseInt(count, 0, 100000000, &n)) {
        return bad("expected jira-software=N or jira-core=N");
      }
      o->seats[app] = static_cast<int>(n);
    } else if (flag == "--rate-limit-interval") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 1, 86400, &n)) return bad("expected seconds");
      o->faults.rate_limit_interval_s = static_cast<int>(n);
    } else if (flag == "--stale-reads") {
      o->faults.stale_reads = true;
    } else if (flag == "--nodes") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 1, 64, &n)) return bad("expected 1..64");
      o->nodes = static_cast<int>(n);
    } else if (flag == "--replication-delay") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 0, 600000, &n)) return bad("expected milliseconds");
      o->replication_delay = std::chrono::milliseconds(n);
      o->faults.stale_reads_expire_ms = static_cast<int>(n);
    } else if (flag == "--balancer-cookie") {
      if (!need()) return CliResult::kError;
      if (value != "ROUTEID" && value != "AWSALB") return bad("expected ROUTEID or AWSALB");
      o->balancer_cookie = value;
    } else if (flag == "--seed") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 0, INT64_MAX, &n)) return bad("expected a number");
      o->seed = static_cast<uint64_t>(n);
    } else if (flag == "--threads") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 1, 256, &n)) return bad("expected 1..256");
      o->threads = static_cast<int>(n);
    } else if (flag == "--body-limit") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 1, 1LL << 32, &n)) return bad("expected bytes");
      o->body_limit = static_cast<size_t>(n);
    } else if (flag == "--idle-timeout") {
      if (!need()) return CliResult::kError;
      if (!ParseInt(value, 1, 86400, &n)) return bad("expected seconds");
      o->idle_timeout = std::chrono::seconds(n);
    } else {
      *error = "unknown flag " + flag;
      return CliResult::kError;
    }
  }
  if (o->tls_cert_file.empty() != o->tls_key_file.empty()) {
    *error = "--tls-cert and --tls-key go together";
    return CliResult::kError;
  }
  return CliResult::kRun;
}

}  // namespace emulator
