#include "provider/jira/beast_client.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <thread>

#include "provider/jira/backoff.h"
#include "provider/jira/error_parse.h"
#include "provider/jira/json_model.h"
#include "provider/jira/url.h"
#include "provider/text/unicode.h"

namespace jira {

namespace http = boost::beast::http;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr char kApi[] = "/rest/api/2";
constexpr int kMemberPageSize = 50;   // Jira's maximum for /group/member
// Asked of the group picker; Jira caps it anyway (jira.ajax.autocomplete.limit, 20 by
// default), so nothing may depend on the exact name being among its answers.
constexpr int kPickerLimit = 1000;
// Jira 10 caps /user/search at 100 results per call (Jira 10 upgrade notes); earlier versions
// accept more, so asking for at most 100 pages the same way on every version.
constexpr int kUserSearchMax = 100;

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

double UnitRandom() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// A Location header without userinfo ("user:pass@"), so a proxy echoing credentials back
// cannot leak them into an error message.
std::string WithoutUserinfo(std::string_view location) {
  const size_t scheme = location.find("://");
  if (scheme == std::string_view::npos) return std::string(location);
  const size_t host = scheme + 3;
  const size_t end = location.find_first_of("/?#", host);
  const size_t at = location.rfind('@', end == std::string_view::npos ? location.size() : end);
  if (at == std::string_view::npos || at < host) return std::string(location);
  return std::string(location.substr(0, host)) + std::string(location.substr(at + 1));
}

void ReplaceAll(std::string& text, std::string_view secret) {
  if (secret.size() < 4) return;  // shorter strings would mangle ordinary words
  for (size_t pos; (pos = text.find(secret)) != std::string::npos;) {
    text.replace(pos, secret.size(), "[redacted]");
  }
}

bool Is2xx(int status) { return status >= 200 && status < 300; }

bool SameGrant(const PermissionGrant& a, const PermissionGrant& b) {
  if (a.permission != b.permission || a.holder.type != b.holder.type) return false;
  // Group names are case-insensitive in Jira; other parameters (keys, ids) compare exactly.
  return a.holder.type == "group" ? text::EqualsIgnoreCase(a.holder.parameter, b.holder.parameter)
                                  : a.holder.parameter == b.holder.parameter;
}

}  // namespace

namespace {
// Jira keeps one bucket per user, so requests share a limiter when they go to the same Jira
// as the same user. The key holds a digest of the credentials, never the credentials.
std::string RateLimitKey(const BaseUrl& url, const ClientConfig& config) {
  const std::string who = config.token.empty() ? "user:" + config.username : "token:" + config.token;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(who.data(), who.size(), digest, &size, EVP_sha256(), nullptr);
  std::string key = (url.tls ? "https://" : "http://") + url.HostHeader() + url.context_path + "#";
  static const char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < size; ++i) {
    key += kHex[digest[i] >> 4];
    key += kHex[digest[i] & 15];
  }
  return key;
}
}  // namespace

Result<std::shared_ptr<Client>> NewBeastClient(ClientConfig config) {
  auto url = BaseUrl::Parse(config.base_url);
  if (!url.ok()) {
    Error e = url.error();
    e.kind = ErrorKind::kConfig;  // nothing was sent: a set-up error on the url setting
    e.attribute = "url";
    return e;
  }
  if (!config.token.empty() && !config.username.empty()) {
    Error e;
    e.kind = ErrorKind::kConfig;
    e.attribute = "token";
    e.messages.push_back("set either username/password or token, not both");
    return e;
  }
  TransportConfig transport;
  transport.url = *url;
  transport.ca_file = config.ca_file;
  transport.insecure_skip_verify = config.insecure_skip_verify;
  transport.max_idle_connections = config.max_idle_connections;
  transport.user_agent = config.user_agent;
  if (!config.token.empty()) {
    transport.authorization = "Bearer " + config.token;
  } else if (!config.username.empty()) {
    // Preemptive basic auth: Jira answers anonymous-allowed resources without a challenge.
    transport.authorization = "Basic " + Base64(config.username + ":" + config.password);
  }
  const std::string identity = RateLimitKey(*url, config);
  transport.rate_limiter = RateLimiter::Shared(identity);
  if (config.keep_cookies) transport.cookie_jar = CookieJar::Shared(identity, url->host, url->tls);
  auto pool = ConnectionPool::Create(std::move(transport));
  if (!pool.ok()) return pool.error();
  auto shared_config = std::make_shared<const ClientConfig>(std::move(config));
  return std::shared_ptr<Client>(
      std::make_shared<BeastClient>(std::move(shared_config), *url, *pool, nullptr));
}

