// tfj-demo: the examples/gitlab-integration walkthrough without a Terraform CLI. The
// acceptance harness plays Terraform core (plan, apply, an empty re-plan, destroy, holding
// the provider to core's rules), and the Jira objects are fetched over REST after each step.
// `make demo` runs it when no terraform or tofu is on PATH (or with TFJ_DEMO_NO_CLI=1).
//
// The configuration below mirrors examples/gitlab-integration/main.tf; keep them in step.
//
// Usage: tfj-demo --provider BINARY --jira-url URL [--jira-username admin --jira-password admin]
#include <iostream>
#include <random>
#include <sstream>
#include <string>

#include "acceptance_tests/harness/workspace.h"
#include "provider/jira/client.h"

namespace {

using tfj::harness::Action;
using tfj::harness::Attrs;
using tfj::harness::PlannedChange;
using tfj::harness::Ref;
using tfj::harness::Status;
using tfj::harness::Workspace;

struct Flags {
  std::string provider;
  std::string jira_url;
  std::string jira_username = "admin";
  std::string jira_password = "admin";
};

bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    std::string value = argv[i + 1];
    if (name == "--provider") flags->provider = value;
    else if (name == "--jira-url") flags->jira_url = value;
    else if (name == "--jira-username") flags->jira_username = value;
    else if (name == "--jira-password") flags->jira_password = value;
    else return false;
  }
  return argc % 2 == 1 && !flags->provider.empty() && !flags->jira_url.empty();
}

std::string RandomPassword() {
  std::random_device rd;
  std::ostringstream s;
  s << "demo-" << std::hex << rd() << rd() << rd();
  return s.str();
}

// Values as Terraform's plan output writes them.
std::string Render(const tf::Value& v) {
  if (v.is_unknown()) return "(known after apply)";
  if (v.is_null()) return "null";
  switch (v.type().kind()) {
    case tf::TypeKind::kString: return "\"" + v.as_string() + "\"";
    case tf::TypeKind::kNumber: return v.as_number().text();
    case tf::TypeKind::kBool: return v.as_bool() ? "true" : "false";
    case tf::TypeKind::kList:
    case tf::TypeKind::kSet:
    case tf::TypeKind::kTuple: {
      std::string out = "[";
      for (const auto& item : v.items()) out += (out.size() > 1 ? ", " : "") + Render(item);
      return out + "]";
    }
    case tf::TypeKind::kMap:
    case tf::TypeKind::kObject: {
      const auto& items = v.type().kind() == tf::TypeKind::kMap ? v.map_items() : v.attributes();
      std::string out = "{";
      for (const auto& [k, item] : items) {
        if (item.is_null()) continue;
        out += (out.size() > 1 ? ", " : " ") + k + " = " + Render(item);
      }
      return out + " }";
    }
    case tf::TypeKind::kDynamic: break;
  }
  return v.DebugString();
}

const char* Symbol(Action action) {
  switch (action) {
    case Action::kCreate: return "+";
    case Action::kUpdate: return "~";
    case Action::kReplace: return "-/+";
    case Action::kDelete: return "-";
    case Action::kNoOp: break;
  }
  return " ";
}

const char* Verb(Action action) {
  switch (action) {
    case Action::kCreate: return "will be created";
    case Action::kUpdate: return "will be updated in-place";
    case Action::kReplace: return "must be replaced";
    case Action::kDelete: return "will be destroyed";
    case Action::kNoOp: break;
  }
  return "has no changes";
}

