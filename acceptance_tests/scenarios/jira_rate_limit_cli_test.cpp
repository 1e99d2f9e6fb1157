// The real terraform CLI at high parallelism against a Jira that rate-limits the user (the
// emulator's per-user token bucket, with Jira Data Center's X-RateLimit headers): apply,
// plan and destroy end without error, and the provider paces itself instead of collecting
// refusals. Skipped, with the reason, when terraform is not on PATH.
#include <string>

#include "acceptance_tests/harness/terraform_cli.h"
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

using tfj::harness::CliResult;
using tfj::harness::TerraformCli;

constexpr int kUsers = 60;
constexpr int kGroups = 3;
constexpr int kBurst = 20;
constexpr double kFillPerSecond = 20;

std::string Config() {
  return R"(
terraform {
  required_providers {
    jira = { source = "registry.terraform.io/tfjira/jira" }
  }
}
provider "jira" {}

resource "jira_group" "g" {
  count = )" + std::to_string(kGroups) + R"(
  name  = "paced-group-${count.index}"
}
resource "jira_user" "u" {
  count        = )" + std::to_string(kUsers) + R"(
  name         = "paced-user-${count.index}"
  email        = "paced-user-${count.index}@example.com"
  display_name = "Paced user ${count.index}"
}
resource "jira_group_membership" "m" {
  count    = )" + std::to_string(kUsers) + R"(
  group    = jira_group.g[count.index % )" + std::to_string(kGroups) + R"(].name
  username = jira_user.u[count.index].name
}
)";
}

class JiraRateLimitCliTest : public JiraScenario {
 protected:
  struct Counts {
    int64_t total = 0;
    int64_t refused = 0;
  };
  Counts Now() {
    nlohmann::json s = emu().Stats();
    Counts c;
    c.total = s.value("total", int64_t{0});
    c.refused = s["faults"].value("rate-limited", int64_t{0});
    return c;
  }
  // Runs one step and checks it succeeded with at most 5% of its requests refused.
  void Step(const std::string& name, const CliResult& r, int expected_exit, Counts before) {
    EXPECT_EQ(r.exit_code, expected_exit) << name << "\n" << r.Describe();
    EXPECT_EQ(r.err.find("429"), std::string::npos) << name << "\n" << r.err;
    Counts after = Now();
    const int64_t requests = after.total - before.total;
    const int64_t refused = after.refused - before.refused;
    const int64_t needed = requests - refused;
    EXPECT_GT(needed, kBurst) << name << ": the step must outrun the burst to test pacing";
    EXPECT_LE(static_cast<double>(requests), 1.05 * static_cast<double>(needed))
        << name << ": " << requests << " requests for " << needed << " needed, " << refused
        << " refused";
  }
};

TEST_P(JiraRateLimitCliTest, HighParallelismUnderTheLimitSucceedsWithoutRefusals) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  emulator::Faults f;
  f.rate_limit_capacity = kBurst;
  f.rate_limit_refill_per_s = kFillPerSecond;
  emu().SetFaults(f);

  tfj::harness::TerraformCliOptions o;
  o.provider_binary = tfj::harness::JiraProviderBinary();
  o.provider_source = "registry.terraform.io/tfjira/jira";
  o.protocol = GetParam();
  o.env = {{"JIRA_URL", emu().url()}, {"JIRA_USERNAME", "admin"}, {"JIRA_PASSWORD", "admin"}};
  TerraformCli tf(o);
  tfj::harness::Status s = tf.Setup();
  ASSERT_TRUE(s.ok()) << s;
  tf.WriteMainTf(Config());

  Counts before = Now();
  Step("apply", tf.Run({"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=100"}),
       0, before);
  EXPECT_TRUE(UserExists("paced-user-" + std::to_string(kUsers - 1)));
  EXPECT_TRUE(IsMember("paced-group-0", "paced-user-0"));

  before = Now();
  Step("plan", tf.Run({"plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=100"}),
       0, before);

  before = Now();
  Step("destroy",
       tf.Run({"destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=100"}), 0,
       before);
  EXPECT_FALSE(UserExists("paced-user-0"));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraRateLimitCliTest);

}  // namespace
}  // namespace tfjira::scenarios
