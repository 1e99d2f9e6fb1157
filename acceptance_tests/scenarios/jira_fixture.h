// Shared fixture of the jira_* scenarios: an in-process Jira emulator on a free port, the
// built provider binary driven by the harness under protocol 5 or 6, and an administrator's
// REST client for checking Jira and changing it by hand ("drift").
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "acceptance_tests/emulator/cli.h"
#include "acceptance_tests/emulator/server.h"
#include "acceptance_tests/harness/testing.h"
#include "acceptance_tests/scenarios/observer_client.h"
#include "provider/jira/client.h"

namespace tfjira::scenarios {

using tfj::harness::Attrs;
using tfj::harness::Ref;
using tfj::harness::Workspace;

inline tf::Value S(const std::string& s) { return tf::Value::String(s); }
inline tf::Value B(bool b) { return tf::Value::Bool(b); }
// A set(string) attribute's value holding `items`.
inline tf::Value StringSet(const std::vector<std::string>& items) {
  std::vector<tf::Value> values;
  for (const auto& item : items) values.push_back(S(item));
  return tf::Value::Set(tf::Type::String(), std::move(values));
}
// The strings a set(string) attribute holds; none when it is null or unknown.
inline std::set<std::string> StringsOf(const tf::Value& set) {
  std::set<std::string> out;
  if (!set.is_known() || set.is_null()) return out;
  for (const auto& item : set.items()) out.insert(item.as_string());
  return out;
}

// The emulator playing Jira `version` as the version scenarios use it: seeded faults, and
// legacy user keys (the lower-cased name) where users were created before Jira 8.4.
inline emulator::Options VersionProfile(const std::string& version) {
  emulator::Options options;
  options.version = version;
  options.seed = 7;
  const auto v = emulator::ParseVersion(version);
  if (v.size() > 1 && v[0] == 8 && v[1] < 4) options.key_style = emulator::KeyStyle::kLegacy;
  return options;
}

class JiraScenario : public tfj::harness::ProtocolTest {
 protected:
  void SetUp() override { StartEmulator(emulator::Options()); }
  void TearDown() override {
    if (emulator_) emulator_->Stop();
  }

  // Starts the emulator with `options` plus the run's flags (RunFlags).
  void StartEmulator(emulator::Options options) {
    if (emulator_) emulator_->Stop();
    ApplyRunFlags(&options);
    lagging_ = options.nodes > 1 || options.faults.stale_reads;
    run_stale_reads_ = options.faults.stale_reads;
    run_stale_reads_expire_ms_ = options.faults.stale_reads_expire_ms;
    emulator_ = std::make_unique<emulator::Server>(std::move(options));
    emulator_->Start();
    admin_.reset();
  }
  // Emulator flags every scenario of this run plays against, from TFJ_EMULATOR_FLAGS (e.g.
  // "--nodes 2" or "--stale-reads"): ctest runs the same scenarios again under each, so a
  // lagging Data Center is met by every resource without copies of the scenarios.
  static std::vector<std::string> RunFlags() {
    std::vector<std::string> out;
    const char* env = std::getenv("TFJ_EMULATOR_FLAGS");
    std::istringstream in(env ? env : "");
    for (std::string word; in >> word;) out.push_back(word);
    return out;
  }
  static void ApplyRunFlags(emulator::Options* options) {
    std::string error;
    if (emulator::ParseCommandLine(RunFlags(), options, &error) != emulator::CliResult::kRun) {
      ADD_FAILURE() << "TFJ_EMULATOR_FLAGS: " << error;
    }
  }
  // Injects `faults`, keeping the run's --stale-reads (and its expiry).
  void SetFaults(emulator::Faults faults) {
    if (run_stale_reads_ && !faults.stale_reads) {
      faults.stale_reads = true;
      faults.stale_reads_expire_ms = run_stale_reads_expire_ms_;
    }
    emu().SetFaults(faults);
  }
  emulator::Server& emu() { return *emulator_; }
  // Faults as the seed, versions and profiles scenarios inject them: a fifth of the REST
  // requests (or `rate`) get a 429, a 503, a dropped connection or a lost answer (the change
  // made, no reply).
  static emulator::Faults SomeFaults(double rate = 0.2) {
    emulator::Faults faults;
    faults.fault_rate = rate;
    faults.kinds = {"429", "503", "drop", "lost"};
    faults.retry_after_s = 0;
    return faults;
  }
  // The seed, GitLab's guide to a Jira user for its integration as configuration: user
  // `gitlab` with a password, group `gitlab-developers`, the membership, and permission
  // scheme "GitLab integration" granting ADMINISTER_PROJECTS to the group (described by
  // `description` unless it is empty).
  static void ConfigureSeed(Workspace& ws, const std::string& display_name = "GitLab integration",
                            const std::string& description = "") {
    ws.SetResource("jira_user", "gitlab",
                   {{"name", S("gitlab")},
                    {"email", S("gitlab@example.com")},
                    {"display_name", S(display_name)},
                    {"password", S("GitLab-s3cret")}});
    ws.SetResource("jira_group", "developers", {{"name", S("gitlab-developers")}});
    ws.SetResource("jira_group_membership", "gitlab",
                   {{"group", Ref("jira_group.developers", "name")},
                    {"username", Ref("jira_user.gitlab", "name")}});
    Attrs scheme = {
        {"name", S("GitLab integration")},
        {"grant", ws.Blocks("jira_permission_scheme", "grant",
                            {{{"permission", S("ADMINISTER_PROJECTS")},
                              {"holder_type", S("group")},
                              {"holder_parameter", Ref("jira_group.developers", "name")}}})}};
    if (!description.empty()) scheme["description"] = S(description);
    ws.SetResource("jira_permission_scheme", "gitlab", scheme);
  }

