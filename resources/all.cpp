#include "resources/all.h"

namespace tfjira {

std::vector<tf::ResourceFactory> AllResources() {
  return {NewUserResource, NewGroupResource, NewGroupMembershipResource,
          NewPermissionSchemeResource, NewProjectPermissionSchemeResource, NewGroupMembersResource,
          NewPermissionSchemeGrantResource};
}

std::vector<tf::DataSourceFactory> AllDataSources() {
  return {NewUserDataSource, NewGroupDataSource, NewPermissionSchemeDataSource,
          NewProjectDataSource, NewProjectsDataSource};
}

}  // namespace tfjira
