// The committed docs/ must be exactly what tfj-docgen generates from the provider's schemas
// and examples/, so the registry pages never drift from the code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "resources/provider.h"
#include "tools/docgen/docgen.h"

namespace tfjira::docgen {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* dir = std::getenv("TFJ_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? fs::path(dir) : fs::path(TFJ_DEFAULT_SOURCE_DIR);
}

DocFiles GenerateFromSources(std::vector<std::string>& errors) {
  auto provider = tfjira::NewProvider();
  auto input = DescribeProvider(*provider);
  input.guides = FindGuides(SourceDir() / "docs", errors);  // as `make docs` lists them
  return Generate(input, SourceDir() / "examples", errors);
}

TEST(DocsTest, CommittedDocsMatchTheGeneratedOnes) {
  std::vector<std::string> errors;
  DocFiles files = GenerateFromSources(errors);
  ASSERT_TRUE(errors.empty()) << "examples are incomplete:\n" << ::testing::PrintToString(errors);

  // Regenerate into a temporary directory too, so a failure leaves something to diff.
  fs::path generated = fs::temp_directory_path() / ("tfj-docs-" + std::to_string(getpid()));
  std::string error;
  ASSERT_TRUE(Write(files, generated, error)) << error;

  auto mismatches = Compare(files, SourceDir() / "docs");
  std::ostringstream report;
  for (const auto& m : mismatches) report << "  docs/" << m.path << ": " << m.problem << "\n";
  EXPECT_TRUE(mismatches.empty()) << "The committed docs differ from the generated ones:\n"
                                  << report.str() << "See `diff -ru " << (SourceDir() / "docs").string() << " "
                                  << generated.string() << "`, then run `make docs` and commit docs/.";
  if (mismatches.empty()) fs::remove_all(generated);
}

TEST(DocsTest, EveryResourceAndDataSourceHasAPageWithExampleAndImport) {
  std::vector<std::string> errors;
  DocFiles files = GenerateFromSources(errors);
  auto provider = tfjira::NewProvider();
  auto input = DescribeProvider(*provider);
  for (const char* type : {"jira_user", "jira_group", "jira_group_membership", "jira_permission_scheme"}) {
    ASSERT_TRUE(input.resources.contains(type)) << type << " is not served by the provider";
    // Registry page names drop the provider prefix: docs/resources/user.md for jira_user.
    const std::string& page = files["resources/" + PageName("jira", type) + ".md"];
    EXPECT_THAT(page, ::testing::HasSubstr("## Example Usage\n\n```terraform\n")) << type;
    EXPECT_THAT(page, ::testing::HasSubstr("## Import\n")) << type;
    EXPECT_THAT(page, ::testing::HasSubstr("terraform import " + std::string(type) + ".")) << type;
  }
  for (const char* type : {"jira_user", "jira_group", "jira_permission_scheme"}) {
    ASSERT_TRUE(input.data_sources.contains(type)) << type << " data source is not served by the provider";
    EXPECT_THAT(files["data-sources/" + PageName("jira", type) + ".md"],
                ::testing::HasSubstr("data \"" + std::string(type) + "\""));
  }
}

}  // namespace
}  // namespace tfjira::docgen