  // The provider block pointing at the emulator as its administrator.
  Attrs ProviderConfig() const {
    return {{"url", S(emulator_->url())},
            {"username", S("admin")},
            {"password", S("admin")},
            {"request_timeout", S("10s")},
            {"max_retries", tf::Value::Int(8)}};
  }

  // A workspace for the jira provider; started unless `start` is false. Against a lagging
  // Jira it is a new run by another provider process, which may land on any node: as between
  // two runs a person starts, replication has finished by then (within a run the cookie
  // keeps the process on its node).
  std::unique_ptr<Workspace> NewWorkspace(bool start = true) {
    if (lagging_) emulator_->router().Replicate();
    auto ws = std::make_unique<Workspace>(
        Options(tfj::harness::JiraProviderBinary(), "registry.terraform.io/tfjira/jira"));
    ws->SetProviderConfig(ProviderConfig());
    if (start) {
      tfj::harness::Status s = ws->Start();
      EXPECT_TRUE(s.ok()) << s;
    }
    return ws;
  }

  // Jira's REST API as an administrator would use it (faults must be off).
  jira::Client& Admin() {
    if (!admin_) {
      jira::ClientConfig c;
      c.base_url = emulator_->url();
      c.username = "admin";
      c.password = "admin";
      c.max_retries = 0;
      auto client = jira::NewBeastClient(c);
      EXPECT_TRUE(client.ok());
      admin_ = client.value();
      // Against a lagging Jira the administrator reads and writes "the database": every node
      // sees the checks' and the drift's state at once; only the provider meets the lag.
      if (lagging_) {
        admin_ = std::make_shared<ObserverClient>(admin_, [this] { emulator_->router().Replicate(); });
      }
    }
    return *admin_;
  }

