// Renders Terraform registry documentation (docs/index.md, docs/resources/*.md,
// docs/data-sources/*.md) from a provider's own schemas plus the files in examples/, so the
// published attribute tables can never drift from the code.
//
// Hand-written rather than HashiCorp's tfplugindocs: that tool is a Go program that reads
// `terraform providers schema -json`, which needs a Terraform CLI and Go at build time; we
// have the schemas in-process and want `make docs` to work on a bare Debian machine.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "provider/core/resource.h"

namespace tfjira::docgen {

// Relative path inside docs/ ("resources/user.md") -> file contents.
using DocFiles = std::map<std::string, std::string>;

// Everything the generator needs from a provider, detached from the Provider interface so
// tests can feed hand-built schemas.
// A hand-written page under docs/guides/, listed on the index page by its title.
struct Guide {
  std::string title;  // the page's frontmatter page_title
  std::string path;   // relative to docs/, e.g. "guides/migrating-from-fourplusone.md"
};

struct ProviderDocInput {
  std::string type_name;        // "jira"
  std::string display_name;     // "Jira"
  tf::Schema provider_schema;
  std::map<std::string, tf::Schema> resources;     // by type name
  std::map<std::string, tf::Schema> data_sources;  // by type name
  std::vector<Guide> guides;                         // hand-written, listed in index.md
};

ProviderDocInput DescribeProvider(const tf::Provider& provider);

// The guides under `docs_dir`/guides/, sorted by file name. A guide without a page_title in its
// frontmatter is an error (returned in `errors`), because the index could not name it.
std::vector<Guide> FindGuides(const std::filesystem::path& docs_dir, std::vector<std::string>& errors);

// The page name the Terraform Registry (and tfplugindocs) use: the type name without the
// provider prefix ("jira_user" of provider "jira" -> "user"), so docs/resources/user.md.
std::string PageName(const std::string& provider_type, const std::string& type_name);

// Where Terraform documents write-only arguments (linked from the attribute tables).
inline constexpr const char* kWriteOnlyDocs =
    "https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments";

// Builds every page. Example Usage comes from
//   examples/provider/provider.tf
//   examples/resources/<type>/resource.tf and import.sh
//   examples/data-sources/<type>/data-source.tf
// A missing example file is an error (returned in `errors`, one line each), because a page
// without an example or an import ID format is not finished.
DocFiles Generate(const ProviderDocInput& input, const std::filesystem::path& examples_dir,
                  std::vector<std::string>& errors);

// The generated pages that a docs directory should hold: index.md plus the files under
// resources/ and data-sources/. Hand-written pages elsewhere (e.g. guides/) are not ours.
bool IsGeneratedPath(const std::string& relative_path);

// Writes `files` under `docs_dir`, and deletes generated pages that are no longer produced
// (a resource that was removed). Returns false with `error` set on an I/O failure.
bool Write(const DocFiles& files, const std::filesystem::path& docs_dir, std::string& error);

// One difference between generated and committed docs.
struct Mismatch {
  std::string path;     // relative to docs/
  std::string problem;  // "missing", "not generated any more", or the first differing line
};

// Compares `files` with what `docs_dir` holds.
std::vector<Mismatch> Compare(const DocFiles& files, const std::filesystem::path& docs_dir);

}  // namespace tfjira::docgen
