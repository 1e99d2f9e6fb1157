#include "tools/docgen/docgen.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

namespace tfjira::docgen {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProviderBinary = "terraform-provider-jira";

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(s);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// The registry renders types the way tfplugindocs writes them: "String", "Set of String".
std::string TypeName(const tf::Type& type) {
  switch (type.kind()) {
    case tf::TypeKind::kString: return "String";
    case tf::TypeKind::kNumber: return "Number";
    case tf::TypeKind::kBool: return "Boolean";
    case tf::TypeKind::kDynamic: return "Dynamic";
    case tf::TypeKind::kList: return "List of " + TypeName(type.element());
    case tf::TypeKind::kSet: return "Set of " + TypeName(type.element());
    case tf::TypeKind::kMap: return "Map of " + TypeName(type.element());
    case tf::TypeKind::kObject: return "Object";
    case tf::TypeKind::kTuple: return "Tuple";
  }
  return "Dynamic";
}

std::string NestingName(tf::Nesting nesting) {
  switch (nesting) {
    case tf::Nesting::kSingle: return "Block";
    case tf::Nesting::kList: return "Block List";
    case tf::Nesting::kSet: return "Block Set";
    case tf::Nesting::kMap: return "Block Map";
    case tf::Nesting::kGroup: return "Block";
  }
  return "Block";
}

// A description on one table row: newlines folded, pipes escaped, a final full stop.
std::string CellText(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c == '|') out += '\\';
    out += c;
  }
  if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?' && out.back() != ')' &&
      out.back() != '`') {
    out += '.';
  }
  return out;
}

void AppendSentence(std::string& text, const std::string& sentence) {
  if (!text.empty()) text += ' ';
  text += sentence;
}

// Renders a default value as HCL would be written, for the primitive types defaults use.
std::string DefaultText(const tf::Value& v) {
  if (v.is_null()) return "null";
  if (v.is_unknown()) return "(known after apply)";
  switch (v.type().kind()) {
    case tf::TypeKind::kString: return "\"" + v.as_string() + "\"";
    case tf::TypeKind::kNumber: return v.as_number().text();
    case tf::TypeKind::kBool: return v.as_bool() ? "true" : "false";
    default: return v.DebugString();
  }
}

std::string Presence(const tf::Attribute& a) {
  std::string p;
  if (a.required) p = "Required";
  else if (a.optional && a.computed) p = "Optional, Computed";
  else if (a.optional) p = "Optional";
  else p = "Computed";
  if (a.sensitive) p += ", Sensitive";
  if (a.write_only) p += ", Write-only";
  if (a.deprecated) p += ", Deprecated";
  return p;
}

std::string AttributeDescription(const tf::Attribute& a, bool is_resource) {
  std::string text = CellText(a.description);
  if (a.default_value) {
    // Descriptions often state the default already ("Default `false`."); say it once.
    std::string value = "`" + DefaultText(*a.default_value) + "`";
    if (text.find("Default " + value) == std::string::npos && text.find("Defaults to " + value) == std::string::npos) {
      AppendSentence(text, "Defaults to " + value + ".");
    }
  }
  if (is_resource && a.requires_replace) AppendSentence(text, "Changing it forces a new resource.");
  if (a.deprecated) {
    AppendSentence(text, a.deprecation_message.empty() ? "Deprecated." : "Deprecated: " + CellText(a.deprecation_message));
  }
  return text;
}

bool IsArgument(const tf::Attribute& a) { return a.required || a.optional; }

std::string Anchor(const std::string& block_path) {
  std::string anchor = "nested-schema-for-";
  for (char c : block_path) anchor += (c == '.') ? '-' : c;
  return anchor;
}

std::string BlockPresence(const tf::NestedBlock& nb) {
  std::string p = nb.min_items > 0 ? "Required" : "Optional";
  if (nb.nesting == tf::Nesting::kSingle || nb.max_items == 1) {
    p += ", at most one";
  } else if (nb.max_items > 0) {
    p += ", at most " + std::to_string(nb.max_items);
  }
  return p;
}