  bool UserExists(const std::string& name) { return Admin().GetUserByName(name).ok(); }
  bool GroupExists(const std::string& name) { return Admin().GetGroup(name).ok(); }
  bool IsMember(const std::string& group, const std::string& user) {
    auto u = Admin().GetUserByName(user, true);
    if (!u.ok()) return false;
    for (const auto& g : u->groups) {
      if (g == group) return true;
    }
    return false;
  }
  // The address Jira stores for the user, read from the emulator's store: REST masks or
  // hides it on some instances.
  std::string StoredEmail(const std::string& name) {
    std::string email = "<no such user>";
    emulator_->router().WithStore([&](emulator::Store& s) {
      if (const emulator::User* u = s.FindUserByName(name)) email = u->email;
    });
    return email;
  }
  // The id of the permission scheme project `key` uses (-1 when it cannot be read).
  int64_t SchemeOf(const std::string& key) {
    auto s = Admin().GetProjectPermissionScheme(key);
    EXPECT_TRUE(s.ok());
    return s.ok() ? s->id : -1;
  }
  // A new scheme whose grants let administrators browse its projects (project lists show
  // only the projects the caller may browse).
  int64_t NewScheme(const std::string& name) {
    jira::PermissionScheme s;
    s.name = name;
    jira::PermissionGrant browse;
    browse.permission = "BROWSE_PROJECTS";
    browse.holder = {"group", "jira-administrators"};
    s.grants.push_back(browse);
    auto created = Admin().CreatePermissionScheme(s);
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : -1;
  }
  // Usernames of the group's members, inactive users included.
  std::set<std::string> Members(const std::string& group) {
    std::set<std::string> out;
    auto all = Admin().GetAllGroupMembers(group, true);
    EXPECT_TRUE(all.ok());
    if (all.ok()) {
      for (const auto& u : all.value()) out.insert(u.name);
    }
    return out;
  }
  // A user named `name`, with an e-mail address and display name made from it.
  void AddUser(const std::string& name) {
    jira::NewUser nu{name, name + "@example.com", name, std::nullopt, false};
    ASSERT_TRUE(Admin().CreateUser(nu).ok());
  }
  // Schemes with this exact name (to count duplicates).
  std::vector<jira::PermissionScheme> SchemesNamed(const std::string& name) {
    std::vector<jira::PermissionScheme> out;
    auto all = Admin().ListPermissionSchemes(true);
    EXPECT_TRUE(all.ok());
    if (!all.ok()) return out;
    for (const auto& s : all.value()) {
      if (s.name == name) out.push_back(s);
    }
    return out;
  }

  std::unique_ptr<emulator::Server> emulator_;
  std::shared_ptr<jira::Client> admin_;
  bool lagging_ = false;          // a cluster or --stale-reads: the admin observes settled
  bool run_stale_reads_ = false;  // the run's --stale-reads, kept across SetFaults
  int run_stale_reads_expire_ms_ = -1;
};

// The planned action of `address` in the workspace's last plan, or "absent".
inline std::string ActionOf(const Workspace& ws, const std::string& address) {
  for (const auto& c : ws.last_plan()) {
    if (c.address == address) return tfj::harness::ActionName(c.action);
  }
  return "absent";
}

inline std::string DiffOf(const Workspace& ws, const std::string& address) {
  std::string out;
  for (const auto& c : ws.last_plan()) {
    if (c.address != address) continue;
    for (const auto& d : c.diff) out += d + "\n";
  }
  return out;
}

}  // namespace tfjira::scenarios

// The Jira versions the project supports, one test each (named Jira_<major>_<minor>, so that
// ctest can pick some of them, as the lagging variants do), each running the suite's
// RunSeedScenario(version). One list for the harness's and the real CLI's version suites.
#define TFJ_SEED_SCENARIO_PER_JIRA_VERSION(Suite)                 \
  TEST_P(Suite, Jira_8_0) { RunSeedScenario("8.0.0"); }           \
  TEST_P(Suite, Jira_8_3) { RunSeedScenario("8.3.0"); }           \
  TEST_P(Suite, Jira_8_4) { RunSeedScenario("8.4.0"); }           \
  TEST_P(Suite, Jira_8_5) { RunSeedScenario("8.5.0"); }           \
  TEST_P(Suite, Jira_8_20) { RunSeedScenario("8.20.10"); }        \
  TEST_P(Suite, Jira_9_4) { RunSeedScenario("9.4.0"); }           \
  TEST_P(Suite, Jira_9_12) { RunSeedScenario("9.12.2"); }         \
  TEST_P(Suite, Jira_10_3) { RunSeedScenario("10.3.1"); }
