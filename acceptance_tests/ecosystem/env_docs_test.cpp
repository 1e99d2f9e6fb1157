// What the README, the generated docs and the examples say about JIRA_* environment
// variables must match the provider: every setting's description names its variable, the
// provider honours exactly those, and no page mentions a variable the provider ignores or
// leaves one out of the README's settings table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "resources/provider_config.h"

namespace tfjira {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* dir = std::getenv("TFJ_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? fs::path(dir) : fs::path(TFJ_DEFAULT_SOURCE_DIR);
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::set<std::string> VariablesIn(const std::string& text) {
  static const std::regex kVar("JIRA_[A-Z][A-Z_]*[A-Z]");
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), kVar), end; it != end; ++it) out.insert(it->str());
  return out;
}

// Attribute -> the variables its description names.
std::map<std::string, std::set<std::string>> SchemaVariables() {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& a : ProviderSchema().block.attributes) out[a.name] = VariablesIn(a.description);
  return out;
}

// For each setting: a value to put in its variable, and whether the client configuration
// shows that value. A new provider attribute must be added here.
struct Probe {
  std::string value;
  std::function<bool(const jira::ClientConfig&)> took_effect;
};
const std::map<std::string, Probe>& Probes() {
  static const std::map<std::string, Probe> probes = {
      {"url", {"https://probe.example.com", [](const auto& c) { return c.base_url == "https://probe.example.com"; }}},
      {"username", {"probe-user", [](const auto& c) { return c.username == "probe-user"; }}},
      {"password", {"probe-pw", [](const auto& c) { return c.password == "probe-pw"; }}},
      {"token", {"probe-token", [](const auto& c) { return c.token == "probe-token"; }}},
      {"ca_file", {"/probe/ca.pem", [](const auto& c) { return c.ca_file == "/probe/ca.pem"; }}},
      {"insecure_skip_verify", {"true", [](const auto& c) { return c.insecure_skip_verify; }}},
      {"request_timeout", {"7s", [](const auto& c) { return c.request_timeout == std::chrono::milliseconds(7000); }}},
      {"max_retries", {"7", [](const auto& c) { return c.max_retries == 7; }}},
  };
  return probes;
}

TEST(EnvDocsTest, EverySettingNamesVariablesTheProviderHonours) {
  for (const auto& [attr, vars] : SchemaVariables()) {
    EXPECT_FALSE(vars.empty()) << attr << ": its description names no environment variable";
    ASSERT_TRUE(Probes().contains(attr)) << attr << ": add a probe for the new setting";
    const Probe& probe = Probes().at(attr);
    for (const auto& var : vars) {
      // Everything else comes from the environment too, so only `var` can set the field.
      std::map<std::string, std::string> env = {{"JIRA_URL", "https://base.example.com"}};
      if (attr == "token") env["JIRA_TOKEN"] = "base-token";
      else env.insert({{"JIRA_USERNAME", "base-user"}, {"JIRA_PASSWORD", "base-pw"}});
      if (attr == "username") env.erase("JIRA_USERNAME");
      env[var] = probe.value;
      tf::Diagnostics d;
      auto config = ResolveClientConfig(
          tf::Value::ObjectOf(ProviderSchema().ImpliedType(), {}),
          [&](const char* name) -> std::optional<std::string> {
            auto it = env.find(name);
            return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
          },
          d);
      ASSERT_TRUE(config) << var << ": " << d.ToString();
      EXPECT_TRUE(probe.took_effect(*config)) << var << " is documented for " << attr << " but ignored";
    }
  }
}

TEST(EnvDocsTest, PagesMentionOnlyVariablesTheProviderReads) {
  std::set<std::string> known;
  for (const auto& [attr, vars] : SchemaVariables()) known.insert(vars.begin(), vars.end());
  for (const char* page : {"README.md", "CHANGELOG.md", "docs/index.md", "examples/provider/provider.tf",
                           "examples/gitlab-integration/README.md"}) {
    std::string text = Read(SourceDir() / page);
    ASSERT_FALSE(text.empty()) << page;
    for (const auto& var : VariablesIn(text)) {
      EXPECT_TRUE(known.contains(var)) << page << " mentions " << var << ", which the provider does not read";
    }
  }
  // The provider example's comment lists every variable.
  auto example = VariablesIn(Read(SourceDir() / "examples/provider/provider.tf"));
  for (const auto& var : known) EXPECT_TRUE(example.contains(var)) << "examples/provider/provider.tf omits " << var;
}

// The README's settings table has an "environment" column: it must name, for each
// attribute, exactly the variables the schema gives.
TEST(EnvDocsTest, ReadmeSettingsTableMatchesTheSchema) {
  std::istringstream readme(Read(SourceDir() / "README.md"));
  auto schema = SchemaVariables();
  std::set<std::string> rows;
  std::string line;
  static const std::regex kRow(R"(^\| `([a-z_]+)` \|[^|]*\|([^|]*)\|)");
  while (std::getline(readme, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, kRow) || !schema.contains(m[1].str())) continue;
    rows.insert(m[1].str());
    EXPECT_EQ(VariablesIn(m[2].str()), schema[m[1].str()]) << "README row of " << m[1].str() << ": " << line;
  }
  for (const auto& [attr, vars] : schema) EXPECT_TRUE(rows.contains(attr)) << "README's table lacks " << attr;
}

}  // namespace
}  // namespace tfjira