// The argument table of one block (its attributes that can be set, then its nested blocks),
// followed by one "Nested Schema" section per nested block, recursively.
void RenderArguments(std::ostringstream& out, const tf::Block& block, const std::string& prefix,
                     bool is_resource, std::vector<std::pair<std::string, const tf::Block*>>& nested) {
  std::vector<const tf::Attribute*> args;
  for (const auto& a : block.attributes) {
    if (IsArgument(a)) args.push_back(&a);
  }
  // Required first, then alphabetical: the order users scan for.
  std::stable_sort(args.begin(), args.end(), [](const tf::Attribute* x, const tf::Attribute* y) {
    if (x->required != y->required) return x->required;
    return x->name < y->name;
  });
  if (args.empty() && block.block_types.empty()) {
    out << "This block has no arguments.\n";
    return;
  }
  out << "| Name | Type | Presence | Description |\n";
  out << "|------|------|----------|-------------|\n";
  for (const auto* a : args) {
    out << "| `" << a->name << "` | " << TypeName(a->type) << " | " << Presence(*a) << " | "
        << AttributeDescription(*a, is_resource) << " |\n";
  }
  std::vector<const tf::NestedBlock*> blocks;
  for (const auto& nb : block.block_types) blocks.push_back(&nb);
  std::sort(blocks.begin(), blocks.end(),
            [](const tf::NestedBlock* x, const tf::NestedBlock* y) { return x->type_name < y->type_name; });
  for (const auto* nb : blocks) {
    std::string path = prefix.empty() ? nb->type_name : prefix + "." + nb->type_name;
    std::string text = CellText(nb->block->description);
    AppendSentence(text, "See [below](#" + Anchor(path) + ").");
    if (is_resource && nb->requires_replace) AppendSentence(text, "Changing it forces a new resource.");
    out << "| `" << nb->type_name << "` | " << NestingName(nb->nesting) << " | " << BlockPresence(*nb) << " | "
        << text << " |\n";
    nested.emplace_back(path, nb->block.get());
  }
}

void RenderComputed(std::ostringstream& out, const tf::Block& block) {
  std::vector<const tf::Attribute*> attrs;
  for (const auto& a : block.attributes) {
    if (!IsArgument(a)) attrs.push_back(&a);
  }
  std::sort(attrs.begin(), attrs.end(),
            [](const tf::Attribute* x, const tf::Attribute* y) { return x->name < y->name; });
  if (attrs.empty()) return;
  out << "| Name | Type | Description |\n";
  out << "|------|------|-------------|\n";
  for (const auto* a : attrs) {
    std::string type = TypeName(a->type);
    if (a->sensitive) type += ", Sensitive";
    if (a->write_only) type += ", [Write-only](" + std::string(kWriteOnlyDocs) + ")";
    out << "| `" << a->name << "` | " << type << " | " << AttributeDescription(*a, false) << " |\n";
  }
}

// Argument table, nested-block sections, and the computed attributes of `schema`.
void RenderSchema(std::ostringstream& out, const tf::Schema& schema, bool is_resource) {
  out << "## Argument Reference\n\n";
  std::vector<std::pair<std::string, const tf::Block*>> nested;
  RenderArguments(out, schema.block, "", is_resource, nested);

  // Breadth-first, so that sections appear in the order their rows do.
  for (size_t i = 0; i < nested.size(); ++i) {
    auto [path, block] = nested[i];
    out << "\n### Nested Schema for `" << path << "`\n\n";
    std::vector<std::pair<std::string, const tf::Block*>> deeper;
    RenderArguments(out, *block, path, is_resource, deeper);
    bool has_computed = std::any_of(block->attributes.begin(), block->attributes.end(),
                                    [](const tf::Attribute& a) { return !IsArgument(a); });
    if (has_computed) {
      out << "\nRead-only attributes of `" << path << "`:\n\n";
      RenderComputed(out, *block);
    }
    nested.insert(nested.end(), deeper.begin(), deeper.end());
  }

  bool has_computed = std::any_of(schema.block.attributes.begin(), schema.block.attributes.end(),
                                  [](const tf::Attribute& a) { return !IsArgument(a); });
  if (has_computed) {
    out << "\n## Attribute Reference\n\n";
    out << "In addition to the arguments above, these attributes are exported:\n\n";
    RenderComputed(out, schema.block);
  }
}

std::string FirstParagraph(const std::string& text) {
  std::string trimmed = TrimRight(text);
  size_t end = trimmed.find("\n\n");
  return end == std::string::npos ? trimmed : trimmed.substr(0, end);
}

void RenderFrontmatter(std::ostringstream& out, const std::string& title, const std::string& description) {
  out << "---\n";
  out << "page_title: \"" << title << "\"\n";
  out << "subcategory: \"\"\n";
  out << "description: |-\n";
  for (const auto& line : SplitLines(FirstParagraph(description))) {
    out << (line.empty() ? "" : "  " + line) << "\n";
  }
  out << "---\n\n";
}

void RenderExample(std::ostringstream& out, const std::string& body, const char* language) {
  out << "```" << language << "\n" << TrimRight(body) << "\n```\n";
}

std::optional<std::string> RequireExample(const fs::path& path, std::vector<std::string>& errors) {
  auto body = ReadFile(path);
  if (!body || TrimRight(*body).empty()) {
    errors.push_back("missing or empty example " + path.string());
    return std::nullopt;
  }
  return body;
}

