#include "tools/docgen/docgen.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace tfjira::docgen {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("tfj-docgen-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

tf::Attribute Attr(std::string name, tf::Type type, std::string description) {
  tf::Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.description = std::move(description);
  return a;
}

// A small provider with one resource shaped like ours: required, optional+default,
// sensitive, computed-only, requires-replace, and a set of nested blocks.
ProviderDocInput SampleProvider() {
  ProviderDocInput input;
  input.type_name = "demo";
  input.display_name = "Demo";
  auto url = Attr("url", tf::Type::String(), "Base URL.");
  url.optional = true;
  input.provider_schema.block.attributes.push_back(url);

  tf::Schema thing;
  thing.block.description = "Manages a thing.\n\nSecond paragraph stays out of the frontmatter.";
  auto id = Attr("id", tf::Type::String(), "The thing's id");
  id.computed = true;
  auto name = Attr("name", tf::Type::String(), "The name;\nit may contain | pipes");
  name.required = true;
  name.requires_replace = true;
  auto secret = Attr("secret", tf::Type::String(), "A secret.");
  secret.optional = true;
  secret.sensitive = true;
  auto active = Attr("active", tf::Type::Bool(), "Whether it is active.");
  active.optional = true;
  active.computed = true;
  active.default_value = tf::Value::Bool(true);
  auto notify = Attr("notify", tf::Type::Bool(), "Send mail. Default `false`.");
  notify.optional = true;
  notify.computed = true;
  notify.default_value = tf::Value::Bool(false);
  auto tags = Attr("tags", tf::Type::Set(tf::Type::String()), "Tags.");
  tags.optional = true;
  thing.block.attributes = {id, name, secret, active, notify, tags};

  auto grant = std::make_shared<tf::Block>();
  auto permission = Attr("permission", tf::Type::String(), "Permission key.");
  permission.required = true;
  auto grant_id = Attr("id", tf::Type::Number(), "Grant id.");
  grant_id.computed = true;
  grant->attributes = {permission, grant_id};
  tf::NestedBlock nb;
  nb.type_name = "grant";
  nb.block = grant;
  nb.nesting = tf::Nesting::kSet;
  thing.block.block_types.push_back(nb);
  input.resources["demo_thing"] = thing;

  tf::Schema lookup;
  lookup.block.description = "Looks a thing up.";
  auto lname = Attr("name", tf::Type::String(), "Name to look up.");
  lname.required = true;
  auto members = Attr("members", tf::Type::List(tf::Type::String()), "Member names.");
  members.computed = true;
  lookup.block.attributes = {lname, members};
  input.data_sources["demo_thing"] = lookup;
  return input;
}

void WriteExamples(const fs::path& dir) {
  WriteText(dir / "provider/provider.tf", "provider \"demo\" {\n  url = \"http://x\"\n}\n\n\n");
  WriteText(dir / "resources/demo_thing/resource.tf",
            "resource \"demo_thing\" \"a\" {\n  name = \"a\"\n}\n");
  WriteText(dir / "resources/demo_thing/import.sh", "# By name.\nterraform import demo_thing.a a\n");
  WriteText(dir / "data-sources/demo_thing/data-source.tf", "data \"demo_thing\" \"a\" {\n  name = \"a\"\n}\n");
}

