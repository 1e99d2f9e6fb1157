#include "provider/jira/cookie_jar.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace jira {

using SysClock = std::chrono::system_clock;

namespace {

// Bounds on what one origin may make this process keep (RFC 6265 section 6.1 suggests at
// least 50 cookies of 4096 bytes per domain; more is refused rather than evicted).
constexpr size_t kMaxCookies = 50;
constexpr size_t kMaxCookieBytes = 4096;

std::string_view TrimWsp(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

std::string Lower(std::string_view v) {
  std::string out(v);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IEquals(std::string_view a, std::string_view b) { return Lower(a) == Lower(b); }

bool IsIpLiteral(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

// RFC 6265 5.1.3.
bool DomainMatch(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  if (IsIpLiteral(host) || domain.empty() || host.size() <= domain.size()) return false;
  return host.substr(host.size() - domain.size()) == domain &&
         host[host.size() - domain.size() - 1] == '.';
}

// RFC 6265 5.1.4.
std::string DefaultPath(std::string_view uri_path) {
  if (uri_path.empty() || uri_path.front() != '/') return "/";
  const size_t last = uri_path.rfind('/');
  if (last == 0) return "/";
  return std::string(uri_path.substr(0, last));
}

bool PathMatch(std::string_view request_path, std::string_view cookie_path) {
  if (request_path == cookie_path) return true;
  if (request_path.substr(0, cookie_path.size()) != cookie_path) return false;
  return cookie_path.back() == '/' || request_path[cookie_path.size()] == '/';
}

// RFC 6265 5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
bool IsDateDelimiter(unsigned char c) {
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) ||
         (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

// Reads 1..max digits at the start of `t` (and at least `min`); the rest must not start
// with a digit. Returns the number of digits read, 0 on mismatch.
size_t LeadingDigits(std::string_view t, size_t min, size_t max, int* value) {
  size_t n = 0;
  int v = 0;
  while (n < t.size() && n < max + 1 && std::isdigit(static_cast<unsigned char>(t[n]))) {
    v = v * 10 + (t[n] - '0');
    ++n;
  }
  if (n < min || n > max) return 0;
  *value = v;
  return n;
}

bool ParseTime(std::string_view t, int* h, int* m, int* s) {
  int* parts[3] = {h, m, s};
  for (int i = 0; i < 3; ++i) {
    size_t n = LeadingDigits(t, 1, 2, parts[i]);
    if (n == 0) return false;
    t.remove_prefix(n);
    if (i < 2) {
      if (t.empty() || t.front() != ':') return false;
      t.remove_prefix(1);
    }
  }
  return true;  // anything after the seconds that is not a digit is allowed
}

// Days since 1970-01-01 of a proleptic Gregorian date (the well-known civil-from-days
// inverse; std::chrono::year_month_day would do it but GCC 12's <chrono> lacks it).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<SysClock::time_point> ParseCookieDate(std::string_view text) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  bool found_time = false, found_day = false, found_month = false, found_year = false;
  int hour = 0, minute = 0, second = 0, day = 0, month = 0, year = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsDateDelimiter(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !IsDateDelimiter(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view token = text.substr(start, i - start);
    if (token.empty()) continue;
    int v = 0;
    if (!found_time && ParseTime(token, &hour, &minute, &second)) {
      found_time = true;
    } else if (!found_day && LeadingDigits(token, 1, 2, &v) > 0) {
      found_day = true;
      day = v;
    } else if (!found_month && token.size() >= 3) {
      const std::string prefix = Lower(token.substr(0, 3));
      for (int m = 0; m < 12; ++m) {
        if (prefix == kMonths[m]) {
          found_month = true;
          month = m + 1;
          break;
        }
      }
      if (!found_month && !found_year && LeadingDigits(token, 2, 4, &v) > 0) {
        found_year = true;
        year = v;
      }
    } else if (!found_year && LeadingDigits(token, 2, 4, &v) > 0) {
      found_year = true;
      year = v;
    }
  }
  if (found_year && year >= 70 && year <= 99) year += 1900;
  if (found_year && year >= 0 && year <= 69) year += 2000;
  if (!found_time || !found_day || !found_month || !found_year) return std::nullopt;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int month_days = kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  if (day > month_days) return std::nullopt;
  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return SysClock::time_point(std::chrono::seconds(days * 86400 + hour * 3600 + minute * 60 + second));
}

std::optional<Cookie> ParseSetCookie(std::string_view header, std::string_view request_host,
                                     std::string_view request_path, SysClock::time_point now) {
  if (header.size() > kMaxCookieBytes) return std::nullopt;
  // 5.2 steps 1-5: the name-value pair up to the first ';'.
  const size_t semi = header.find(';');
  std::string_view pair = header.substr(0, semi);
  std::string_view attributes = semi == std::string_view::npos ? "" : header.substr(semi);
  const size_t eq = pair.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  Cookie c;
  c.name = std::string(TrimWsp(pair.substr(0, eq)));
  c.value = std::string(TrimWsp(pair.substr(eq + 1)));
  if (c.name.empty()) return std::nullopt;

  // 5.2 steps for the attributes: the last of each kind wins; unknown ones are ignored.
  std::optional<SysClock::time_point> expires, max_age;
  std::optional<std::string> domain, path;
  while (!attributes.empty()) {
    attributes.remove_prefix(1);  // the ';'
    const size_t next = attributes.find(';');
    std::string_view av = attributes.substr(0, next);
    attributes = next == std::string_view::npos ? "" : attributes.substr(next);
    const size_t aeq = av.find('=');
    std::string_view name = TrimWsp(av.substr(0, aeq));
    std::string_view value = aeq == std::string_view::npos ? "" : TrimWsp(av.substr(aeq + 1));
    if (IEquals(name, "expires")) {
      if (auto t = ParseCookieDate(value)) expires = *t;
    } else if (IEquals(name, "max-age")) {
      // 5.2.2: a DIGIT or '-' first, then only DIGITs.
      if (value.empty() || !(std::isdigit(static_cast<unsigned char>(value[0])) || value[0] == '-')) continue;
      if (!std::all_of(value.begin() + 1, value.end(),
                       [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
        continue;
      }
      if (value[0] == '-' || value.size() > 12) {
        // Negative: expire now. Very large: treat as a far future (no overflow).
        max_age = value[0] == '-' ? SysClock::time_point::min() : now + std::chrono::hours(24 * 365 * 100);
        continue;
      }
      const int64_t delta = std::stoll(std::string(value));
      max_age = delta <= 0 ? SysClock::time_point::min() : now + std::chrono::seconds(delta);
    } else if (IEquals(name, "domain")) {
      if (value.empty()) continue;  // 5.2.3: ignore
      if (value.front() == '.') value.remove_prefix(1);
      domain = Lower(value);
    } else if (IEquals(name, "path")) {
      path = value.empty() || value.front() != '/' ? DefaultPath(request_path) : std::string(value);
    } else if (IEquals(name, "secure")) {
      c.secure = true;
    } else if (IEquals(name, "httponly")) {
      c.http_only = true;
    }
  }
  // 5.3 step 3: Max-Age beats Expires.
  if (max_age) {
    c.expires = max_age;
  } else if (expires) {
    c.expires = expires;
  }
  // 5.3 steps 5-6: a Domain must cover the host that set it; without one, host-only.
  const std::string host = Lower(request_host);
  if (domain && !domain->empty()) {
    if (!DomainMatch(host, *domain)) return std::nullopt;
    c.host_only = false;
    c.domain = *domain;
  } else {
    c.host_only = true;
    c.domain = host;
  }
  c.path = path ? *path : DefaultPath(request_path);
  return c;
}

CookieJar::CookieJar(std::string host, bool secure_origin, Clock clock)
    : host_(Lower(host)),
      secure_origin_(secure_origin),
      clock_(clock ? std::move(clock) : [] { return SysClock::now(); }) {}

std::shared_ptr<CookieJar> CookieJar::Shared(const std::string& key, const std::string& host,
                                             bool secure_origin) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<CookieJar>> jars;
  std::lock_guard<std::mutex> lock(mu);
  std::weak_ptr<CookieJar>& slot = jars[key];
  if (auto existing = slot.lock()) return existing;
  auto created = std::make_shared<CookieJar>(host, secure_origin);
  slot = created;
  return created;
}

void CookieJar::Store(const std::vector<std::string>& headers, std::string_view request_path) {
  if (headers.empty()) return;
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& h : headers) {
    std::optional<Cookie> c = ParseSetCookie(h, host_, request_path, now);
    if (!c) continue;
    // 5.3 step 11: replaces the cookie with the same name, domain and path, keeping its
    // creation time; an already expired one only removes.
    auto same = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& o) {
      return o.name == c->name && o.domain == c->domain && o.path == c->path;
    });
    const bool expired = c->expires && *c->expires <= now;
    if (same != cookies_.end()) {
      c->created = same->created;
      if (expired) {
        cookies_.erase(same);
      } else {
        *same = std::move(*c);
      }
      continue;
    }
    if (expired || cookies_.size() >= kMaxCookies) continue;
    c->created = next_created_++;
    cookies_.push_back(std::move(*c));
  }
}

std::string CookieJar::HeaderFor(std::string_view request_path) {
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  cookies_.erase(std::remove_if(cookies_.begin(), cookies_.end(),
                                [&](const Cookie& c) { return c.expires && *c.expires <= now; }),
                 cookies_.end());
  std::vector<const Cookie*> chosen;
  for (const Cookie& c : cookies_) {
    // 5.4 step 1: host, path and Secure must fit this request.
    const bool host_ok = c.host_only ? c.domain == host_ : DomainMatch(host_, c.domain);
    if (!host_ok || !PathMatch(request_path, c.path)) continue;
    if (c.secure && !secure_origin_) continue;
    chosen.push_back(&c);
  }
  // 5.4 step 2: longer paths first, then earlier creation.
  std::stable_sort(chosen.begin(), chosen.end(), [](const Cookie* a, const Cookie* b) {
    if (a->path.size() != b->path.size()) return a->path.size() > b->path.size();
    return a->created < b->created;
  });
  std::string out;
  for (const Cookie* c : chosen) {
    if (!out.empty()) out += "; ";
    out += c->name + "=" + c->value;
  }
  return out;
}

size_t CookieJar::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return cookies_.size();
}

}  // namespace jira