BeastClient::BeastClient(std::shared_ptr<const ClientConfig> config, BaseUrl url,
                         std::shared_ptr<ConnectionPool> pool, std::function<bool()> cancelled)
    : config_(std::move(config)),
      url_(std::move(url)),
      pool_(std::move(pool)),
      cancelled_(std::move(cancelled)) {}

std::shared_ptr<Client> BeastClient::WithCancellation(std::function<bool()> cancelled) {
  std::function<bool()> combined = cancelled;
  if (cancelled_) {
    combined = [outer = cancelled_, inner = std::move(cancelled)] {
      return outer() || (inner && inner());
    };
  }
  return std::make_shared<BeastClient>(config_, url_, pool_, std::move(combined));
}

// ---------------------------------------------------------------- plumbing

std::string BeastClient::MethodAndPath(const Call& call) const {
  return std::string(http::to_string(call.method)) + " " + url_.context_path + call.path;
}

void BeastClient::Log(const std::string& line) const {
  if (config_->log) config_->log(line);
}

bool BeastClient::SleepUnlessCancelled(milliseconds delay) const {
  // Small slices keep a long Retry-After interruptible by Terraform's StopProvider.
  constexpr milliseconds kSlice{20};
  const auto until = std::chrono::steady_clock::now() + delay;
  for (;;) {
    if (Cancelled()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, kSlice));
  }
}

Error BeastClient::Scrub(Error e, const Call& call) const {
  std::vector<std::string_view> secrets = {config_->password, config_->token, call.secret};
  const std::string basic = Base64(config_->username + ":" + config_->password);
  if (!config_->password.empty()) secrets.push_back(basic);
  for (std::string_view s : secrets) {
    for (auto& m : e.messages) ReplaceAll(m, s);
    for (auto& [field, m] : e.field_errors) ReplaceAll(m, s);
    ReplaceAll(e.login_reason, s);
    ReplaceAll(e.denied_reason, s);
  }
  return e;
}

Error BeastClient::ErrorFor(const Call& call, const HttpResponse& r) const {
  ErrorResponse er;
  er.status = r.status;
  er.content_type = r.content_type;
  er.body = r.body;
  er.login_reason = r.login_reason;
  er.denied_reason = r.denied_reason;
  er.method_and_path = MethodAndPath(call);
  Error e = ErrorFromResponse(er);
  if (e.IsRedirect()) e.location = WithoutUserinfo(r.location);
  if (Is2xx(r.status)) {  // a 2xx that is really a failed login (see IsFailedLogin)
    e.kind = ErrorKind::kUnauthorized;
    e.messages = {"the credentials were rejected (X-Seraph-LoginReason: " + r.login_reason + ")"};
  }
  return Scrub(std::move(e), call);
}

namespace {
// Some Jira versions answer a failed basic-auth login with 200 and an empty body, flagged
// only by X-Seraph-LoginReason (JRA-41559). That must not pass as success.
bool IsFailedLogin(const HttpResponse& r) {
  return Is2xx(r.status) &&
         (r.login_reason == "AUTHENTICATED_FAILED" || r.login_reason == "AUTHENTICATION_DENIED");
}
}  // namespace

namespace {
// A 429 is Jira pacing us, not a failure: it does not use up max_retries. This bounds the
// refusals one request accepts, so a server that refuses forever still ends in an error.
constexpr int kMaxRateLimitRefusals = 30;

std::string Ms(milliseconds d) { return std::to_string(d.count()) + " ms"; }
}  // namespace

