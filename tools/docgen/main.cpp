// tfj-docgen: regenerates the registry docs from the provider's schemas and examples/.
//
//   tfj-docgen --examples DIR --out DIR           write docs (what `make docs` runs)
//   tfj-docgen --examples DIR --out DIR --check   exit 1 and list differences instead
#include <cstring>
#include <iostream>
#include <string>

#include "resources/provider.h"
#include "tools/docgen/docgen.h"

namespace {

int Usage() {
  std::cerr << "usage: tfj-docgen --examples DIR --out DIR [--check]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string examples;
  std::string out;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--examples" && i + 1 < argc) {
      examples = argv[++i];
    } else if (arg == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (arg == "--check") {
      check = true;
    } else {
      return Usage();
    }
  }
  if (examples.empty() || out.empty()) return Usage();

  auto provider = tfjira::NewProvider();
  std::vector<std::string> errors;
  auto input = tfjira::docgen::DescribeProvider(*provider);
  input.guides = tfjira::docgen::FindGuides(out, errors);
  auto files = tfjira::docgen::Generate(input, examples, errors);
  for (const auto& e : errors) std::cerr << "tfj-docgen: " << e << "\n";
  if (!errors.empty()) return 1;

  if (check) {
    auto mismatches = tfjira::docgen::Compare(files, out);
    for (const auto& m : mismatches) std::cerr << out << "/" << m.path << ": " << m.problem << "\n";
    if (!mismatches.empty()) {
      std::cerr << "The committed docs are out of date: run `make docs` and commit the result.\n";
      return 1;
    }
    std::cout << "docs are up to date (" << files.size() << " pages)\n";
    return 0;
  }
  std::string error;
  if (!tfjira::docgen::Write(files, out, error)) {
    std::cerr << "tfj-docgen: " << error << "\n";
    return 1;
  }
  std::cout << "wrote " << files.size() << " pages to " << out << "\n";
  return 0;
}
