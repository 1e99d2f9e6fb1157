#include "acceptance_tests/emulator/router.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include "acceptance_tests/emulator/applications.h"
#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router_context.h"
#include "acceptance_tests/emulator/state_file.h"

namespace emulator {

namespace {

// [INF] Jira answers non-admins with a 403 ErrorCollection; the exact English text varies
// per resource and is not documented, so one plausible sentence ("auth.admin.required") is
// used everywhere.

// Splits "a/b/c" into segments, URL-decoding each (so %2F inside a segment stays one segment).
std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    out.push_back(UrlDecode(path.substr(0, slash), false));
    if (slash == std::string_view::npos) break;
    path = path.substr(slash + 1);
  }
  return out;
}

bool MatchPattern(const std::vector<std::string>& pattern, const std::vector<std::string>& segs,
                  std::vector<std::string>* params) {
  if (pattern.size() != segs.size()) return false;
  params->clear();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!pattern[i].empty() && pattern[i].front() == '{') {
      if (segs[i].empty()) return false;
      params->push_back(segs[i]);
    } else if (pattern[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

std::string FormatRate(double v) {
  if (v == std::floor(v)) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool IsMutating(const std::string& method) { return method != "GET" && method != "HEAD"; }

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

const std::vector<Router::Route>& Router::Routes() {
  using A = AuthStyle;
  static const std::vector<Route> kRoutes = {
      {"GET", "serverInfo", A::kAnonymous, &Router::ServerInfo, false},
      {"GET", "myself", A::kErrorCollection, &Router::Myself, false},
      {"GET", "permissions", A::kStatusEntity, &Router::Permissions, true},
      {"POST", "user", A::kErrorCollection, &Router::CreateUser, true},
      {"GET", "user", A::kErrorCollection, &Router::GetUser, false},
      {"PUT", "user", A::kErrorCollection, &Router::UpdateUser, true},
      {"DELETE", "user", A::kErrorCollection, &Router::DeleteUser, true},
      {"PUT", "user/password", A::kErrorCollection, &Router::ChangePassword, true},
      {"GET", "user/search", A::kErrorCollection, &Router::SearchUsers, false},
      {"POST", "user/application", A::kErrorCollection, &Router::AddUserToApplication, true},
      {"DELETE", "user/application", A::kErrorCollection, &Router::RemoveUserFromApplication,
       true},
      {"GET", "applicationrole", A::kErrorCollection, &Router::ListApplicationRoles, true},
      {"GET", "applicationrole/{key}", A::kErrorCollection, &Router::GetApplicationRole, true},
      {"GET", "role", A::kErrorCollection, &Router::ListProjectRoles, false},
      {"POST", "group", A::kStatusEntity, &Router::CreateGroup, true},
      {"GET", "group", A::kStatusEntity, &Router::GetGroup, true},
      {"DELETE", "group", A::kStatusEntity, &Router::DeleteGroup, true},
      {"GET", "group/member", A::kStatusEntity, &Router::GroupMembers, true},
      {"POST", "group/user", A::kStatusEntity, &Router::AddToGroup, true},
      {"DELETE", "group/user", A::kStatusEntity, &Router::RemoveFromGroup, true},
      {"GET", "groups/picker", A::kStatusEntity, &Router::GroupPicker, false},
      {"GET", "permissionscheme", A::kStatusEntity, &Router::ListSchemes, true},
      {"POST", "permissionscheme", A::kStatusEntity, &Router::CreateScheme, true},
      {"GET", "permissionscheme/{schemeId}", A::kStatusEntity, &Router::GetScheme, true},
      {"PUT", "permissionscheme/{schemeId}", A::kStatusEntity, &Router::UpdateScheme, true},
      {"DELETE", "permissionscheme/{schemeId}", A::kStatusEntity, &Router::DeleteScheme, true},
      {"GET", "permissionscheme/{schemeId}/permission", A::kStatusEntity, &Router::ListGrants,
       true},
      {"POST", "permissionscheme/{schemeId}/permission", A::kStatusEntity, &Router::AddGrant,
       true},
      {"GET", "permissionscheme/{schemeId}/permission/{permissionId}", A::kStatusEntity,
       &Router::GetGrant, true},
      {"DELETE", "permissionscheme/{schemeId}/permission/{permissionId}", A::kStatusEntity,
       &Router::DeleteGrant, true},
      {"GET", "project/{projectKeyOrId}/permissionscheme", A::kStatusEntity,
       &Router::GetProjectScheme, true},
      {"PUT", "project/{projectKeyOrId}/permissionscheme", A::kStatusEntity,
       &Router::AssignProjectScheme, true},
      {"GET", "project", A::kAnonymous, &Router::ListProjects, false},
      {"POST", "project", A::kErrorCollection, &Router::CreateProject, true},
      {"GET", "project/{projectIdOrKey}", A::kAnonymous, &Router::GetProject, false},
      {"DELETE", "project/{projectIdOrKey}", A::kErrorCollection, &Router::DeleteProject, true},
  };
  return kRoutes;
}

Router::Router(Options options)
    : options_(std::move(options)),
      cluster_(options_.nodes, options_.replication_delay, options_.balancer_cookie,
               options_.seed) {
  version_ = ParseVersion(options_.version);
  rng_.seed(options_.seed);
  store_ = Store::Seed(options_);
  if (!options_.state_file.empty()) {
    if (auto saved = ReadStateFile(options_.state_file)) {
      try {
        store_ = Store::FromJson(*saved);
      } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("corrupt state file " + options_.state_file + ": " + e.what());
      }
    } else {
      Persist();
    }
  }
}

std::chrono::steady_clock::time_point Router::Now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

bool Router::VersionAtLeast(int major, int minor) const {
  return version_[0] > major || (version_[0] == major && version_[1] >= minor);
}

bool Router::IsAdmin(const std::string& user_key) {
  // Global permissions follow effective membership, nested groups included. [DOC: "Managing
  // nested groups", Jira admin guide: a member of a child group has the parent's permissions]
  return store_.IsEffectiveMember(kAdminGroup, user_key, options_.nested_groups);
}

void Router::Persist() {
  if (options_.state_file.empty()) return;
  std::string error;
  if (!WriteStateFile(options_.state_file, store_.ToJson(), &error)) {
    std::fprintf(stderr, "jira-emulator: %s\n", error.c_str());
  }
}

nlohmann::json Router::Stats() const {
  std::lock_guard lock(mu_);
  nlohmann::json out = {{"total", total_}, {"requests", stats_}, {"faults", fault_stats_}};
  out["first_request_at"] = first_request_at_ > 0 ? nlohmann::json(first_request_at_) : nullptr;
  out["last_answer_at"] = last_answer_at_ > 0 ? nlohmann::json(last_answer_at_) : nullptr;
  out["longest_pause_s"] = longest_pause_s_;
  out["requests_before_pause"] = requests_before_pause_;
  if (cluster_.active()) out["nodes"] = cluster_.Served();
  return out;
}

void Router::ClearStats() {
  std::lock_guard lock(mu_);
  ClearStatsLocked();
}

void Router::ClearStatsLocked() {
  stats_.clear();
  fault_stats_.clear();
  total_ = 0;
  first_request_at_ = 0;
  last_answer_at_ = 0;
  longest_pause_s_ = 0;
  requests_before_pause_ = 0;
}

void Router::NoteAnswered(double received) {
  // Requests are answered one at a time under mu_, and total_ already counts this one.
  if (last_answer_at_ > 0 && received - last_answer_at_ > longest_pause_s_) {
    longest_pause_s_ = received - last_answer_at_;
    requests_before_pause_ = total_ - 1;
  }
  if (first_request_at_ == 0 || received < first_request_at_) first_request_at_ = received;
  last_answer_at_ = std::max(last_answer_at_, WallSeconds());
}

void Router::Replicate() {
  std::lock_guard lock(mu_);
  cluster_.CatchUp();
  stale_pending_ = false;
  stale_before_.reset();
}

void Router::SetFaults(const Faults& faults) {
  std::lock_guard lock(mu_);
  options_.faults = faults;
  fault_cursor_ = 0;
  stale_pending_ = false;
  stale_before_.reset();
  buckets_.clear();
}

Faults Router::GetFaults() const {
  std::lock_guard lock(mu_);
  return options_.faults;
}

void Router::Reset() {
  std::lock_guard lock(mu_);
  store_ = Store::Seed(options_);
  ClearStatsLocked();
  buckets_.clear();
  cluster_.CatchUp();
  Persist();
}

void Router::WithStore(const std::function<void(Store&)>& f) {
  std::lock_guard lock(mu_);
  f(store_);
  cluster_.CatchUp();  // arranged state is every node's
  Persist();
}

std::string Router::PickFault(const std::string& method) {
  const Faults& f = options_.faults;
  if (f.kinds.empty()) return "";
  if (!f.methods.empty()) {
    bool match = false;
    for (const auto& m : f.methods) match = match || EqualsIgnoreCase(m, method);
    if (!match) return "";
  }
  if (f.fail_next > 0) {
    --options_.faults.fail_next;
    return f.kinds[static_cast<size_t>(fault_cursor_++) % f.kinds.size()];
  }
  if (f.fault_rate <= 0) return "";
  std::uniform_real_distribution<double> dist(0.0, 1.0);
  if (dist(rng_) >= f.fault_rate) return "";
  std::uniform_int_distribution<size_t> pick(0, f.kinds.size() - 1);
  return f.kinds[pick(rng_)];
}

Response Router::Handle(const Request& request) {
  std::string path = request.target;
  std::string query;
  if (size_t q = path.find('?'); q != std::string::npos) {
    query = path.substr(q + 1);
    path.resize(q);
  }
  // /_emulator lives outside /rest, with or without the context path, and needs no auth.
  std::string local = path;
  const std::string& context = options_.context_path;
  const bool inside_context =
      !context.empty() && local.rfind(context, 0) == 0 &&
      (local.size() == context.size() || local[context.size()] == '/');
  const bool emulator_path = path.rfind("/_emulator/", 0) == 0 ||
                             (inside_context && path.rfind(context + "/_emulator/", 0) == 0);
  const double received = emulator_path ? 0 : WallSeconds();
  if (!options_.redirect_url.empty() && !emulator_path && (context.empty() || !inside_context)) {
    // A reverse proxy in front of Jira that redirects (http to https, or a request without
    // the context path to one with it), as the proxy guides in Atlassian's "Integrating Jira
    // with Apache/nginx using SSL" set up. The proxy answers by itself: no Jira headers, no
    // authentication, nothing counted against the API. [RFC 9110 §15.4]
    std::lock_guard lock(mu_);
    ++total_;
    ++stats_[request.method + " (redirected)"];
    Response r = HtmlResponse(options_.redirect_status, "Moved",
                              "The document has moved to " + options_.redirect_url +
                                  request.target);
    r.SetHeader("Location", options_.redirect_url + request.target);
    NoteAnswered(received);
    return r;
  }
  if (inside_context) {
    local = local.substr(context.size());
  } else if (!context.empty() && path.rfind("/_emulator/", 0) != 0) {
    std::lock_guard lock(mu_);
    ++total_;
    ++stats_[request.method + " (unmatched)"];
    NoteAnswered(received);
    return StatusEntity(404, "null for uri: " + request.target);
  }
  if (local.rfind("/_emulator/", 0) == 0) return HandleEmulator(request, local);
  std::lock_guard lock(mu_);
  // The load balancer of a cluster picks the node first (cluster.h).
  std::optional<Cluster::Route> route;
  if (cluster_.active()) route = cluster_.Pick(request);
  node_ = route ? route->node : 0;
  Response r = HandleRest(request, local, query);
  if (route) cluster_.Decorate(*route, context.empty() ? "/" : context, &r);
  r.SetHeader("X-AREQUESTID", std::to_string(++request_seq_));
  if (!r.Header("Cache-Control")) r.SetHeader("Cache-Control", "no-cache, no-store, no-transform");
  NoteAnswered(received);
  return r;
}

Response Router::HandleRest(const Request& req, const std::string& path, const std::string& raw_query) {
  ++total_;
  Ctx c{req, Query::Parse(raw_query), {}, {}, nullptr, nullptr, options_.language};
  {
    auto host = req.headers.find("Host");
    c.base = std::string(req.secure ? "https://" : "http://") +
             (host != req.headers.end() ? host->second : std::string("localhost")) +
             options_.context_path;
  }
  std::string full_uri = c.base + path + (raw_query.empty() ? "" : "?" + raw_query);

  // Match the route: /rest/api/{2|latest}/<pattern>.
  const Route* route = nullptr;
  bool path_known = false;
  std::vector<std::string> params;
  std::vector<std::string> segs = SplitPath(path.size() > 0 ? std::string_view(path).substr(1) : "");
  if (segs.size() >= 4 && segs[0] == "rest" && segs[1] == "api" &&
      (segs[2] == "2" || segs[2] == "latest")) {
    std::vector<std::string> rest(segs.begin() + 3, segs.end());
    for (const auto& r : Routes()) {
      if (!MatchPattern(SplitPath(r.pattern), rest, &params)) continue;
      path_known = true;
      if (req.method == r.method) {
        route = &r;
        break;
      }
    }
  }
  if (!route) {
    ++stats_[req.method + " (unmatched)"];
    if (path_known) return EmptyResponse(405);  // Jersey: known resource, wrong method
    return StatusEntity(404, "null for uri: " + full_uri);
  }
  c.params = params;
  ++stats_[std::string(route->method) + " /rest/api/2/" + route->pattern];

  // Injected faults come first: they model an overloaded proxy or a flaky network.
  Response out;
  std::string fault = PickFault(req.method);
  if (!fault.empty()) ++fault_stats_[fault];
  auto finish = [&](Response r) {
    r.delay_ms = options_.faults.latency_ms;
    return r;
  };
  if (fault == "429") {
    Response r = ErrorCollection(429, {"Too many requests"});
    r.SetHeader("Retry-After", std::to_string(options_.faults.retry_after_s));
    return finish(r);
  }
  if (fault == "503") {
    Response r = HtmlResponse(503, "Service Unavailable", "The server is temporarily unavailable.");
    r.SetHeader("Retry-After", std::to_string(options_.faults.retry_after_s));
    return finish(r);
  }
  if (fault == "drop") {
    Response r;
    r.delivery = Delivery::kDrop;
    return finish(r);
  }

  // Authentication (Seraph). Login attempted only when an Authorization header is present.
  std::string login_reason;
  if (auto auth = req.headers.find("Authorization"); auth != req.headers.end()) {
    const std::string& value = auth->second;
    auto failed = [&](User* u) {
      if (u) ++store_.failed_logins[u->key];
      Response r = HtmlResponse(401, "Unauthorized",
                                "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED");
      r.SetHeader("X-Seraph-LoginReason", "AUTHENTICATED_FAILED");
      r.SetHeader("X-AUSERNAME", "anonymous");
      r.SetHeader("WWW-Authenticate", "OAuth realm=\"" + c.base + "\"");
      return finish(r);
    };
    if (value.size() > 6 && EqualsIgnoreCase(value.substr(0, 6), "Basic ")) {
      std::string decoded;
      if (!Base64Decode(value.substr(6), &decoded)) return failed(nullptr);
      size_t colon = decoded.find(':');
      std::string name = decoded.substr(0, colon);
      std::string password = colon == std::string::npos ? "" : decoded.substr(colon + 1);
      User* u = store_.FindUserByName(name);
      if (u && options_.captcha_after > 0 &&
          store_.failed_logins[u->key] >= options_.captcha_after) {
        // Denied even with the right password until someone solves the CAPTCHA.
        Response r = HtmlResponse(403, "Forbidden",
                                  "Basic Authentication Failure - Reason : AUTHENTICATION_DENIED");
        r.SetHeader("X-Seraph-LoginReason", "AUTHENTICATION_DENIED");
        r.SetHeader("X-Authentication-Denied-Reason",
                    "CAPTCHA_CHALLENGE; login-url=" + c.base + "/login.jsp");
        r.SetHeader("X-AUSERNAME", "anonymous");
        return finish(r);
      }
      if (!u || u->password != password || !u->active) return failed(u);
      store_.failed_logins.erase(u->key);
      c.caller = u;
    } else if (value.size() > 7 && EqualsIgnoreCase(value.substr(0, 7), "Bearer ")) {
      auto tok = options_.tokens.find(value.substr(7));
      User* u = tok == options_.tokens.end() ? nullptr : store_.FindUserByName(tok->second);
      // Personal access tokens exist from Jira 8.14; before, no token is valid. [DOC]
      if (!VersionAtLeast(8, 14)) u = nullptr;
      // [INF] A bad PAT is answered like a failed basic login, without counting towards the
      // CAPTCHA (PATs are believed not to trigger it).
      if (!u || !u->active) return failed(nullptr);
      c.caller = u;
    } else {
      return failed(nullptr);
    }
    login_reason = "OK";
    if (c.caller->language) c.language = *c.caller->language;
  }
  auto decorate = [&](Response r) {
    r.SetHeader("X-AUSERNAME", c.caller ? c.caller->name : "anonymous");
    if (!login_reason.empty()) r.SetHeader("X-Seraph-LoginReason", login_reason);
    return finish(std::move(r));
  };

  if (!c.caller && route->auth == AuthStyle::kErrorCollection) {
    return decorate(ErrorCollection(401, {c.T("auth.required")}));
  }
  if (!c.caller && route->auth == AuthStyle::kStatusEntity) {
    return decorate(StatusEntity(401, c.T("auth.client.required")));
  }

  // Data Center rate limiting (Jira 8.6+): a token bucket per user. Atlassian, "Rate
  // limiting HTTP headers" (confluence.atlassian.com/doc/_ratelimiting_httpheaders-992678779.html):
  // X-RateLimit-Limit is the capacity ("Max requests"); X-RateLimit-Remaining the tokens left;
  // "you get a batch of new tokens every time interval": X-RateLimit-FillRate tokens every
  // X-RateLimit-Interval-Seconds; Retry-After is "how long you need to wait until you get new
  // tokens. If you still have tokens left, it shows 0". Headers go on every answer to a
  // limited user. [INF] The batches are counted from the bucket's first request (the phase
  // is not documented), a refused request costs no token, the 429 has an empty body, and
  // anonymous callers share one bucket.
  std::vector<std::pair<std::string, std::string>> rate_headers;
  if (options_.faults.rate_limit_capacity > 0) {
    const double capacity = options_.faults.rate_limit_capacity;
    const int interval_s = std::max(1, options_.faults.rate_limit_interval_s);
    const double fill = options_.faults.rate_limit_refill_per_s * interval_s;  // per interval
    const auto interval = std::chrono::seconds(interval_s);
    auto now = Now();
    std::string bucket_key = c.caller ? c.caller->key : "";
    auto [it, fresh] = buckets_.try_emplace(bucket_key);
    Bucket& b = it->second;
    if (fresh) {
      b.tokens = capacity;
      b.last = now;  // the start of the first interval
      b.batches = 0;
    } else if (now > b.last) {
      const int64_t batches = (now - b.last) / interval;
      if (batches > b.batches) {
        b.tokens = std::min(capacity, b.tokens + fill * static_cast<double>(batches - b.batches));
        b.batches = batches;
      }
    }
    bool allowed = b.tokens >= 1.0;
    if (allowed) b.tokens -= 1.0;
    int64_t retry_after = 0;
    if (!allowed) {
      if (fill > 0) {
        const int64_t more = static_cast<int64_t>(std::ceil((1.0 - b.tokens) / fill));
        const auto at = b.last + interval * (b.batches + more);
        retry_after = static_cast<int64_t>(
            std::ceil(std::chrono::duration<double>(at - now).count()));
      } else {
        retry_after = 60;
      }
      if (retry_after < 1) retry_after = 1;
    }
    rate_headers = {{"X-RateLimit-Limit", std::to_string(options_.faults.rate_limit_capacity)},
                    {"X-RateLimit-Remaining", std::to_string(static_cast<int64_t>(b.tokens))},
                    {"X-RateLimit-Interval-Seconds", std::to_string(interval_s)},
                    {"X-RateLimit-FillRate", FormatRate(fill)},
                    {"Retry-After", std::to_string(retry_after)}};
    if (!allowed) {
      ++fault_stats_["rate-limited"];
      Response r = EmptyResponse(429);
      for (auto& [k, v] : rate_headers) r.SetHeader(k, v);
      return decorate(r);
    }
  }

  // XSRF filter: form-like POSTs need X-Atlassian-Token. JSON never trips it.
  if (req.method == "POST") {
    auto ct = req.headers.find("Content-Type");
    std::string type = ct == req.headers.end() ? "" : ToLower(ct->second);
    bool formish = type.rfind("application/x-www-form-urlencoded", 0) == 0 ||
                   type.rfind("multipart/form-data", 0) == 0 || type.rfind("text/plain", 0) == 0;
    auto token = req.headers.find("X-Atlassian-Token");
    bool exempt = token != req.headers.end() &&
                  (token->second == "no-check" || token->second == "nocheck");
    if (formish && !exempt) return decorate(StatusEntity(403, "XSRF check failed"));
  }

  if (route->admin_only && !IsAdmin(c.caller->key)) {
    std::string message = route->handler == &Router::CreateUser
                              ? c.T("auth.create.user.denied")
                              : c.T("auth.admin.required");
    return decorate(ErrorCollection(403, {message}));
  }

  if (!req.body.empty()) {
    try {
      c.body = nlohmann::json::parse(req.body);
    } catch (const nlohmann::json::exception& e) {
      // [INF] Jackson's parse failure surfaces as a 400; the wording is Jersey-internal.
      // Not only parse_error: a number beyond double's range is nlohmann's out_of_range.
      return decorate(ErrorCollection(400, {c.T("request.json.invalid", {e.what()})}));
    }
  }

  // A cluster node reads through its lagging cache; writes go to the shared database.
  std::shared_ptr<const Store> view;
  if (cluster_.active()) {
    if (IsMutating(req.method)) {
      cluster_.BeforeWrite(store_, Now());
    } else {
      view = cluster_.ViewOf(node_, Now());
    }
  }
  // --stale-reads: the first read of a user, group or scheme after writes is answered by a
  // node that has not seen them yet, from the state before them (cluster.h cites the
  // asynchronous cache replication this plays): 404 for what they created, the old value
  // for what they changed, while what existed before reads as it was.
  // Replication is asynchronous but happens in the background soon after the write ("HealthCheck:
  // Asynchronous Cache Replication Queues", support.atlassian.com/jira/kb/: modifications are
  // queued locally, then "replicated in the background based on their order"), so with a
  // replication delay the pending stale read expires that long after the last write: the
  // node has then applied every queued write. [INF] The delay is the emulator's parameter;
  // Atlassian documents no figure.
  if (stale_pending_ && options_.faults.stale_reads_expire_ms >= 0 &&
      Now() - stale_last_write_ >=
          std::chrono::milliseconds(options_.faults.stale_reads_expire_ms)) {
    stale_pending_ = false;
    stale_before_.reset();
  }
  if (options_.faults.stale_reads && req.method == "GET" && stale_pending_ && stale_before_ &&
      StaleEligible(*route)) {
    view = std::move(stale_before_);
    stale_pending_ = false;
    ++fault_stats_["stale"];
  }
  if (options_.faults.stale_reads && IsMutating(req.method) && !stale_pending_) {
    stale_before_ = std::make_shared<const Store>(store_);
  }
  Response r;
  if (view) {
    // Swapping moves the maps' nodes, so c.caller stays valid while the view is in place.
    Store database = *view;
    std::swap(store_, database);
    r = (this->*(route->handler))(c);
    std::swap(store_, database);
  } else {
    r = (this->*(route->handler))(c);
  }
  if (cluster_.active() && IsMutating(req.method) && r.status >= 200 && r.status < 300) {
    cluster_.Committed(node_, store_, Now());
  }
  if (IsMutating(req.method) && r.status >= 200 && r.status < 300) {
    stale_pending_ = true;
    stale_last_write_ = Now();
  }
  for (auto& [k, v] : rate_headers) r.SetHeader(k, v);
  if (IsMutating(req.method) && r.status >= 200 && r.status < 300) Persist();
  if (fault == "lost") {
    r.delivery = Delivery::kLost;  // committed above, but the caller never hears of it
  }
  return decorate(std::move(r));
}

bool Router::StaleEligible(const Route& route) {
  return route.handler == &Router::GetUser || route.handler == &Router::GroupMembers ||
         route.handler == &Router::GetGroup || route.handler == &Router::GetScheme ||
         route.handler == &Router::ListGrants || route.handler == &Router::GetGrant;
}

Response Router::HandleEmulator(const Request& req, const std::string& path) {
  if (path == "/_emulator/stats" && req.method == "GET") return JsonResponse(200, Stats());
  if (path == "/_emulator/stats" && req.method == "DELETE") {
    ClearStats();
    return EmptyResponse(204);
  }
  if (path == "/_emulator/replicate" && req.method == "POST") {
    Replicate();
    return EmptyResponse(204);
  }
  if (path == "/_emulator/reset" && req.method == "POST") {
    Reset();
    return EmptyResponse(204);
  }
  if (path == "/_emulator/faults") {
    auto to_json = [](const Faults& f) {
      return nlohmann::json{{"latency_ms", f.latency_ms},
                            {"fault_rate", f.fault_rate},
                            {"kinds", f.kinds},
                            {"fail_next", f.fail_next},
                            {"methods", f.methods},
                            {"retry_after_s", f.retry_after_s},
                            {"stale_reads", f.stale_reads},
                            {"stale_reads_expire_ms", f.stale_reads_expire_ms},
                            {"rate_limit_capacity", f.rate_limit_capacity},
                            {"rate_limit_refill_per_s", f.rate_limit_refill_per_s},
                            {"rate_limit_interval_s", f.rate_limit_interval_s}};
    };
    if (req.method == "GET") return JsonResponse(200, to_json(GetFaults()));
    if (req.method == "POST" || req.method == "PUT") {
      Faults f;
      try {
        auto j = nlohmann::json::parse(req.body.empty() ? "{}" : req.body);
        if (!j.is_object()) throw std::invalid_argument("body must be a JSON object");
        f.latency_ms = j.value("latency_ms", 0);
        f.fault_rate = j.value("fault_rate", 0.0);
        f.kinds = j.value("kinds", std::vector<std::string>{});
        f.fail_next = j.value("fail_next", 0);
        f.methods = j.value("methods", std::vector<std::string>{});
        f.retry_after_s = j.value("retry_after_s", 1);
        f.stale_reads = j.value("stale_reads", false);
        f.stale_reads_expire_ms = j.value("stale_reads_expire_ms", -1);
        f.rate_limit_capacity = j.value("rate_limit_capacity", 0);
        f.rate_limit_refill_per_s = j.value("rate_limit_refill_per_s", 0.0);
        f.rate_limit_interval_s = j.value("rate_limit_interval_s", 1);
        for (const auto& k : f.kinds) {
          if (k != "429" && k != "503" && k != "drop" && k != "lost") {
            throw std::invalid_argument("unknown fault kind '" + k + "'");
          }
        }
      } catch (const std::exception& e) {
        return JsonResponse(400, {{"error", e.what()}});
      }
      SetFaults(f);
      return JsonResponse(200, to_json(f));
    }
    return EmptyResponse(405);
  }
  if (path == "/_emulator/user-language" && req.method == "POST") {
    // Sets an account's profile language, as the user would on their profile page.
    nlohmann::json j = nlohmann::json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("username") || !j["username"].is_string()) {
      return JsonResponse(400, {{"error", "body must be {\"username\": NAME, \"language\": ...}"}});
    }
    std::optional<Language> language;
    if (j.contains("language") && !j["language"].is_null()) {
      Language parsed;
      if (!j["language"].is_string() || !ParseLanguage(j["language"].get<std::string>(), &parsed)) {
        return JsonResponse(400, {{"error", "language must be \"en\", \"de\" or null"}});
      }
      language = parsed;
    }
    std::lock_guard lock(mu_);
    User* u = store_.FindUserByName(j["username"].get<std::string>());
    if (!u) return JsonResponse(404, {{"error", "no such user"}});
    u->language = language;
    Persist();
    return EmptyResponse(204);
  }
  if ((path == "/_emulator/nest" || path == "/_emulator/unnest") && req.method == "POST") {
    // Puts a group into (or takes it out of) another group, as an LDAP directory would.
    nlohmann::json j = nlohmann::json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("child") || !j["child"].is_string() ||
        !j.contains("parent") || !j["parent"].is_string()) {
      return JsonResponse(400, {{"error", "body must be {\"child\": GROUP, \"parent\": GROUP}"}});
    }
    std::string child = j["child"].get<std::string>();
    std::string parent = j["parent"].get<std::string>();
    std::lock_guard lock(mu_);
    if (path == "/_emulator/unnest") {
      Group* p = store_.FindGroup(parent);
      if (!p || !p->child_groups.erase(NameKey(child))) {
        return JsonResponse(404, {{"error", "'" + child + "' is not a member of '" + parent + "'"}});
      }
    } else {
      std::string error;
      if (!store_.Nest(child, parent, &error)) return JsonResponse(400, {{"error", error}});
    }
    Persist();
    return EmptyResponse(204);
  }
  if (path == "/_emulator/seats" && req.method == "POST") {
    nlohmann::json j = nlohmann::json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("application") || !j["application"].is_string() ||
        !FindApplication(j["application"].get<std::string>()) ||
        !(j.value("seats", nlohmann::json()).is_null() ||
          j["seats"].is_number_unsigned())) {
      return JsonResponse(400, {{"error", "body must be {\"application\": \"jira-software\"|"
                                          "\"jira-core\", \"seats\": N or null}"}});
    }
    std::lock_guard lock(mu_);
    std::string app = j["application"].get<std::string>();
    if (j.value("seats", nlohmann::json()).is_null()) {
      options_.seats.erase(app);
    } else {
      options_.seats[app] = static_cast<int>(
          std::min<uint64_t>(j["seats"].get<uint64_t>(), 100000000));
    }
    return EmptyResponse(204);
  }
  if (path == "/_emulator/restricted-group" && req.method == "POST") {
    nlohmann::json j = nlohmann::json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("group") || !j["group"].is_string() ||
        !j.value("items", nlohmann::json(1)).is_number_integer()) {
      return JsonResponse(400, {{"error", "body must be {\"group\": NAME, \"items\": N}"}});
    }
    std::lock_guard lock(mu_);
    Group* g = store_.FindGroup(j["group"].get<std::string>());
    if (!g) return JsonResponse(404, {{"error", "no such group"}});
    g->restricted_items = std::max<int64_t>(0, j.value("items", int64_t{1}));
    Persist();
    return EmptyResponse(204);
  }
  if (path == "/_emulator/user-content" && req.method == "POST") {
    nlohmann::json j = nlohmann::json::parse(req.body, nullptr, false);
    bool ok = j.is_object() && j.contains("username") && j["username"].is_string();
    for (const char* k : {"reported", "assigned", "comments"}) {
      ok = ok && j.value(k, nlohmann::json(0)).is_number_integer();
    }
    if (!ok) {
      return JsonResponse(400, {{"error", "body must be {\"username\": NAME, \"reported\": N, "
                                          "\"assigned\": N, \"comments\": N}"}});
    }
    std::lock_guard lock(mu_);
    User* u = store_.FindUserByName(j["username"].get<std::string>());
    if (!u) return JsonResponse(404, {{"error", "no such user"}});
    u->reported_issues = std::max<int64_t>(0, j.value("reported", int64_t{0}));
    u->assigned_issues = std::max<int64_t>(0, j.value("assigned", int64_t{0}));
    u->comments = std::max<int64_t>(0, j.value("comments", int64_t{0}));
    Persist();
    return EmptyResponse(204);
  }
  return JsonResponse(404, {{"error", "unknown emulator endpoint " + path}});
}

}  // namespace emulator
