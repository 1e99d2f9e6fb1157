// Command-line parsing for the jira-emulator binary (kept out of main for unit tests).
#pragma once

#include <string>
#include <vector>

#include "acceptance_tests/emulator/options.h"

namespace emulator {

enum class CliResult { kRun, kHelp, kError };

// Parses `args` (without argv[0]) into `options`. Accepts "--flag value" and "--flag=value".
CliResult ParseCommandLine(const std::vector<std::string>& args, Options* options,
                           std::string* error);
std::string Usage();

}  // namespace emulator