BeastClient::Outcome BeastClient::Run(const Call& call, const Probe* probe) {
  HttpRequest request;
  request.method = call.method;
  request.target = url_.context_path + call.path + call.query;
  if (call.body) request.body = call.body->dump();
  request.idempotent = call.method != http::verb::post;
  RateLimiter* limiter = pool_->rate_limiter();

  Outcome result;
  int retries = 0;   // real failures: 5xx, connection loss; bounded by max_retries
  int refusals = 0;  // 429s; bounded by kMaxRateLimitRefusals
  for (;;) {
    if (Cancelled()) {
      result.error = CancelledError(MethodAndPath(call));
      return result;
    }
    if (result.maybe_applied_earlier && probe) {
      // An earlier attempt may have created the object: look before sending it again.
      Result<bool> found = (*probe)();
      if (!found.ok()) {
        Error e = found.error();
        e.messages.insert(e.messages.begin(), "could not check whether the unanswered " +
                                                  MethodAndPath(call) + " took effect");
        result.error = std::move(e);
        return result;
      }
      if (*found) {
        Log(MethodAndPath(call) + ": the object exists after an unanswered attempt; not resending");
        result.resolved_by_probe = true;
        return result;
      }
    }

    std::optional<uint64_t> answered_before;
    if (limiter) {
      // The token wait is bounded by the request timeout on its own; the exchange that
      // follows gets a full timeout of its own.
      RateLimiter::Wait wait = limiter->Acquire(
          std::chrono::steady_clock::now() + config_->request_timeout, [this] { return Cancelled(); });
      if (wait.outcome == RateLimiter::Outcome::kCancelled) {
        result.error = CancelledError(MethodAndPath(call));
        return result;
      }
      auto bucket = limiter->bucket();
      const std::string what = bucket ? "Jira's rate limit (" + bucket->Describe() + ")"
                                      : std::string("Jira's rate limit");
      if (wait.outcome == RateLimiter::Outcome::kTimedOut) {
        Error e = TransportError(
            MethodAndPath(call),
            "not sent: " + what + " would delay it by " + Ms(wait.would_wait) +
                ", longer than request_timeout (" + Ms(config_->request_timeout) +
                "); raise request_timeout or lower Terraform's -parallelism");
        e.http_status = 0;  // nothing was sent; reads "Jira request ... failed: not sent: ..."
        result.error = std::move(e);
        return result;
      }
      answered_before = wait.answered_before;
      if (wait.waited.count() > 0) {
        Log(MethodAndPath(call) + ": waited " + Ms(wait.waited) + " for " +
            (wait.held_by_refusal ? "the end of a 429 hold under " : "a token of ") + what);
      }
      if (wait.became_noticeable && config_->log_info) {
        config_->log_info(what + " is pacing the requests; they have waited " +
                          Ms(limiter->total_waited()) +
                          " in all so far. This is expected with a rate-limited Jira user; "
                          "an administrator can exempt the user or raise the limit.");
      }
    }

    const auto started = std::chrono::steady_clock::now();
    TransportOutcome out = pool_->RoundTrip(request, started + config_->request_timeout);
    const auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    std::optional<std::chrono::seconds> retry_after;
    if (out.resent_after_close) result.maybe_applied_earlier = true;
    if (out.response) {
      const int status = out.response->status;
      std::chrono::steady_clock::duration hold{};
      if (limiter) hold = limiter->Observe(status, out.response->rate_limit, config_->retry_max_delay, answered_before);
      Log(std::string(http::to_string(call.method)) + " " + request.target + " -> " +
          std::to_string(status) + " in " + std::to_string(elapsed.count()) + " ms");
      const bool paced = status == 429 && limiter != nullptr;
      const bool retryable = status == 429 || status == 502 || status == 503 || status == 504;
      const bool exhausted =
          paced ? refusals >= kMaxRateLimitRefusals : retries >= config_->max_retries;
      if (!retryable || exhausted) {
        if (status == 400 && result.maybe_applied_earlier && probe) {
          // Jira refuses a duplicate with 400 (no 409), worded in the caller's language. Whether
          // the unanswered attempt did succeed is a question for Jira's state, not its wording:
          // look, and resolve to the existing object when it is there.
          Result<bool> found = (*probe)();
          if (found.ok() && *found) {
            result.resolved_by_probe = true;
            return result;
          }
        }
        result.response = std::move(out.response);
        return result;
      }
      if (paced) {
        // The limiter now holds every request of the process until Retry-After; this one
        // queues again like any other. Not a retry.
        ++refusals;
        const milliseconds held = std::chrono::duration_cast<milliseconds>(hold);
        if (config_->on_backoff) config_->on_backoff(held);
        Log(MethodAndPath(call) + ": refused by Jira's rate limit (429); every request waits " +
            Ms(held) + ", then this one queues again");
        continue;
      }
      // A gateway error may come after the backend applied the request.
      if (status == 502 || status == 504) result.maybe_applied_earlier = true;
      if (status == 429 || status == 503) retry_after = ParseRetryAfter(out.response->retry_after);
    } else {
      if (limiter) limiter->NoAnswer();
      Log(std::string(http::to_string(call.method)) + " " + request.target + " -> " + out.error +
          " after " + std::to_string(elapsed.count()) + " ms");
      if (out.request_sent) result.maybe_applied_earlier = true;
      // TLS verification and http/https mismatches fail the same way every time.
      if (retries >= config_->max_retries || out.permanent) {
        std::string what = out.error;
        if (out.timed_out) {
          what += " (request timeout " + std::to_string(config_->request_timeout.count()) + " ms)";
        }
        if (retries > 0) what += " after " + std::to_string(retries + 1) + " attempts";
        result.error = Scrub(TransportError(MethodAndPath(call), std::move(what)), call);
        result.error->permanent = out.permanent;
        return result;
      }
    }
    const milliseconds delay = RetryDelay(retries, retry_after, config_->retry_base_delay,
                                          config_->retry_max_delay, UnitRandom());
    if (config_->on_backoff) config_->on_backoff(delay);
    Log(MethodAndPath(call) + ": retry " + std::to_string(retries + 1) + " in " +
        std::to_string(delay.count()) + " ms");
    ++retries;
    if (!SleepUnlessCancelled(delay)) {
      result.error = CancelledError(MethodAndPath(call));
      return result;
    }
  }
}

