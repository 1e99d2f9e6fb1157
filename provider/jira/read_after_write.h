// Read-after-write tolerance for Jira Data Center clusters.
//
// Jira Data Center replicates its caches between nodes asynchronously (Jira 7.9+, "HealthCheck:
// Asynchronous Cache Replication Queues"), so when a request does not reach the node that took
// a write (a balancer without affinity, a session that moved), a read right after the write can
// answer 404 or the old value. The cookie jar (cookie_jar.h) keeps a process on one node; this
// is the second line: a Client decorator that remembers what this process wrote (created,
// changed, deleted, added to or removed from a group, granted, assigned) and, when a read in
// the next `window` contradicts it, reads again with a short backoff until it agrees or
// `budget` is spent. Then the answer counts as it is. A read that agrees confirms the write;
// when a later read contradicts a confirmed write, it gets only a brief second look (two quick
// retries): someone else's change (drift) is then as likely as a lagging node.
//
// It decides only by Jira's state (a 404, the fields of an answer), never by message texts.
// Reads the process made no write for go straight through, unchanged.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "provider/jira/client.h"

namespace jira {

struct ReadAfterWriteConfig {
  // Total wait for one read to agree with this process's writes; zero turns the helper off.
  std::chrono::milliseconds budget{4000};
  // The first wait; each next one doubles, up to a second.
  std::chrono::milliseconds first_delay{50};
  // How long a write is remembered unconfirmed.
  std::chrono::milliseconds window{30000};
  // Debug sink: one line per retried read (object kinds and ids only, never credentials).
  std::function<void(std::string_view)> log;
  // Called with each wait before it starts; the wait happens regardless. For tests.
  std::function<void(std::chrono::milliseconds)> on_wait;
  // Clients with the same non-empty key share what they remember for the life of the process
  // (NewClient: the Jira's base URL), so a provider configured again keeps its writes in
  // mind. Empty: this client and its WithCancellation views only.
  std::string shared_key;
};

// `inner` with read-after-write tolerance (returns `inner` itself when budget is zero).
std::shared_ptr<Client> WithReadAfterWrite(std::shared_ptr<Client> inner,
                                           ReadAfterWriteConfig config = {});

// The provider's client: NewBeastClient(config) behind WithReadAfterWrite, logging to
// config.log.
Result<std::shared_ptr<Client>> NewClient(ClientConfig config);

}  // namespace jira
