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
  EXPECT_EQ(o.faults.stale_reads_expire_ms, -1);  // no --replication-delay: never expires
}

TEST(Cli, ReplicationDelayBoundsStaleReads) {
  Options o;
  std::string error;
  ASSERT_EQ(Parse({"--stale-reads", "--replication-delay", "40"}, &o, &error), CliResult::kRun)
      << error;
  EXPECT_TRUE(o.faults.stale_reads);
  EXPECT_EQ(o.faults.stale_reads_expire_ms, 40);
  EXPECT_EQ(o.replication_delay, std::chrono::milliseconds(40));
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


TEST(Cli, ParsesTheJiraProfileFlags) {
  Options o;
  std::string error;
  ASSERT_EQ(Parse({"--language", "de", "--user-language", "bob=en", "--email-visibility",
                   "masked", "--admins-see-email", "--nested-groups", "--nest", "devs:staff",
                   "--restricted-group", "support", "--user-with-content", "bob",
                   "--group-picker-limit", "5", "--group-picker-honours-max-results",
                   "--redirect", "https://jira.example.com/", "--redirect-status", "301",
                   "--seats", "jira-software=10", "--seats=jira-core=2", "--key-style",
                   "version"},
                  &o, &error),
            CliResult::kRun)
      << error;
  EXPECT_EQ(o.language, Language::kGerman);
  EXPECT_EQ(o.user_languages.at("bob"), Language::kEnglish);
  EXPECT_EQ(o.email_visibility, EmailVisibility::kMasked);
  EXPECT_TRUE(o.admins_see_email);
  EXPECT_TRUE(o.nested_groups);
  ASSERT_EQ(o.nests.size(), 1u);
  EXPECT_EQ(o.nests[0], (std::pair<std::string, std::string>{"devs", "staff"}));
  EXPECT_EQ(o.restricted_groups, std::vector<std::string>{"support"});
  EXPECT_EQ(o.users_with_content, std::vector<std::string>{"bob"});
  EXPECT_EQ(o.group_picker_limit, 5);
  EXPECT_TRUE(o.group_picker_honours_max_results);
  EXPECT_EQ(o.redirect_url, "https://jira.example.com");
  EXPECT_EQ(o.redirect_status, 301);
  EXPECT_EQ(o.seats.at("jira-software"), 10);
  EXPECT_EQ(o.seats.at("jira-core"), 2);
  EXPECT_EQ(o.key_style, KeyStyle::kByVersion);
  for (const char* flag : {"--language", "--email-visibility", "--nested-groups", "--nest",
                           "--restricted-group", "--user-with-content", "--group-picker-limit",
                           "--redirect", "--seats"}) {
    EXPECT_NE(Usage().find(flag), std::string::npos) << flag;
  }
}

TEST(Cli, RejectsBadProfileValues) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--language", "fr"},
           {"--user-language", "bob"},
           {"--email-visibility", "secret"},
           {"--nest", "nocolon"},
           {"--redirect", "ftp://x"},
           {"--redirect-status", "303"},
           {"--seats", "jira-servicedesk=3"},
           {"--seats", "jira-software=-1"},
           {"--group-picker-limit", "x"}}) {
    Options o;
    std::string error;
    EXPECT_EQ(Parse(args, &o, &error), CliResult::kError) << args[0];
    EXPECT_NE(error.find(args[0]), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace emulator