Result<json> BeastClient::Json(const Call& call) {
  Outcome out = Run(call, nullptr);
  if (out.error) return *out.error;
  const HttpResponse& r = *out.response;
  if (!Is2xx(r.status) || IsFailedLogin(r)) return ErrorFor(call, r);
  if (r.body.empty()) return json();
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return TransportError(MethodAndPath(call), "Jira answered " + std::to_string(r.status) +
                                                   " with a body that is not JSON");
  }
  return j;
}

Status BeastClient::Delete(const Call& call, const Probe* gone) {
  Outcome out = Run(call, nullptr);
  if (out.error) return *out.error;
  const HttpResponse& r = *out.response;
  if (Is2xx(r.status) && !IsFailedLogin(r)) return OkStatus();
  Error e = ErrorFor(call, r);
  if (!out.maybe_applied_earlier) return e;
  // The earlier, unanswered attempt may have done the deletion: a 404 says so, and a 400 is
  // settled by reading Jira's state (its wording is the account's language, never a signal).
  if (e.kind == ErrorKind::kNotFound) return OkStatus();
  if (e.http_status == 400 && gone) {
    Result<bool> is_gone = (*gone)();
    if (is_gone.ok() && *is_gone) return OkStatus();
  }
  return e;
}

// Parse: T(const json&). Find: Result<std::optional<T>>() — the existing object, if any.
template <class T, class Parse, class Find>
Result<T> BeastClient::Create(const Call& call, Parse parse, Find find) {
  std::optional<T> found;
  Probe probe = [&]() -> Result<bool> {
    Result<std::optional<T>> f = find();
    if (!f.ok()) return f.error();
    if (!f->has_value()) return false;
    found = std::move(**f);
    return true;
  };
  Outcome out = Run(call, &probe);
  if (out.resolved_by_probe) return std::move(*found);
  if (out.error) return *out.error;
  const HttpResponse& r = *out.response;
  if (!Is2xx(r.status) || IsFailedLogin(r)) return ErrorFor(call, r);
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  try {
    return parse(j.is_discarded() ? json() : j);
  } catch (const json::exception& ex) {
    return TransportError(MethodAndPath(call),
                          std::string("unexpected answer from Jira: ") + ex.what());
  }
}

namespace {

// Maps a JSON body with `fn`, turning a shape mismatch into an Error.
template <class Fn>
auto Map(Result<json> r, const std::string& where, Fn fn) -> Result<decltype(fn(json()))> {
  if (!r.ok()) return r.error();
  try {
    return fn(*r);
  } catch (const json::exception& ex) {
    return TransportError(where, std::string("unexpected answer from Jira: ") + ex.what());
  }
}

Status ToStatus(const Result<json>& r) {
  if (!r.ok()) return r.error();
  return OkStatus();
}

template <class T>
Result<std::optional<T>> NotFoundIsEmpty(Result<T> r) {
  if (r.ok()) return std::optional<T>(std::move(r).value());
  if (r.error().kind == ErrorKind::kNotFound) return std::optional<T>();
  return r.error();
}

}  // namespace

