#include "acceptance_tests/emulator/applications.h"

namespace emulator {

const std::vector<Application>& Applications() {
  static const std::vector<Application> kApplications = {
      {"jira-core", "Jira Core", "jira-core-users", false},
      {"jira-software", "Jira Software", "jira-software-users", true},
  };
  return kApplications;
}

const Application* FindApplication(std::string_view key) {
  for (const auto& a : Applications()) {
    if (key == a.key) return &a;
  }
  return nullptr;
}

}  // namespace emulator
