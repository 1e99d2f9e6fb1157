#include "acceptance_tests/emulator/cli.h"

#include <gtest/gtest.h>

namespace emulator {
namespace {

CliResult Parse(std::vector<std::string> args, Options* o, std::string* error) {
  return ParseCommandLine(args, o, error);
}

TEST(Cli, ParsesEveryFlag) {
  Options o;
  std::string error;
  ASSERT_EQ(Parse({"--listen", "127.0.0.1:8080", "--admin-user=root", "--admin-password", "pw",
                   "--token", "root=abc", "--seed-user", "bob=b", "--seed-admin", "ann=a",
                   "--group", "devs", "--state", "/tmp/s.json", "--context", "jira/",
                   "--jira-version", "10.3.1", "--deployment-type", "Cloud", "--key-style",
                   "legacy", "--captcha-after", "3", "--latency-ms", "5", "--fault-rate", "0.25",
                   "--fault-kinds", "429,lost", "--fault-methods", "POST", "--fail-next", "2",
                   "--retry-after", "4", "--rate-limit", "10/2.5", "--seed", "9", "--threads",
                   "2", "--body-limit", "1000", "--idle-timeout", "5", "--user-search-cap", "7", "--stale-reads"},
                  &o, &error),
            CliResult::kRun)
      << error;
  EXPECT_EQ(o.listen_port, 8080);
  EXPECT_EQ(o.admin_user, "root");
  EXPECT_EQ(o.admin_password, "pw");
  EXPECT_EQ(o.tokens.at("abc"), "root");
  ASSERT_EQ(o.users.size(), 2u);
  EXPECT_FALSE(o.users[0].admin);
  EXPECT_TRUE(o.users[1].admin);
  EXPECT_EQ(o.groups, std::vector<std::string>{"devs"});
  EXPECT_EQ(o.state_file, "/tmp/s.json");
  EXPECT_EQ(o.context_path, "/jira");
  EXPECT_EQ(o.version, "10.3.1");
  EXPECT_EQ(o.deployment_type, "Cloud");
  EXPECT_EQ(o.key_style, KeyStyle::kLegacy);
  EXPECT_EQ(o.captcha_after, 3);
  EXPECT_EQ(o.faults.latency_ms, 5);
  EXPECT_DOUBLE_EQ(o.faults.fault_rate, 0.25);
  EXPECT_EQ(o.faults.kinds, (std::vector<std::string>{"429", "lost"}));
  EXPECT_EQ(o.faults.methods, std::vector<std::string>{"POST"});
  EXPECT_EQ(o.faults.fail_next, 2);
  EXPECT_EQ(o.faults.retry_after_s, 4);
  EXPECT_EQ(o.faults.rate_limit_capacity, 10);
  EXPECT_DOUBLE_EQ(o.faults.rate_limit_refill_per_s, 2.5);
  EXPECT_EQ(o.seed, 9u);
  EXPECT_EQ(o.threads, 2);
  EXPECT_EQ(o.body_limit, 1000u);
  EXPECT_EQ(o.idle_timeout, std::chrono::seconds(5));
  EXPECT_EQ(o.user_search_cap, 7);
  EXPECT_TRUE(o.faults.stale_reads);
}

TEST(Cli, RejectsBadValuesWithTheFlagName) {
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  };
  for (const auto& c : std::vector<Case>{{{"--listen", "nohost"}, "--listen"},
                                         {{"--listen", "1.2.3.4:99999"}, "--listen"},
                                         {{"--fault-rate", "2"}, "--fault-rate"},
                                         {{"--fault-kinds", "429,boom"}, "--fault-kinds"},
                                         {{"--rate-limit", "10"}, "--rate-limit"},
                                         {{"--token", "novalue"}, "--token"},
                                         {{"--tls-cert", "c.pem"}, "--tls-key"},
                                         {{"--bogus"}, "--bogus"},
                                         {{"--state"}, "--state"}}) {
    Options o;
    std::string error;
    EXPECT_EQ(Parse(c.args, &o, &error), CliResult::kError) << c.args[0];
    EXPECT_NE(error.find(c.expect), std::string::npos) << error;
  }
  Options o;
  std::string error;
  EXPECT_EQ(Parse({"--help"}, &o, &error), CliResult::kHelp);
  EXPECT_NE(Usage().find("--rate-limit"), std::string::npos);
}

}  // namespace
}  // namespace emulator
