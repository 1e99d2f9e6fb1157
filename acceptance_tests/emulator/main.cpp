// jira-emulator: a Jira Server REST v2 emulator for tests and local demos.
// Prints "listening on <url>" as its first stdout line, then serves until SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "acceptance_tests/emulator/cli.h"
#include "acceptance_tests/emulator/server.h"

int main(int argc, char** argv) {
  emulator::Options options;
  std::string error;
  std::vector<std::string> args(argv + 1, argv + argc);
  emulator::CliResult cli = emulator::ParseCommandLine(args, &options, &error);
  if (cli == emulator::CliResult::kHelp) {
    std::cout << emulator::Usage();
    return 0;
  }
  if (cli == emulator::CliResult::kError) {
    std::cerr << "jira-emulator: " << error << "\n" << emulator::Usage();
    return 2;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Block before starting threads so only sigwait below receives them.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    emulator::Server server(options);
    server.Start();
    std::cout << "listening on " << server.url() << std::endl;  // flushed: parents wait for it
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
  } catch (const std::exception& e) {
    std::cerr << "jira-emulator: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