// Whether HCL text declares a top-level `import` block (one at the start of a line).
bool HasImportBlock(const std::string& hcl) {
  for (const auto& line : SplitLines(hcl)) {
    if (line.rfind("import {", 0) == 0 || line.rfind("import{", 0) == 0) return true;
  }
  return false;
}

std::string ProviderIntro(const ProviderDocInput& input) {
  if (!TrimRight(input.provider_schema.block.description).empty()) {
    return TrimRight(input.provider_schema.block.description);
  }
  return "The " + input.display_name +
         " provider manages users, groups, group memberships and permission schemes of Jira Server "
         "and Jira Data Center through Jira's REST API v2. Jira Cloud is not supported: it has no "
         "usernames or passwords.";
}

std::string RenderIndex(const ProviderDocInput& input, const std::string& example) {
  std::ostringstream out;
  std::string intro = ProviderIntro(input);
  RenderFrontmatter(out, input.display_name + " Provider", intro);
  out << "# " << input.display_name << " Provider\n\n" << intro << "\n\n";
  out << "## Example Usage\n\n";
  RenderExample(out, example, "terraform");
  out << "\n";
  RenderSchema(out, input.provider_schema, false);
  out << "\n## Resources\n\n";
  for (const auto& [name, schema] : input.resources) {
    out << "- [`" << name << "`](resources/" << PageName(input.type_name, name) << ".md)\n";
  }
  out << "\n## Data Sources\n\n";
  for (const auto& [name, schema] : input.data_sources) {
    out << "- [`" << name << "`](data-sources/" << PageName(input.type_name, name) << ".md)\n";
  }
  if (!input.guides.empty()) {
    out << "\n## Guides\n\n";
    for (const auto& guide : input.guides) out << "- [" << guide.title << "](" << guide.path << ")\n";
  }
  return out.str();
}

std::string RenderResource(const std::string& name, const tf::Schema& schema, const std::string& example,
                           const std::string& import) {
  std::ostringstream out;
  RenderFrontmatter(out, name + " Resource - " + kProviderBinary, schema.block.description);
  out << "# " << name << " (Resource)\n\n";
  if (!TrimRight(schema.block.description).empty()) out << TrimRight(schema.block.description) << "\n\n";
  out << "## Example Usage\n\n";
  RenderExample(out, example, "terraform");
  out << "\n";
  RenderSchema(out, schema, true);
  out << "\n## Import\n\n";
  out << "Import adopts an object that already exists in Jira; from then on Terraform manages it and "
         "may change or destroy it. Use the ID of your own object, never one copied from an example. "
         "The ID format:\n\n";
  RenderExample(out, import, "shell");
  out << "\nWith Terraform 1.5 and later, an `import` block takes the same ID.\n";
  return out.str();
}

std::string RenderDataSource(const std::string& name, const tf::Schema& schema, const std::string& example) {
  std::ostringstream out;
  RenderFrontmatter(out, name + " Data Source - " + kProviderBinary, schema.block.description);
  out << "# " << name << " (Data Source)\n\n";
  if (!TrimRight(schema.block.description).empty()) out << TrimRight(schema.block.description) << "\n\n";
  out << "## Example Usage\n\n";
  RenderExample(out, example, "terraform");
  out << "\n";
  RenderSchema(out, schema, false);
  return out.str();
}

}  // namespace

ProviderDocInput DescribeProvider(const tf::Provider& provider) {
  ProviderDocInput input;
  input.type_name = provider.TypeName();
  input.display_name = input.type_name;
  if (!input.display_name.empty()) input.display_name[0] = static_cast<char>(std::toupper(input.display_name[0]));
  input.provider_schema = provider.GetSchema();
  for (const auto& factory : provider.Resources()) {
    auto resource = factory();
    input.resources.emplace(resource->TypeName(), resource->GetSchema());
  }
  for (const auto& factory : provider.DataSources()) {
    auto data_source = factory();
    input.data_sources.emplace(data_source->TypeName(), data_source->GetSchema());
  }
  return input;
}

std::vector<Guide> FindGuides(const fs::path& docs_dir, std::vector<std::string>& errors) {
  std::vector<Guide> guides;
  std::error_code ec;
  const fs::path dir = docs_dir / "guides";
  if (!fs::is_directory(dir, ec)) return guides;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
    const std::string rel = "guides/" + entry.path().filename().string();
    auto text = ReadFile(entry.path());
    // The title is the frontmatter's `page_title: "..."` line, as the registry reads it.
    std::string title;
    if (text && text->starts_with("---\n")) {
      std::istringstream lines(text->substr(4));
      for (std::string line; std::getline(lines, line) && line != "---";) {
        constexpr std::string_view key = "page_title: \"";
        if (line.starts_with(key) && line.ends_with("\"") && line.size() > key.size() + 1) {
          title = line.substr(key.size(), line.size() - key.size() - 1);
        }
      }
    }
    if (title.empty()) {
      errors.push_back((docs_dir / rel).string() + " has no page_title in its frontmatter");
      continue;
    }
    guides.push_back({title, rel});
  }
  std::sort(guides.begin(), guides.end(), [](const Guide& a, const Guide& b) { return a.path < b.path; });
  return guides;
}

