// A Jira Data Center cluster as a client sees it: several nodes behind a load balancer, one
// shared database, and per-node caches that learn of other nodes' writes late.
//
// What it follows (Atlassian):
// - "Jira Data Center Load Balancer examples" (confluence.atlassian.com/enterprise/
//   jira-data-center-load-balancer-examples-781200827.html): "Jira requires sticky HTTP
//   sessions"; either the balancer's own cookie (Apache mod_proxy_balancer:
//   `Set-Cookie: ROUTEID=.<route>; path=/`, stickysession=ROUTEID) or Tomcat's JSESSIONID
//   carrying the node's jvmRoute after its last '.' (stickysession=JSESSIONID), as the NGINX
//   Plus example in "How to set up NGINX Plus as the load balancer for a JIRA Data Center
//   cluster" reads it (`~.+\.(?P<route>\w+)$`). A request without a usable affinity cookie
//   may land on any node: the front plays that with round-robin.
// - "HealthCheck: Asynchronous Cache Replication Queues" (support.atlassian.com/jira/kb/
//   healthcheck-asynchronous-cache-replication-queues): from Jira 7.9 "cache modifications
//   aren't replicated to other nodes immediately after they occur, but are instead added to
//   local queues. They are then replicated in the background based on their order". So a
//   write is in the database at once (every later write sees it), while another node's reads
//   show it only after the replication delay.
// - AWS, "Sticky sessions for your Application Load Balancer" (docs.aws.amazon.com/
//   elasticloadbalancing/latest/application/sticky-sessions.html): duration-based stickiness
//   sets an opaque, encrypted cookie AWSALB that expires after 7 days by default.
// - "Sticky sessions for AWS NLB over TLS" (support.atlassian.com/jira/kb/): without session
//   stickiness "users will keep being redirected to different nodes each time they make a
//   request ... as sessions are not replicated across Jira nodes".
//
// [INF] The model of one node's view: the database as of the newest write that this node made
// itself or that is older than the replication delay (writes queue in order, so a node that
// has applied a write has applied every earlier one; and a node's own write went through the
// database, which already held every earlier write). Only reads (GET) use a node's view;
// writes and logins act on the database. A node answers each request lacking a session of
// its own with a new JSESSIONID (Jira creates a session for a request authenticated with basic
// auth), and names itself in X-ANODEID, as Jira Data Center does on every answer.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "acceptance_tests/emulator/http_message.h"
#include "acceptance_tests/emulator/store.h"

namespace emulator {

class Cluster {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // `balancer_cookie`: "" (route on JSESSIONID), "ROUTEID" or "AWSALB".
  Cluster(int nodes, std::chrono::milliseconds replication_delay, std::string balancer_cookie,
          uint64_t seed);

  bool active() const { return nodes_ > 1; }
  int nodes() const { return nodes_; }

  // Where the load balancer sends a request, and what the answer must set.
  struct Route {
    int node = 0;                 // 0-based
    bool new_session = false;     // the node sets a JSESSIONID
    bool new_balancer = false;    // the balancer sets its own cookie
  };
  // The node named by the request's affinity cookie, else the next one round-robin.
  Route Pick(const Request& request);
  // Adds the Set-Cookie fields `route` calls for and X-ANODEID. `cookie_path` is the
  // application's context path ("/" at the root), Tomcat's Path for JSESSIONID.
  void Decorate(const Route& route, const std::string& cookie_path, Response* response);

  // Before a write: keeps the database as it was when nothing is pending replication.
  void BeforeWrite(const Store& database, TimePoint now);
  // After a successful write by `node`: `database` is the state that includes it.
  void Committed(int node, const Store& database, TimePoint now);
  // The state `node` reads now, or nullptr when it is the database's current state.
  std::shared_ptr<const Store> ViewOf(int node, TimePoint now);
  // Every node catches up with the database (replication finished; also after a reset).
  void CatchUp();

  // Requests served per node, e.g. {"node1": 3, "node2": 4}.
  std::map<std::string, int64_t> Served() const { return served_; }

  static std::string NodeName(int node) { return "node" + std::to_string(node + 1); }

 private:
  struct Write {
    TimePoint at;
    int node;
    std::shared_ptr<const Store> after;
  };
  void Prune(TimePoint now);
  std::string NewToken(size_t hex_digits);
  // The node named by `value` of the affinity cookie, or -1.
  int NodeOfSession(const std::string& jsessionid) const;
  int NodeOfBalancerCookie(const std::string& value) const;

  int nodes_;
  std::chrono::milliseconds delay_;
  std::string balancer_cookie_;
  std::mt19937_64 rng_;
  int next_ = 0;                                   // round-robin cursor
  std::map<std::string, int> sessions_;            // JSESSIONID -> node
  std::map<std::string, int> balancer_tokens_;     // AWSALB value -> node
  std::shared_ptr<const Store> base_;              // state before writes_[0]
  std::deque<Write> writes_;                       // not yet seen by every node
  std::map<std::string, int64_t> served_;
};

}  // namespace emulator
