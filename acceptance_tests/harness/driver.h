// One client interface over a provider's gRPC API, with a tfplugin5 and a tfplugin6 back
// end. Values cross as tf::Value, encoded and decoded with the schema-implied types learned
// from GetProviderSchema (which the driver calls first, once). Transport failures and
// undecodable responses come back as error diagnostics worded as Terraform words them.
#pragma once

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "provider/core/diagnostics.h"
#include "provider/core/path.h"
#include "provider/core/schema.h"
#include "provider/core/value.h"

namespace tfj::harness {

struct ProviderSchemas {
  tf::Schema provider;
  std::map<std::string, tf::Schema> resources;
  std::map<std::string, tf::Schema> data_sources;
  bool plan_destroy = false;
  bool move_resource_state = false;
  tf::Diagnostics diagnostics;
};

struct PlanResult {
  tf::Value planned_state;
  std::vector<tf::Path> requires_replace;
  std::string planned_private;
  bool legacy_type_system = false;
  tf::Diagnostics diagnostics;
};

struct StateResult {
  tf::Value state;
  std::string private_data;
  tf::Diagnostics diagnostics;
};

// The source of a `moved` block whose resource another provider (or type) wrote.
struct MoveSource {
  std::string provider_address;  // e.g. "registry.terraform.io/fourplusone/jira"
  std::string type_name;
  int64_t schema_version = 0;
  std::string raw_json;
};

struct ImportedObject {
  std::string type_name;
  tf::Value state;
  std::string private_data;
};
struct ImportResult {
  std::vector<ImportedObject> imported;
  tf::Diagnostics diagnostics;
};

class Driver {
 public:
  // protocol is 5 or 6; the channel must be connected to a plugin serving that protocol.
  static std::unique_ptr<Driver> Create(int protocol, std::shared_ptr<grpc::Channel> channel);
  virtual ~Driver() = default;

  virtual int protocol() const = 0;
  // Calls GetProviderSchema (GetSchema in v5) and caches the result; later calls reuse it.
  virtual const ProviderSchemas& Schemas() = 0;
  // Forces a fresh GetProviderSchema call (e.g. to compare two answers).
  virtual ProviderSchemas FetchSchemas() = 0;

  // ValidateProviderConfig (v6) / PrepareProviderConfig (v5).
  virtual tf::Diagnostics ValidateProviderConfig(const tf::Value& config) = 0;
  // ConfigureProvider (v6) / Configure (v5).
  virtual tf::Diagnostics ConfigureProvider(const tf::Value& config,
                                            const std::string& terraform_version = "1.11.4") = 0;
  // ValidateResourceConfig (v6) / ValidateResourceTypeConfig (v5).
  virtual tf::Diagnostics ValidateResourceConfig(const std::string& type, const tf::Value& config) = 0;
  virtual StateResult UpgradeResourceState(const std::string& type, int64_t version,
                                           const std::string& raw_json) = 0;
  // UpgradeResourceState with a pre-0.12 flatmap RawState.
  virtual StateResult UpgradeFlatmapState(const std::string& type, int64_t version,
                                          const std::map<std::string, std::string>& flatmap) = 0;
  // MoveResourceState (Terraform 1.8+ `moved` blocks across types or providers).
  virtual StateResult MoveResourceState(const MoveSource& source, const std::string& target_type) = 0;
  // What ValidateResourceConfig announces in client_capabilities.write_only_attributes_allowed
  // (true, as Terraform 1.11+ does, until set otherwise).
  virtual void SetWriteOnlyAttributesAllowed(bool allowed) = 0;
  virtual StateResult ReadResource(const std::string& type, const tf::Value& current_state,
                                   const std::string& private_data) = 0;
  virtual PlanResult PlanResourceChange(const std::string& type, const tf::Value& prior_state,
                                        const tf::Value& proposed_new_state, const tf::Value& config,
                                        const std::string& prior_private) = 0;
  virtual StateResult ApplyResourceChange(const std::string& type, const tf::Value& prior_state,
                                          const tf::Value& planned_state, const tf::Value& config,
                                          const std::string& planned_private) = 0;
  virtual ImportResult ImportResourceState(const std::string& type, const std::string& id) = 0;
  // ValidateDataResourceConfig (v6) / ValidateDataSourceConfig (v5).
  virtual tf::Diagnostics ValidateDataResourceConfig(const std::string& type,
                                                     const tf::Value& config) = 0;
  virtual StateResult ReadDataSource(const std::string& type, const tf::Value& config) = 0;
  // StopProvider (v6) / Stop (v5). Returns the response's Error text ("" = success), or a
  // description of the transport failure.
  virtual std::string Stop() = 0;

  // The schema of a resource or data source type; nullptr when the provider lacks it.
  const tf::Schema* ResourceSchema(const std::string& type);
  const tf::Schema* DataSourceSchema(const std::string& type);
};

}  // namespace tfj::harness
