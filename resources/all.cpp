#include "resources/all.h"

namespace tfjira {

std::vector<tf::ResourceFactory> AllResources() {
  return {NewUserResource, NewGroupResource, NewGroupMembershipResource,
          NewPermissionSchemeResource, NewProjectPermissionSchemeResource};
}

std::vector<tf::DataSourceFactory> AllDataSources() {
  return {NewUserDataSource, NewGroupDataSource, NewPermissionSchemeDataSource};
}

}  // namespace tfjira
