// The provider's resources and data sources. Adding one is one file plus one line here.
#pragma once

#include <vector>

#include "provider/core/resource.h"

namespace tfjira {

std::unique_ptr<tf::Resource> NewUserResource();
std::unique_ptr<tf::Resource> NewGroupResource();
std::unique_ptr<tf::Resource> NewGroupMembershipResource();
std::unique_ptr<tf::Resource> NewPermissionSchemeResource();
std::unique_ptr<tf::Resource> NewProjectPermissionSchemeResource();
std::unique_ptr<tf::Resource> NewGroupMembersResource();
std::unique_ptr<tf::Resource> NewPermissionSchemeGrantResource();

std::unique_ptr<tf::DataSource> NewUserDataSource();
std::unique_ptr<tf::DataSource> NewGroupDataSource();
std::unique_ptr<tf::DataSource> NewPermissionSchemeDataSource();
std::unique_ptr<tf::DataSource> NewProjectDataSource();
std::unique_ptr<tf::DataSource> NewProjectsDataSource();

std::vector<tf::ResourceFactory> AllResources();
std::vector<tf::DataSourceFactory> AllDataSources();

}  // namespace tfjira
