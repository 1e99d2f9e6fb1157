// Refresh at scale: drives the real terraform CLI (protocol 5, reattach, so the provider
// process can be measured) against an in-process Jira emulator and prints how many Jira
// requests one `terraform plan` sends per resource, and the provider's memory.
//
//   memberships only:   1,000 jira_group_membership in 20 groups (users and groups made
//                       in Jira beforehand): requests per membership (goal <= 0.1)
//   whole configuration: users, groups, memberships and one permission scheme
//                       (goal <= 1.05 requests per resource)
//   jira_group_members: the same users in 20 jira_group_members resources
//   memory:             provider RSS after plan with about 100 and 2,000 resources
//
// Prints figures only; nothing here asserts a timing. Skips (exit 0) without terraform.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "acceptance_tests/emulator/server.h"
#include "acceptance_tests/harness/terraform_cli.h"
#include "acceptance_tests/harness/testing.h"

namespace {

using tfj::harness::TerraformCli;

struct Shape {
  int users = 0;
  int groups = 0;
  bool with_users_and_groups = false;  // else they are made in Jira beforehand
  bool members_resource = false;       // jira_group_members instead of memberships
};

std::string User(int i) { return "user" + std::to_string(i); }
std::string Group(int g) { return "team" + std::to_string(g); }

std::string Config(const Shape& s) {
  std::ostringstream tf;
  tf << "terraform {\n  required_providers {\n    jira = { source = "
        "\"registry.terraform.io/tfjira/jira\" }\n  }\n}\nprovider \"jira\" {}\n";
  if (s.with_users_and_groups) {
    tf << "resource \"jira_user\" \"u\" {\n  count = " << s.users
       << "\n  name  = \"user${count.index}\"\n  email = \"user${count.index}@example.com\"\n}\n";
    tf << "resource \"jira_group\" \"g\" {\n  count = " << s.groups
       << "\n  name  = \"team${count.index}\"\n}\n";
    tf << "resource \"jira_permission_scheme\" \"s\" {\n  name = \"Bench\"\n  grant {\n"
          "    permission       = \"ADMINISTER_PROJECTS\"\n    holder_type      = \"group\"\n"
          "    holder_parameter = jira_group.g[0].name\n  }\n}\n";
  }
  const std::string user_ref = s.with_users_and_groups ? "jira_user.u[count.index].name"
                                                       : "\"user${count.index}\"";
  const std::string group_ref = s.with_users_and_groups
                                    ? "jira_group.g[count.index % " + std::to_string(s.groups) + "].name"
                                    : "\"team${count.index % " + std::to_string(s.groups) + "}\"";
  if (s.members_resource) {
    const int per_group = s.users / s.groups;
    tf << "resource \"jira_group_members\" \"m\" {\n  count = " << s.groups << "\n  group = "
       << (s.with_users_and_groups ? "jira_group.g[count.index].name" : "\"team${count.index}\"")
       << "\n  usernames = [for i in range(" << per_group << ") : "
       << (s.with_users_and_groups ? "jira_user.u[count.index * " + std::to_string(per_group) +
                                         " + i].name"
                                   : "\"user${count.index * " + std::to_string(per_group) +
                                         " + i}\"")
       << "]\n}\n";
  } else {
    // User i is in group i % groups.
    tf << "resource \"jira_group_membership\" \"m\" {\n  count    = " << s.users
       << "\n  group    = " << group_ref << "\n  username = " << user_ref << "\n}\n";
  }
  return tf.str();
}

long StatusKb(int pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}

struct Figures {
  int resources = 0;
  int64_t requests = 0;
  long rss_kb = -1;
  bool ok = false;
};

Figures Run(const Shape& s, int resources) {
  Figures f;
  f.resources = resources;
  emulator::Options o;
  o.threads = 4;
  emulator::Server emu(o);
  emu.Start();
  if (!s.with_users_and_groups) {
    // Users and groups made in Jira beforehand, as an administrator would.
    emu.router().WithStore([&](emulator::Store& st) {
      for (int g = 0; g < s.groups; ++g) st.AddGroup(Group(g));
      for (int i = 0; i < s.users; ++i) {
        emulator::User u;
        u.name = User(i);
        u.email = User(i) + "@example.com";
        u.display_name = User(i);
        u.password = "pw";
        st.AddUser(u, emulator::KeyStyle::kJiraUser);
      }
    });
  }
  tfj::harness::TerraformCliOptions opts;
  opts.provider_binary = tfj::harness::JiraProviderBinary();
  opts.provider_source = "registry.terraform.io/tfjira/jira";
  opts.protocol = 5;
  opts.timeout = std::chrono::seconds(1800);
  opts.env = {{"JIRA_URL", emu.url()}, {"JIRA_USERNAME", "admin"}, {"JIRA_PASSWORD", "admin"}};
  TerraformCli tf(opts);
  if (!tf.Setup().ok()) {
    std::fprintf(stderr, "terraform set-up failed\n");
    return f;
  }
  tf.WriteMainTf(Config(s));
  auto applied = tf.Run({"apply", "-auto-approve", "-input=false", "-no-color"});
  if (applied.exit_code != 0) {
    std::fprintf(stderr, "apply failed:\n%s\n", applied.Describe().c_str());
    return f;
  }
  // The plan's requests: the counter before and after (the provider runs in reattach mode,
  // so it is also the process whose memory is read afterwards).
  const int64_t before = emu.Stats()["total"].get<int64_t>();
  auto planned = tf.Run({"plan", "-input=false", "-no-color", "-detailed-exitcode"});
  const int64_t after = emu.Stats()["total"].get<int64_t>();
  if (planned.exit_code != 0) {
    std::fprintf(stderr, "plan was not empty (exit %d):\n%s\n", planned.exit_code,
                 planned.Describe().c_str());
    return f;
  }
  f.requests = after - before;
  if (tf.reattach()) f.rss_kb = StatusKb(tf.reattach()->pid, "VmRSS:");
  f.ok = true;
  return f;
}

void Print(const char* what, const Figures& f, int per) {
  if (!f.ok) {
    std::printf("%-44s failed (see stderr)\n", what);
    return;
  }
  std::printf("%-44s %5d resources  %6lld requests  %.3f requests/%s  RSS %ld KiB\n", what,
              f.resources, static_cast<long long>(f.requests),
              static_cast<double>(f.requests) / per,
              per == f.resources ? "resource" : "membership", f.rss_kb);
}

}  // namespace