// ---------------------------------------------------------------- server and credentials

Result<ServerInfo> BeastClient::GetServerInfo() {
  Call c{http::verb::get, std::string(kApi) + "/serverInfo", "", {}, {}};
  return Map(Json(c), MethodAndPath(c), ServerInfoFromJson);
}

Result<User> BeastClient::GetMyself() {
  Call c{http::verb::get, std::string(kApi) + "/myself", "", {}, {}};
  return Map(Json(c), MethodAndPath(c), UserFromJson);
}

Result<std::vector<Permission>> BeastClient::GetPermissions() {
  Call c{http::verb::get, std::string(kApi) + "/permissions", "", {}, {}};
  return Map(Json(c), MethodAndPath(c), PermissionsFromJson);
}

// ---------------------------------------------------------------- users

Result<User> BeastClient::CreateUser(const NewUser& user) {
  Call c{http::verb::post, std::string(kApi) + "/user", "", NewUserToJson(user),
         user.password.value_or("")};
  return Create<User>(c, UserFromJson, [&] {
    return NotFoundIsEmpty(GetUserByName(user.name, false));
  });
}

Result<User> BeastClient::GetUserByName(std::string_view username, bool with_groups) {
  Query q;
  q.Add("username", username);
  if (with_groups) q.Add("expand", "groups");
  Call c{http::verb::get, std::string(kApi) + "/user", q.str(), {}, {}};
  return Map(Json(c), MethodAndPath(c), UserFromJson);
}

Result<User> BeastClient::GetUserByKey(std::string_view key, bool with_groups) {
  Query q;
  q.Add("key", key);
  if (with_groups) q.Add("expand", "groups");
  Call c{http::verb::get, std::string(kApi) + "/user", q.str(), {}, {}};
  return Map(Json(c), MethodAndPath(c), UserFromJson);
}

Result<User> BeastClient::UpdateUser(std::string_view key, const UserChanges& changes) {
  Call c{http::verb::put, std::string(kApi) + "/user", Query().Add("key", key).str(),
         UserChangesToJson(changes), {}};
  return Map(Json(c), MethodAndPath(c), UserFromJson);
}

Status BeastClient::SetPassword(std::string_view key, std::string_view password) {
  Call c{http::verb::put, std::string(kApi) + "/user/password", Query().Add("key", key).str(),
         json{{"password", password}}, std::string(password)};
  return ToStatus(Json(c));
}

Status BeastClient::DeleteUser(std::string_view key) {
  Call c{http::verb::delete_, std::string(kApi) + "/user", Query().Add("key", key).str(), {}, {}};
  return Delete(c);
}

Result<std::vector<User>> BeastClient::SearchUsers(std::string_view query, int start_at,
                                                   int max_results, bool include_inactive) {
  Query q;
  q.Add("username", query)
      .Add("startAt", int64_t{start_at})
      .Add("maxResults", int64_t{std::min(max_results, kUserSearchMax)})
      .Add("includeActive", true)
      .Add("includeInactive", include_inactive);
  Call c{http::verb::get, std::string(kApi) + "/user/search", q.str(), {}, {}};
  return Map(Json(c), MethodAndPath(c), UsersFromJson);
}

// ---------------------------------------------------------------- application access

namespace {
// Whether `user` (read with expand=applicationRoles) has `application_key`; nullopt when Jira
// did not list the applications.
std::optional<bool> HasApplication(const User& user, std::string_view application_key) {
  if (!user.applications) return std::nullopt;
  for (const auto& k : *user.applications) {
    if (k == application_key) return true;
  }
  return false;
}
}  // namespace

Result<User> BeastClient::GetUserWithApplications(std::string_view key) {
  Query q;
  q.Add("key", key).Add("expand", "applicationRoles");
  Call c{http::verb::get, std::string(kApi) + "/user", q.str(), {}, {}};
  return Map(Json(c), MethodAndPath(c), UserFromJson);
}

