#include "acceptance_tests/emulator/permission_catalog.h"

#include <map>

namespace emulator {

const std::vector<PermissionInfo>& AllPermissions() {
  static const std::vector<PermissionInfo> kAll = {
      {"ADMINISTER_PROJECTS", "Administer Projects", "PROJECT",
       "Ability to administer a project in Jira."},
      {"BROWSE_PROJECTS", "Browse Projects", "PROJECT",
       "Ability to browse projects and the issues within them."},
      {"VIEW_DEV_TOOLS", "View Development Tools", "PROJECT",
       "Allows users in a software project to view development-related information on the issue."},
      {"VIEW_READONLY_WORKFLOW", "View Read-Only Workflow", "PROJECT",
       "Users with this permission may view a read-only version of a workflow."},
      {"CREATE_ISSUES", "Create Issues", "PROJECT", "Ability to create issues."},
      {"EDIT_ISSUES", "Edit Issues", "PROJECT", "Ability to edit issues."},
      {"TRANSITION_ISSUES", "Transition Issues", "PROJECT", "Ability to transition issues."},
      {"SCHEDULE_ISSUES", "Schedule Issues", "PROJECT",
       "Ability to set or edit an issue's due date."},
      {"MOVE_ISSUES", "Move Issues", "PROJECT",
       "Ability to move issues between projects or between workflows of the same project."},
      {"ASSIGN_ISSUES", "Assign Issues", "PROJECT", "Ability to assign issues to other people."},
      {"ASSIGNABLE_USER", "Assignable User", "PROJECT",
       "Users with this permission may be assigned to issues."},
      {"RESOLVE_ISSUES", "Resolve Issues", "PROJECT",
       "Ability to resolve and reopen issues. This includes the ability to set a fix version."},
      {"CLOSE_ISSUES", "Close Issues", "PROJECT", "Ability to close issues."},
      {"MODIFY_REPORTER", "Modify Reporter", "PROJECT",
       "Ability to modify the reporter when creating or editing an issue."},
      {"DELETE_ISSUES", "Delete Issues", "PROJECT", "Ability to delete issues."},
      {"LINK_ISSUES", "Link Issues", "PROJECT",
       "Ability to link issues together and create linked issues."},
      {"SET_ISSUE_SECURITY", "Set Issue Security", "PROJECT",
       "Ability to set the level of security on an issue so that only people in that security "
       "level can see the issue."},
      {"VIEW_VOTERS_AND_WATCHERS", "View Voters and Watchers", "PROJECT",
       "Ability to view the voters and watchers of an issue."},
      {"MANAGE_WATCHERS", "Manage Watchers", "PROJECT", "Ability to manage the watchers of an issue."},
      {"ADD_COMMENTS", "Add Comments", "PROJECT", "Ability to comment on issues."},
      {"EDIT_ALL_COMMENTS", "Edit All Comments", "PROJECT",
       "Ability to edit all comments made on issues."},
      {"EDIT_OWN_COMMENTS", "Edit Own Comments", "PROJECT",
       "Ability to edit own comments made on issues."},
      {"DELETE_ALL_COMMENTS", "Delete All Comments", "PROJECT",
       "Ability to delete all comments made on issues."},
      {"DELETE_OWN_COMMENTS", "Delete Own Comments", "PROJECT",
       "Ability to delete own comments made on issues."},
      {"CREATE_ATTACHMENTS", "Create Attachments", "PROJECT",
       "Users with this permission may create attachments."},
      {"DELETE_ALL_ATTACHMENTS", "Delete All Attachments", "PROJECT",
       "Users with this permission may delete all attachments."},
      {"DELETE_OWN_ATTACHMENTS", "Delete Own Attachments", "PROJECT",
       "Users with this permission may delete own attachments."},
      {"WORK_ON_ISSUES", "Work On Issues", "PROJECT", "Ability to log work done against an issue."},
      {"EDIT_OWN_WORKLOGS", "Edit Own Worklogs", "PROJECT",
       "Ability to edit own worklogs made on issues."},
      {"EDIT_ALL_WORKLOGS", "Edit All Worklogs", "PROJECT",
       "Ability to edit all worklogs made on issues."},
      {"DELETE_OWN_WORKLOGS", "Delete Own Worklogs", "PROJECT",
       "Ability to delete own worklogs made on issues."},
      {"DELETE_ALL_WORKLOGS", "Delete All Worklogs", "PROJECT",
       "Ability to delete all worklogs made on issues."},
      {"MANAGE_SPRINTS_PERMISSION", "Manage Sprints", "PROJECT",
       "Ability to manage sprints."},
      {"ADMINISTER", "Jira Administrators", "GLOBAL",
       "Ability to perform most administration functions (excluding Import & Export, SMTP "
       "Configuration, etc.)."},
      {"SYSTEM_ADMIN", "Jira System Administrators", "GLOBAL",
       "Ability to perform all administration functions."},
      {"USER_PICKER", "Browse users and groups", "GLOBAL",
       "Ability to select a user or group from a popup window."},
      {"CREATE_SHARED_OBJECTS", "Create Shared Objects", "GLOBAL",
       "Ability to share dashboards and filters with other users, groups and roles."},
      {"MANAGE_GROUP_FILTER_SUBSCRIPTIONS", "Manage Group Filter Subscriptions", "GLOBAL",
       "Ability to manage (create and delete) group filter subscriptions."},
      {"BULK_CHANGE", "Make bulk changes", "GLOBAL",
       "Ability to modify a collection of issues at once."},
  };
  return kAll;
}

namespace {
const PermissionInfo* Find(std::string_view key) {
  for (const auto& p : AllPermissions()) {
    if (key == p.key) return &p;
  }
  return nullptr;
}
}  // namespace

bool IsProjectPermission(std::string_view key) {
  const PermissionInfo* p = Find(key);
  return p && std::string_view(p->type) == "PROJECT";
}

bool IsGlobalPermission(std::string_view key) {
  const PermissionInfo* p = Find(key);
  return p && std::string_view(p->type) == "GLOBAL";
}

bool LookupHolderType(std::string_view type, HolderParameter* parameter) {
  static const std::map<std::string_view, HolderParameter> kTypes = {
      {"anyone", HolderParameter::kNone},
      {"group", HolderParameter::kRequired},
      {"user", HolderParameter::kRequired},
      {"projectRole", HolderParameter::kRequired},
      {"reporter", HolderParameter::kNone},
      {"projectLead", HolderParameter::kNone},
      {"assignee", HolderParameter::kNone},
      {"userCustomField", HolderParameter::kRequired},
      {"groupCustomField", HolderParameter::kRequired},
      {"applicationRole", HolderParameter::kOptional},
      {"reporterWithCreatePermission", HolderParameter::kNone},
      {"assigneeWithAssignablePermission", HolderParameter::kNone},
      {"sd.customer.portal.only", HolderParameter::kNone},
  };
  auto it = kTypes.find(type);
  if (it == kTypes.end()) return false;
  *parameter = it->second;
  return true;
}

}  // namespace emulator