// A Terraform-style plan summary: each change with its attributes, then the counts.
void PrintPlan(Workspace& ws, const std::vector<PlannedChange>& changes) {
  int add = 0, change = 0, destroy = 0;
  for (const auto& c : changes) {
    if (c.action == Action::kNoOp) continue;
    std::cout << "  # " << c.address << " " << Verb(c.action) << "\n";
    std::cout << "  " << Symbol(c.action) << " resource \"" << c.type << "\" \""
              << c.address.substr(c.address.find('.') + 1) << "\" {\n";
    const tf::Schema* schema = ws.driver().ResourceSchema(c.type);
    const tf::Value& shown = c.action == Action::kDelete ? c.prior : c.planned;
    for (const auto& [name, value] : shown.attributes()) {
      const tf::Attribute* attr = schema != nullptr ? schema->block.FindAttribute(name) : nullptr;
      if (attr != nullptr && attr->write_only && !c.config.attr(name).is_null()) {
        std::cout << "      " << name << " = (write-only attribute)\n";  // as Terraform 1.11 shows it
        continue;
      }
      if (value.is_null()) continue;
      bool sensitive = attr != nullptr && attr->sensitive;
      std::cout << "      " << name << " = " << (sensitive ? "(sensitive value)" : Render(value)) << "\n";
    }
    for (const auto& line : c.diff) {
      if (c.action == Action::kUpdate || c.action == Action::kReplace) std::cout << "      # " << line << "\n";
    }
    std::cout << "    }\n";
    if (c.action == Action::kCreate) ++add;
    if (c.action == Action::kUpdate) ++change;
    if (c.action == Action::kDelete) ++destroy;
    if (c.action == Action::kReplace) ++add, ++destroy;
  }
  if (add + change + destroy == 0) {
    std::cout << "No changes. Your infrastructure matches the configuration.\n";
  } else {
    std::cout << "Plan: " << add << " to add, " << change << " to change, " << destroy << " to destroy.\n";
  }
}

void Step(const std::string& title) { std::cout << "\n--- " << title << "\n"; }

bool Fail(const std::string& what, const Status& status) {
  std::cerr << "tfj-demo: " << what << " failed:\n" << status << "\n";
  return false;
}

std::string Missing(const jira::Error& error) {
  return error.kind == jira::ErrorKind::kNotFound ? "not found (404)" : error.Message();
}

// What Jira now holds for the walkthrough's objects, fetched over REST as an administrator.
void PrintJiraObjects(jira::Client& client, const std::string& scheme_id) {
  auto user = client.GetUserByName("gitlab", /*with_groups=*/true);
  if (user.ok()) {
    std::cout << "  user  " << user->name << "  key=" << user->key << "  email=" << user->email
              << "  display name=\"" << user->display_name << "\"  active=" << (user->active ? "true" : "false")
              << "  groups=[";
    for (size_t i = 0; i < user->groups.size(); ++i) std::cout << (i ? ", " : "") << user->groups[i];
    std::cout << "]";
    if (auto apps = client.GetUserWithApplications(user->key); apps.ok() && apps->applications) {
      std::cout << "  applications=[";
      for (size_t i = 0; i < apps->applications->size(); ++i) {
        std::cout << (i ? ", " : "") << (*apps->applications)[i];
      }
      std::cout << "]";
    }
    std::cout << "\n";
  } else {
    std::cout << "  user  gitlab: " << Missing(user.error()) << "\n";
  }
  auto members = client.GetAllGroupMembers("gitlab-developers", /*include_inactive=*/true);
  if (members.ok()) {
    std::cout << "  group gitlab-developers  members=[";
    for (size_t i = 0; i < members->size(); ++i) std::cout << (i ? ", " : "") << (*members)[i].name;
    std::cout << "]\n";
  } else {
    std::cout << "  group gitlab-developers: " << Missing(members.error()) << "\n";
  }
  if (scheme_id.empty()) return;
  auto scheme = client.GetPermissionScheme(std::stoll(scheme_id));
  if (scheme.ok()) {
    std::cout << "  permission scheme " << scheme->id << " \"" << scheme->name << "\"  grants:\n";
    for (const auto& g : scheme->grants) {
      std::cout << "    " << g.id << "  " << g.permission << " -> " << g.holder.type
                << (g.holder.parameter.empty() ? "" : " " + g.holder.parameter) << "\n";
    }
  } else {
    std::cout << "  permission scheme " << scheme_id << ": " << Missing(scheme.error()) << "\n";
  }
}