// The user/application resource takes the username (REST reference 7.0+: `username` and
// `applicationKey` query parameters, no body). [Inferred] Success is any 2xx: the reference
// documents 200 for POST and gives no body; DELETE's status is not documented. A retry after a lost answer is settled by
// reading the user's applications, never by repeating the call blindly.
Status BeastClient::AddUserToApplication(std::string_view username,
                                         std::string_view application_key) {
  Query q;
  q.Add("username", username).Add("applicationKey", application_key);
  Call c{http::verb::post, std::string(kApi) + "/user/application", q.str(), {}, {}};
  return Create<Unit>(
      c, [](const json&) { return Unit{}; },
      [&]() -> Result<std::optional<Unit>> {
        Query uq;
        uq.Add("username", username).Add("expand", "applicationRoles");
        Call get{http::verb::get, std::string(kApi) + "/user", uq.str(), {}, {}};
        auto user = Map(Json(get), MethodAndPath(get), UserFromJson);
        if (!user.ok()) return user.error();
        return HasApplication(*user, application_key).value_or(false) ? std::optional<Unit>(Unit{})
                                                                      : std::optional<Unit>();
      });
}

Status BeastClient::RemoveUserFromApplication(std::string_view username,
                                              std::string_view application_key) {
  Query q;
  q.Add("username", username).Add("applicationKey", application_key);
  Call c{http::verb::delete_, std::string(kApi) + "/user/application", q.str(), {}, {}};
  Probe gone = [&]() -> Result<bool> {
    Query uq;
    uq.Add("username", username).Add("expand", "applicationRoles");
    Call get{http::verb::get, std::string(kApi) + "/user", uq.str(), {}, {}};
    auto user = Map(Json(get), MethodAndPath(get), UserFromJson);
    if (!user.ok()) return user.error();
    return !HasApplication(*user, application_key).value_or(true);
  };
  return Delete(c, &gone);
}

// GET /applicationrole: a bare array of ApplicationRoleBean (REST reference 7.0+), with
// numberOfSeats, remainingSeats and hasUnlimitedSeats.
Result<std::vector<ApplicationRole>> BeastClient::ListApplicationRoles() {
  Call c{http::verb::get, std::string(kApi) + "/applicationrole", "", {}, {}};
  return Map(Json(c), MethodAndPath(c), ApplicationRolesFromJson);
}

// ---------------------------------------------------------------- project roles

// GET /role: a bare array of ProjectRole beans {self, name, id, description, actors} (REST
// reference "Get all project roles", Jira Server 6.4+).
Result<std::vector<ProjectRole>> BeastClient::ListProjectRoles() {
  Call c{http::verb::get, std::string(kApi) + "/role", "", {}, {}};
  return Map(Json(c), MethodAndPath(c), ProjectRolesFromJson);
}

// ---------------------------------------------------------------- groups

Result<Group> BeastClient::CreateGroup(std::string_view name) {
  Call c{http::verb::post, std::string(kApi) + "/group", "", json{{"name", name}}, {}};
  return Create<Group>(
      c,
      [&](const json& j) {
        // The GroupBean carries the stored name; fall back to ours on an empty body.
        std::string stored = j.is_object() ? j.value("name", std::string()) : std::string();
        return Group{stored.empty() ? std::string(name) : stored};
      },
      [&] { return NotFoundIsEmpty(GetGroup(name)); });
}

Result<Group> BeastClient::GetGroup(std::string_view name) {
  // Existence: a one-member page of GET /group/member answers 404 for a missing group, on
  // every version (GET /group was removed in Jira 10).
  Query q;
  q.Add("groupname", name).Add("maxResults", int64_t{1});
  Call c{http::verb::get, std::string(kApi) + "/group/member", q.str(), {}, {}};
  Result<json> exists = Json(c);
  if (!exists.ok()) return exists.error();
  // The stored letter case, best effort. The picker is a substring search capped by
  // jira.ajax.autocomplete.limit (20 by default), so the exact name may be cut off when many
  // groups contain it; then GET /group (Jira 8 and 9) names the group as stored. On Jira 10,
  // which has no GET /group, the name as asked is kept: it is the same group either way.
  auto picked = PickGroups(name, kPickerLimit);
  if (!picked.ok()) return picked.error();
  for (const auto& candidate : *picked) {
    if (text::EqualsIgnoreCase(candidate, name)) return Group{candidate};
  }
  Call direct{http::verb::get, std::string(kApi) + "/group", Query().Add("groupname", name).str(),
              {}, {}};
  Result<json> bean = Json(direct);
  if (bean.ok() && bean->is_object()) {
    // A name of the wrong type is an unexpected answer, as for every other reader.
    Result<std::string> stored = Map(*bean, MethodAndPath(direct), [](const json& j) {
      return j.value("name", std::string());
    });
    if (!stored.ok()) return stored.error();
    if (text::EqualsIgnoreCase(*stored, name)) return Group{*stored};
  } else if (!bean.ok() && bean.error().kind != ErrorKind::kNotFound &&
             bean.error().http_status != 405) {
    return bean.error();
  }
  return Group{std::string(name)};
}