TEST(DocgenTest, ResourcePageHasFrontmatterExampleTablesAndImport) {
  TempDir examples;
  WriteExamples(examples.path());
  std::vector<std::string> errors;
  auto files = Generate(SampleProvider(), examples.path(), errors);
  ASSERT_TRUE(errors.empty()) << errors.front();
  ASSERT_TRUE(files.contains("resources/thing.md"));
  const std::string& page = files["resources/thing.md"];

  EXPECT_EQ(page.rfind("---\npage_title: \"demo_thing Resource - terraform-provider-jira\"\n", 0), 0u) << page;
  EXPECT_THAT(page, HasSubstr("description: |-\n  Manages a thing.\n---\n"));
  EXPECT_THAT(page, HasSubstr("# demo_thing (Resource)\n\nManages a thing.\n\nSecond paragraph"));
  EXPECT_THAT(page, HasSubstr("## Example Usage\n\n```terraform\nresource \"demo_thing\" \"a\" {"));
  // Required first, then alphabetical; folded and escaped descriptions; behaviour notes.
  EXPECT_THAT(page, HasSubstr("| `name` | String | Required | The name; it may contain \\| pipes. "
                              "Changing it forces a new resource. |\n"
                              "| `active` | Boolean | Optional, Computed | Whether it is active. Defaults to `true`. |\n"
                              "| `notify` | Boolean | Optional, Computed | Send mail. Default `false`. |\n"
                              "| `secret` | String | Optional, Sensitive | A secret. |\n"
                              "| `tags` | Set of String | Optional | Tags. |\n"
                              "| `grant` | Block Set | Optional | See [below](#nested-schema-for-grant). |\n"));
  EXPECT_THAT(page, HasSubstr("### Nested Schema for `grant`\n\n| Name | Type | Presence | Description |\n"
                              "|------|------|----------|-------------|\n"
                              "| `permission` | String | Required | Permission key. |\n"));
  EXPECT_THAT(page, HasSubstr("Read-only attributes of `grant`:\n\n| Name | Type | Description |\n"
                              "|------|------|-------------|\n| `id` | Number | Grant id. |\n"));
  EXPECT_THAT(page, HasSubstr("## Attribute Reference\n\nIn addition to the arguments above, these attributes "
                              "are exported:\n\n| Name | Type | Description |\n|------|------|-------------|\n"
                              "| `id` | String | The thing's id. |\n"));
  EXPECT_THAT(page, HasSubstr("## Import\n\nImport adopts an object that already exists in Jira"));
  EXPECT_THAT(page, HasSubstr("Use the ID of your own object, never one copied from an example. The ID format:\n\n"
                              "```shell\n# By name.\nterraform import demo_thing.a a\n```\n"));
  EXPECT_THAT(page, HasSubstr("an `import` block takes the same ID"));
  // A computed-only attribute is never listed as an argument.
  EXPECT_THAT(page.substr(0, page.find("## Attribute Reference")), Not(HasSubstr("| `id` | String |")));
}

