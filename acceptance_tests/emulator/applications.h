// The Jira applications the emulator licenses (Jira 7.0+ "application access"). A user has an
// application when they are an active, effective member of one of its groups; creating a user
// adds them to the default group of each application granted ("Manage group access to
// applications", Jira admin guide; UserResource POST `applicationKeys`, REST reference 7.0+).
// Users count against an application's seats while active ("Managing users": inactive users
// do not count towards the licence).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace emulator {

struct Application {
  const char* key;            // jira-core, jira-software
  const char* name;           // as applicationRoles items name them
  const char* default_group;  // the group granting access; new users join it
  bool selected_by_default;   // granted when POST /user gives no applicationKeys
};

// jira-core and jira-software. Jira Software is the selected-by-default application of a
// Jira Software instance; Jira Core's default group is jira-core-users. [DOC "Managing
// application access"; INF: selected-by-default flags as on a fresh Jira Software install]
const std::vector<Application>& Applications();
const Application* FindApplication(std::string_view key);

}  // namespace emulator