Status BeastClient::DeleteGroup(std::string_view name, std::optional<std::string> swap_group) {
  Query q;
  q.Add("groupname", name);
  if (swap_group) q.Add("swapGroup", *swap_group);
  Call c{http::verb::delete_, std::string(kApi) + "/group", q.str(), {}, {}};
  return Delete(c);
}

Result<MembersPage> BeastClient::GetGroupMembersPage(std::string_view group, int64_t start_at,
                                                     int max_results, bool include_inactive) {
  Query q;
  q.Add("groupname", group)
      .Add("includeInactiveUsers", include_inactive)
      .Add("startAt", start_at)
      .Add("maxResults", int64_t{max_results});
  Call c{http::verb::get, std::string(kApi) + "/group/member", q.str(), {}, {}};
  return Map(Json(c), MethodAndPath(c), MembersPageFromJson);
}

Result<std::vector<User>> BeastClient::GetAllGroupMembers(std::string_view group,
                                                          bool include_inactive) {
  std::vector<User> all;
  int64_t start = 0;
  for (;;) {
    auto page = GetGroupMembersPage(group, start, kMemberPageSize, include_inactive);
    if (!page.ok()) return page.error();
    const size_t got = page->values.size();
    for (auto& u : page.value().values) all.push_back(std::move(u));
    // An empty page that claims more would loop forever; stop there.
    if (page->is_last || got == 0) break;
    start += static_cast<int64_t>(got);
  }
  return all;
}

Result<std::vector<std::string>> BeastClient::PickGroups(std::string_view query, int max_results) {
  Query q;
  q.Add("query", query).Add("maxResults", int64_t{max_results});
  Call c{http::verb::get, std::string(kApi) + "/groups/picker", q.str(), {}, {}};
  return Map(Json(c), MethodAndPath(c), PickedGroupsFromJson);
}

Result<bool> BeastClient::UserListsGroup(std::string_view username, std::string_view group) {
  auto user = GetUserByName(username, /*with_groups=*/true);
  if (!user.ok()) {
    if (user.error().kind == ErrorKind::kNotFound) return false;
    return user.error();
  }
  for (const auto& g : user->groups) {
    if (text::EqualsIgnoreCase(g, group)) return true;
  }
  return false;
}

Status BeastClient::AddUserToGroup(std::string_view group, std::string_view username) {
  Call c{http::verb::post, std::string(kApi) + "/group/user", Query().Add("groupname", group).str(),
         json{{"name", username}}, {}};
  return Create<Unit>(
      c, [](const json&) { return Unit{}; },
      [&]() -> Result<std::optional<Unit>> {
        auto member = UserListsGroup(username, group);
        if (!member.ok()) return member.error();
        return *member ? std::optional<Unit>(Unit{}) : std::optional<Unit>();
      });
}

Status BeastClient::RemoveUserFromGroup(std::string_view group, std::string_view username) {
  Query q;
  q.Add("groupname", group).Add("username", username);
  Call c{http::verb::delete_, std::string(kApi) + "/group/user", q.str(), {}, {}};
  Probe gone = [&]() -> Result<bool> {
    auto member = UserListsGroup(username, group);
    if (!member.ok()) return member.error();
    return !*member;
  };
  return Delete(c, &gone);
}

// ---------------------------------------------------------------- permission schemes

