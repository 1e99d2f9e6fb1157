// Readers of Jira's project beans (GET /rest/api/2/project and /project/{idOrKey}), used by
// the project calls of BeastClient (projects.cpp). Like json_model.h, a wrong shape throws
// nlohmann::json::exception, which the client turns into an Error.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "provider/jira/model.h"

namespace jira {

Project ProjectFromJson(const nlohmann::json& j);
std::vector<Project> ProjectsFromJson(const nlohmann::json& j);  // a bare array

}  // namespace jira