bool Walkthrough(const Flags& flags) {
  tfj::harness::WorkspaceOptions options;
  options.binary = flags.provider;
  options.protocol = 6;
  options.provider_address = "registry.terraform.io/tfjira/jira";
  Workspace ws(options);
  ws.SetProviderConfig({{"url", tf::Value::String(flags.jira_url)},
                        {"username", tf::Value::String(flags.jira_username)},
                        {"password", tf::Value::String(flags.jira_password)}});
  Step("Starting the provider (protocol 6, AutoMTLS) and configuring it for " + flags.jira_url);
  if (Status s = ws.Start(); !s.ok()) return Fail("starting the provider", s);

  const std::string password = RandomPassword();
  ws.SetResource("jira_user", "gitlab",
                 {{"name", tf::Value::String("gitlab")},
                  {"email", tf::Value::String("gitlab@example.com")},
                  {"display_name", tf::Value::String("GitLab integration")},
                  {"password_wo", tf::Value::String(password)},
                  {"password_wo_version", tf::Value::Int(1)},
                  {"application_keys",
                   tf::Value::Set(tf::Type::String(), {tf::Value::String("jira-software")})}});
  ws.SetResource("jira_group", "gitlab_developers", {{"name", tf::Value::String("gitlab-developers")}});
  ws.SetResource("jira_group_membership", "gitlab",
                 {{"group", Ref("jira_group.gitlab_developers", "name")},
                  {"username", Ref("jira_user.gitlab", "name")}});
  ws.SetResource("jira_permission_scheme", "gitlab",
                 {{"name", tf::Value::String("GitLab integration")},
                  {"description", tf::Value::String("Lets the GitLab integration account administer the "
                                                    "projects that use this scheme.")},
                  {"grant", ws.Blocks("jira_permission_scheme", "grant",
                                      {{{"permission", tf::Value::String("ADMINISTER_PROJECTS")},
                                        {"holder_type", tf::Value::String("group")},
                                        {"holder_parameter", Ref("jira_group.gitlab_developers", "name")}}})}});

  std::vector<PlannedChange> changes;
  Step("plan");
  if (Status s = ws.Plan(&changes); !s.ok()) return Fail("plan", s);
  PrintPlan(ws, changes);

  Step("apply");
  if (Status s = ws.Apply(); !s.ok()) return Fail("apply", s);
  std::cout << "Apply complete! Resources: " << ws.Addresses().size() << " added, 0 changed, 0 destroyed.\n\n";
  std::cout << "Outputs:\n\n";
  std::cout << "permission_scheme_id = \"" << ws.AttrString("jira_permission_scheme.gitlab", "id") << "\"\n";
  std::cout << "username = \"" << ws.AttrString("jira_user.gitlab", "name") << "\"\n";

  jira::ClientConfig config;
  config.base_url = flags.jira_url;
  config.username = flags.jira_username;
  config.password = flags.jira_password;
  auto client = jira::NewBeastClient(config);
  if (!client.ok()) {
    std::cerr << "tfj-demo: cannot reach Jira: " << client.error().Message() << "\n";
    return false;
  }
  const std::string scheme_id = ws.AttrString("jira_permission_scheme.gitlab", "id");
  Step("Jira after apply (GET /rest/api/2/...)");
  PrintJiraObjects(**client, scheme_id);

  Step("plan (must report no changes)");
  if (Status s = ws.PlanMustBeEmpty(); !s.ok()) return Fail("the plan after apply", s);
  PrintPlan(ws, ws.last_plan());

  Step("destroy");
  std::vector<PlannedChange> destroys;
  for (const auto& address : ws.Addresses()) {
    PlannedChange c;
    c.address = address;
    c.type = address.substr(0, address.find('.'));
    c.action = Action::kDelete;
    c.prior = ws.State(address);
    destroys.push_back(c);
  }
  PrintPlan(ws, destroys);
  size_t count = destroys.size();
  if (Status s = ws.Destroy(); !s.ok()) return Fail("destroy", s);
  std::cout << "Destroy complete! Resources: " << count << " destroyed.\n";

  Step("Jira after destroy");
  PrintJiraObjects(**client, scheme_id);
  if (Status s = ws.Stop(); !s.ok()) return Fail("stopping the provider", s);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    std::cerr << "usage: tfj-demo --provider BINARY --jira-url URL [--jira-username U --jira-password P]\n";
    return 2;
  }
  return Walkthrough(flags) ? 0 : 1;
}