namespace {
std::string SchemePath(int64_t id) {
  return std::string(kApi) + "/permissionscheme/" + std::to_string(id);
}
std::vector<PermissionScheme> SchemesFromJson(const json& j) {
  std::vector<PermissionScheme> out;
  if (auto it = j.find("permissionSchemes"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) out.push_back(SchemeFromJson(s));
  }
  return out;
}
std::vector<PermissionGrant> GrantsFromJson(const json& j) {
  std::vector<PermissionGrant> out;
  if (auto it = j.find("permissions"); it != j.end() && it->is_array()) {
    for (const auto& g : *it) out.push_back(GrantFromJson(g));
  }
  return out;
}
}  // namespace

Result<std::vector<PermissionScheme>> BeastClient::ListPermissionSchemes(bool with_grants) {
  Call c{http::verb::get, std::string(kApi) + "/permissionscheme",
         with_grants ? Query().Add("expand", "permissions").str() : "", {}, {}};
  return Map(Json(c), MethodAndPath(c), SchemesFromJson);
}

Result<PermissionScheme> BeastClient::CreatePermissionScheme(const PermissionScheme& scheme) {
  Call c{http::verb::post, std::string(kApi) + "/permissionscheme",
         Query().Add("expand", "permissions").str(),
         SchemeToJson(scheme.name, scheme.description, &scheme.grants), {}};
  return Create<PermissionScheme>(
      c, SchemeFromJson, [&]() -> Result<std::optional<PermissionScheme>> {
        auto all = ListPermissionSchemes(true);
        if (!all.ok()) return all.error();
        for (auto& s : all.value()) {
          if (text::EqualsIgnoreCase(s.name, scheme.name)) return std::optional(std::move(s));
        }
        return std::optional<PermissionScheme>();
      });
}

Result<PermissionScheme> BeastClient::GetPermissionScheme(int64_t id) {
  Call c{http::verb::get, SchemePath(id), Query().Add("expand", "permissions").str(), {}, {}};
  return Map(Json(c), MethodAndPath(c), SchemeFromJson);
}

Result<PermissionScheme> BeastClient::UpdatePermissionScheme(
    int64_t id, std::string_view name, std::string_view description,
    const std::optional<std::vector<PermissionGrant>>& grants) {
  Call c{http::verb::put, SchemePath(id), Query().Add("expand", "permissions").str(),
         SchemeToJson(name, description, grants ? &*grants : nullptr), {}};
  return Map(Json(c), MethodAndPath(c), SchemeFromJson);
}

Status BeastClient::DeletePermissionScheme(int64_t id) {
  return Delete(Call{http::verb::delete_, SchemePath(id), "", {}, {}});
}

Result<std::vector<PermissionGrant>> BeastClient::ListGrants(int64_t scheme_id) {
  Call c{http::verb::get, SchemePath(scheme_id) + "/permission", "", {}, {}};
  return Map(Json(c), MethodAndPath(c), GrantsFromJson);
}

Result<PermissionGrant> BeastClient::AddGrant(int64_t scheme_id, const PermissionGrant& grant) {
  Call c{http::verb::post, SchemePath(scheme_id) + "/permission", "", GrantToJson(grant), {}};
  return Create<PermissionGrant>(
      c, GrantFromJson, [&]() -> Result<std::optional<PermissionGrant>> {
        auto grants = ListGrants(scheme_id);
        if (!grants.ok()) return grants.error();
        for (auto& g : grants.value()) {
          if (SameGrant(g, grant)) return std::optional(std::move(g));
        }
        return std::optional<PermissionGrant>();
      });
}

Result<PermissionGrant> BeastClient::GetGrant(int64_t scheme_id, int64_t grant_id) {
  Call c{http::verb::get, SchemePath(scheme_id) + "/permission/" + std::to_string(grant_id), "",
         {}, {}};
  return Map(Json(c), MethodAndPath(c), GrantFromJson);
}

Status BeastClient::DeleteGrant(int64_t scheme_id, int64_t grant_id) {
  return Delete(Call{http::verb::delete_,
                     SchemePath(scheme_id) + "/permission/" + std::to_string(grant_id), "", {}, {}});
}

Result<PermissionScheme> BeastClient::AssignSchemeToProject(std::string_view project_key_or_id,
                                                            int64_t scheme_id) {
  Call c{http::verb::put,
         std::string(kApi) + "/project/" + PercentEncode(project_key_or_id) + "/permissionscheme",
         "", json{{"id", scheme_id}}, {}};
  return Map(Json(c), MethodAndPath(c), SchemeFromJson);
}

}  // namespace jira