std::string PageName(const std::string& provider_type, const std::string& type_name) {
  const std::string prefix = provider_type + "_";
  if (type_name.starts_with(prefix) && type_name.size() > prefix.size()) return type_name.substr(prefix.size());
  return type_name;
}

DocFiles Generate(const ProviderDocInput& input, const fs::path& examples_dir, std::vector<std::string>& errors) {
  DocFiles files;
  if (auto example = RequireExample(examples_dir / "provider" / "provider.tf", errors)) {
    files["index.md"] = RenderIndex(input, *example);
  }
  for (const auto& [name, schema] : input.resources) {
    fs::path dir = examples_dir / "resources" / name;
    auto example = RequireExample(dir / "resource.tf", errors);
    auto import = RequireExample(dir / "import.sh", errors);
    // A copied example must never adopt an object by a fixed id: import belongs in import.sh
    // and the Import section, which tell the reader to use an id of their own.
    if (example && HasImportBlock(*example)) {
      errors.push_back((dir / "resource.tf").string() + " has an import block; put import in import.sh");
    }
    if (example && import) files["resources/" + PageName(input.type_name, name) + ".md"] = RenderResource(name, schema, *example, *import);
  }
  for (const auto& [name, schema] : input.data_sources) {
    auto example = RequireExample(examples_dir / "data-sources" / name / "data-source.tf", errors);
    if (example) files["data-sources/" + PageName(input.type_name, name) + ".md"] = RenderDataSource(name, schema, *example);
  }
  return files;
}

bool IsGeneratedPath(const std::string& relative_path) {
  if (relative_path == "index.md") return true;
  for (const char* dir : {"resources/", "data-sources/"}) {
    std::string_view d(dir);
    if (relative_path.size() > d.size() && relative_path.compare(0, d.size(), d) == 0 &&
        relative_path.find('/', d.size()) == std::string::npos && relative_path.ends_with(".md")) {
      return true;
    }
  }
  return false;
}

namespace {

std::vector<std::string> ExistingGeneratedPaths(const fs::path& docs_dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  if (fs::exists(docs_dir / "index.md", ec)) paths.push_back("index.md");
  for (const char* sub : {"resources", "data-sources"}) {
    fs::path dir = docs_dir / sub;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string rel = std::string(sub) + "/" + entry.path().filename().string();
      if (entry.is_regular_file() && IsGeneratedPath(rel)) paths.push_back(rel);
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

bool Write(const DocFiles& files, const fs::path& docs_dir, std::string& error) {
  std::error_code ec;
  for (const auto& rel : ExistingGeneratedPaths(docs_dir)) {
    if (!files.contains(rel) && !fs::remove(docs_dir / rel, ec)) {
      error = "cannot remove stale " + (docs_dir / rel).string() + ": " + ec.message();
      return false;
    }
  }
  for (const auto& [rel, content] : files) {
    fs::path path = docs_dir / rel;
    // Unchanged pages are left alone so their timestamps (and the build) stay quiet.
    if (auto current = ReadFile(path); current && *current == content) continue;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      error = "cannot create " + path.parent_path().string() + ": " + ec.message();
      return false;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) {
      error = "cannot write " + path.string();
      return false;
    }
  }
  return true;
}

std::vector<Mismatch> Compare(const DocFiles& files, const fs::path& docs_dir) {
  std::vector<Mismatch> mismatches;
  for (const auto& [rel, content] : files) {
    auto committed = ReadFile(docs_dir / rel);
    if (!committed) {
      mismatches.push_back({rel, "missing"});
      continue;
    }
    if (*committed == content) continue;
    auto want = SplitLines(content);
    auto have = SplitLines(*committed);
    size_t i = 0;
    while (i < want.size() && i < have.size() && want[i] == have[i]) ++i;
    std::string problem = "differs from line " + std::to_string(i + 1) + ": committed \"" +
                          (i < have.size() ? have[i] : "<end of file>") + "\", generated \"" +
                          (i < want.size() ? want[i] : "<end of file>") + "\"";
    mismatches.push_back({rel, problem});
  }
  for (const auto& rel : ExistingGeneratedPaths(docs_dir)) {
    if (!files.contains(rel)) mismatches.push_back({rel, "not generated any more"});
  }
  return mismatches;
}

}  // namespace tfjira::docgen