TEST(DocgenTest, DataSourceAndIndexPages) {
  TempDir examples;
  WriteExamples(examples.path());
  std::vector<std::string> errors;
  auto files = Generate(SampleProvider(), examples.path(), errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(files.size(), 3u);

  const std::string& ds = files["data-sources/thing.md"];
  EXPECT_THAT(ds, HasSubstr("page_title: \"demo_thing Data Source - terraform-provider-jira\""));
  EXPECT_THAT(ds, HasSubstr("# demo_thing (Data Source)"));
  EXPECT_THAT(ds, HasSubstr("| `name` | String | Required | Name to look up. |"));
  EXPECT_THAT(ds, HasSubstr("| `members` | List of String | Member names. |"));
  EXPECT_THAT(ds, Not(HasSubstr("## Import")));

  const std::string& index = files["index.md"];
  EXPECT_THAT(index, HasSubstr("page_title: \"Demo Provider\""));
  // Trailing blank lines of the example are dropped inside the fence.
  EXPECT_THAT(index, HasSubstr("```terraform\nprovider \"demo\" {\n  url = \"http://x\"\n}\n```\n"));
  EXPECT_THAT(index, HasSubstr("| `url` | String | Optional | Base URL. |"));
  EXPECT_THAT(index, HasSubstr("- [`demo_thing`](resources/thing.md)"));
  EXPECT_THAT(index, HasSubstr("- [`demo_thing`](data-sources/thing.md)"));
}

// Hand-written guides are found by their frontmatter title and listed on the index page, so a
// reader of the registry's front page can find them.
TEST(DocgenTest, IndexListsGuidesByTitle) {
  TempDir examples;
  WriteExamples(examples.path());
  TempDir docs;
  WriteText(docs.path() / "guides/b-second.md", "---\npage_title: \"Second guide\"\nsubcategory: \"\"\n---\n\n# x\n");
  WriteText(docs.path() / "guides/a-first.md", "---\npage_title: \"First guide\"\n---\n");
  WriteText(docs.path() / "guides/notes.txt", "not a page");
  std::vector<std::string> errors;
  auto input = SampleProvider();
  input.guides = FindGuides(docs.path(), errors);
  ASSERT_TRUE(errors.empty()) << errors.front();
  auto files = Generate(input, examples.path(), errors);
  ASSERT_TRUE(errors.empty()) << errors.front();
  EXPECT_THAT(files["index.md"], HasSubstr("\n## Guides\n\n- [First guide](guides/a-first.md)\n"
                                           "- [Second guide](guides/b-second.md)\n"));
}

TEST(DocgenTest, GuideWithoutTitleIsAnErrorAndNoGuidesNoSection) {
  TempDir examples;
  WriteExamples(examples.path());
  TempDir docs;
  std::vector<std::string> errors;
  EXPECT_TRUE(FindGuides(docs.path(), errors).empty());
  auto files = Generate(SampleProvider(), examples.path(), errors);
  EXPECT_THAT(files["index.md"], Not(HasSubstr("## Guides")));
  WriteText(docs.path() / "guides/untitled.md", "# No frontmatter\n");
  EXPECT_TRUE(FindGuides(docs.path(), errors).empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("guides/untitled.md has no page_title"));
}

TEST(DocgenTest, MissingExamplesAreErrorsNamingTheFile) {
  TempDir examples;
  WriteExamples(examples.path());
  fs::remove(examples.path() / "resources/demo_thing/import.sh");
  WriteText(examples.path() / "data-sources/demo_thing/data-source.tf", "  \n\n");
  std::vector<std::string> errors;
  auto files = Generate(SampleProvider(), examples.path(), errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr("resources/demo_thing/import.sh"));
  EXPECT_THAT(errors[1], HasSubstr("data-sources/demo_thing/data-source.tf"));
  EXPECT_FALSE(files.contains("resources/thing.md"));
  EXPECT_TRUE(files.contains("index.md"));
}

// An example that imports a fixed id would adopt (and then change) whatever object a
// reader's Jira holds under that id, so an import block in resource.tf is an error.
TEST(DocgenTest, ImportBlockInResourceExampleIsAnError) {
  TempDir examples;
  WriteExamples(examples.path());
  WriteText(examples.path() / "resources/demo_thing/resource.tf",
            "resource \"demo_thing\" \"a\" {\n  name = \"a\"\n}\n\nimport {\n  to = demo_thing.a\n  id = \"a\"\n}\n");
  std::vector<std::string> errors;
  Generate(SampleProvider(), examples.path(), errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("resources/demo_thing/resource.tf has an import block"));
}

TEST(DocgenTest, CompareReportsMissingChangedAndStalePages) {
  TempDir examples;
  TempDir docs;
  WriteExamples(examples.path());
  std::vector<std::string> errors;
  auto files = Generate(SampleProvider(), examples.path(), errors);
  std::string error;
  ASSERT_TRUE(Write(files, docs.path(), error)) << error;
  EXPECT_TRUE(Compare(files, docs.path()).empty());

  // A hand edit in a generated table, a removed page and a page for a resource that is gone.
  std::string page = ReadText(docs.path() / "resources/thing.md");
  page.replace(page.find("A secret."), 9, "Secret!!!");
  WriteText(docs.path() / "resources/thing.md", page);
  fs::remove(docs.path() / "index.md");
  WriteText(docs.path() / "resources/old_thing.md", "# old\n");
  WriteText(docs.path() / "guides/hand-written.md", "# a guide\n");

  auto mismatches = Compare(files, docs.path());
  ASSERT_EQ(mismatches.size(), 3u);
  EXPECT_EQ(mismatches[0].path, "index.md");
  EXPECT_EQ(mismatches[0].problem, "missing");
  EXPECT_EQ(mismatches[1].path, "resources/thing.md");
  EXPECT_THAT(mismatches[1].problem, HasSubstr("committed \"| `secret` | String | Optional, Sensitive | Secret!!! |\""));
  EXPECT_THAT(mismatches[1].problem, HasSubstr("generated \"| `secret` | String | Optional, Sensitive | A secret. |\""));
  EXPECT_EQ(mismatches[2].path, "resources/old_thing.md");
  EXPECT_EQ(mismatches[2].problem, "not generated any more");

  // Writing again repairs everything and leaves hand-written guides alone.
  ASSERT_TRUE(Write(files, docs.path(), error)) << error;
  EXPECT_TRUE(Compare(files, docs.path()).empty());
  EXPECT_FALSE(fs::exists(docs.path() / "resources/old_thing.md"));
  EXPECT_TRUE(fs::exists(docs.path() / "guides/hand-written.md"));
}

TEST(DocgenTest, GeneratedPathsAreTheRegistryLayoutOnly) {
  EXPECT_TRUE(IsGeneratedPath("index.md"));
  EXPECT_TRUE(IsGeneratedPath("resources/jira_user.md"));
  EXPECT_TRUE(IsGeneratedPath("data-sources/jira_group.md"));
  EXPECT_FALSE(IsGeneratedPath("guides/gitlab.md"));
  EXPECT_FALSE(IsGeneratedPath("resources/sub/jira_user.md"));
  EXPECT_FALSE(IsGeneratedPath("resources/notes.txt"));
  EXPECT_FALSE(IsGeneratedPath("resources/"));
}

TEST(DocgenTest, PageNamesDropTheProviderPrefixAsTheRegistryDoes) {
  EXPECT_EQ(PageName("jira", "jira_user"), "user");
  EXPECT_EQ(PageName("jira", "jira_group_membership"), "group_membership");
  EXPECT_EQ(PageName("jira", "other_thing"), "other_thing");  // no prefix: unchanged
  EXPECT_EQ(PageName("jira", "jira_"), "jira_");              // never an empty page name
}

}  // namespace
}  // namespace tfjira::docgen