int main(int argc, char** argv) {
  // One line per figure as soon as it is known, also when the output goes to a file.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (tfj::harness::TerraformCli::FindTerraform().empty()) {
    std::printf("skipped: terraform is not on PATH\n");
    return 0;
  }
  // Scale down for a quick look: bench_refresh --users 200
  int users = 1000, groups = 20;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--users") users = std::stoi(argv[i + 1]);
  }
  std::printf("terraform plan against the emulator, protocol 5 (reattach), parallelism 10\n");
  {
    Shape s{users, groups, false, false};
    Print("jira_group_membership only", Run(s, users), users);
  }
  {
    Shape s{users, groups, true, false};
    const int resources = users + groups + users + 1;
    Print("users + groups + memberships + scheme", Run(s, resources), resources);
  }
  {
    Shape s{users, groups, false, true};
    Figures f = Run(s, groups);
    Print("jira_group_members only (per resource)", f, groups);
    if (f.ok) {
      std::printf("%-44s %.3f requests/member\n", "jira_group_members only (per member)",
                  static_cast<double>(f.requests) / users);
    }
  }
  {
    Shape s{users, groups, true, true};
    const int resources = users + groups + groups + 1;
    Print("users + groups + group_members + scheme", Run(s, resources), resources);
  }
  for (int n : {100, 2000}) {
    // About n resources: n/2 users with one membership each, 20 groups.
    Shape s{n / 2, 20, true, false};
    const int resources = n / 2 + 20 + n / 2 + 1;
    Figures f = Run(s, resources);
    std::printf("provider RSS after plan, %5d resources: %ld KiB\n", resources, f.rss_kb);
  }
  return 0;
}
