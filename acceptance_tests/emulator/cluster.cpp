#include "acceptance_tests/emulator/cluster.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace emulator {

namespace {

// The pairs of a Cookie request header: "a=1; b=2" (RFC 6265 section 4.2.1).
std::vector<std::pair<std::string, std::string>> ParseCookieHeader(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    out.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
  }
  return out;
}

// "node<N>" -> N-1, or -1.
int ParseNodeName(std::string_view name, int nodes) {
  if (name.rfind("node", 0) != 0 || name.size() < 5 || name.size() > 8) return -1;
  int n = 0;
  for (char c : name.substr(4)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n >= 1 && n <= nodes ? n - 1 : -1;
}

}  // namespace

Cluster::Cluster(int nodes, std::chrono::milliseconds replication_delay,
                 std::string balancer_cookie, uint64_t seed)
    : nodes_(std::max(1, nodes)),
      delay_(replication_delay),
      balancer_cookie_(std::move(balancer_cookie)),
      rng_(seed) {}

std::string Cluster::NewToken(size_t hex_digits) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < hex_digits; ++i) out += kHex[rng_() & 15];
  return out;
}

int Cluster::NodeOfSession(const std::string& jsessionid) const {
  // mod_proxy_balancer and NGINX read the route after the last '.'; the session itself need
  // not exist on that node (it then starts a new one).
  size_t dot = jsessionid.rfind('.');
  if (dot == std::string::npos) return -1;
  return ParseNodeName(std::string_view(jsessionid).substr(dot + 1), nodes_);
}

int Cluster::NodeOfBalancerCookie(const std::string& value) const {
  if (balancer_cookie_ == "ROUTEID") {
    // Apache sets ".<route>" (the worker's route prefixed with a dot).
    if (value.empty() || value.front() != '.') return -1;
    return ParseNodeName(std::string_view(value).substr(1), nodes_);
  }
  auto it = balancer_tokens_.find(value);  // AWSALB: opaque to the client
  return it == balancer_tokens_.end() ? -1 : it->second;
}

Cluster::Route Cluster::Pick(const Request& request) {
  std::string jsessionid;
  std::string balancer_value;
  bool has_balancer = false;
  if (auto it = request.headers.find("Cookie"); it != request.headers.end()) {
    for (auto& [name, value] : ParseCookieHeader(it->second)) {
      if (name == "JSESSIONID") jsessionid = value;
      if (!balancer_cookie_.empty() && name == balancer_cookie_) {
        balancer_value = value;
        has_balancer = true;
      }
    }
  }
  Route route;
  int node = -1;
  if (balancer_cookie_.empty()) {
    node = NodeOfSession(jsessionid);
  } else if (has_balancer) {
    node = NodeOfBalancerCookie(balancer_value);
  }
  if (node < 0) {
    node = next_;
    next_ = (next_ + 1) % nodes_;
    route.new_balancer = !balancer_cookie_.empty();
  }
  route.node = node;
  auto session = sessions_.find(jsessionid);
  route.new_session = session == sessions_.end() || session->second != node;
  ++served_[NodeName(node)];
  return route;
}

void Cluster::Decorate(const Route& route, const std::string& cookie_path, Response* response) {
  if (route.new_session) {
    // Tomcat: a 32-hex-digit id, ".<jvmRoute>" appended when the node has one, Path = the
    // context path, HttpOnly (Jira's server.xml sets useHttpOnly).
    std::string id = NewToken(32) + "." + NodeName(route.node);
    sessions_[id] = route.node;
    response->headers.emplace_back("Set-Cookie", "JSESSIONID=" + id + "; Path=" + cookie_path +
                                                     "; HttpOnly");
  }
  if (route.new_balancer && balancer_cookie_ == "ROUTEID") {
    response->headers.emplace_back("Set-Cookie", "ROUTEID=." + NodeName(route.node) + "; path=/");
  } else if (route.new_balancer && balancer_cookie_ == "AWSALB") {
    std::string token = NewToken(64);
    balancer_tokens_[token] = route.node;
    // The expiry is 7 days ahead; the date itself matters to no test, so it is far ahead.
    response->headers.emplace_back(
        "Set-Cookie", "AWSALB=" + token + "; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Path=/");
  }
  response->SetHeader("X-ANODEID", NodeName(route.node));
}

void Cluster::Prune(TimePoint now) {
  while (!writes_.empty() && now - writes_.front().at >= delay_) {
    base_ = writes_.front().after;
    writes_.pop_front();
  }
}

void Cluster::BeforeWrite(const Store& database, TimePoint now) {
  Prune(now);
  if (writes_.empty()) base_ = std::make_shared<const Store>(database);
}

void Cluster::Committed(int node, const Store& database, TimePoint now) {
  if (!active()) return;
  writes_.push_back({now, node, std::make_shared<const Store>(database)});
  Prune(now);
}

std::shared_ptr<const Store> Cluster::ViewOf(int node, TimePoint now) {
  Prune(now);
  if (writes_.empty()) return nullptr;
  // After pruning every pending write is younger than the delay: the node sees up to its
  // own newest one.
  for (size_t i = writes_.size(); i-- > 0;) {
    if (writes_[i].node != node) continue;
    return i + 1 == writes_.size() ? nullptr : writes_[i].after;
  }
  return base_;
}

void Cluster::CatchUp() {
  writes_.clear();
  base_.reset();
}

}  // namespace emulator
