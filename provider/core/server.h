// The protocol-free engine shared by the protocol 5 and protocol 6 adapters (the role of
// terraform-plugin-framework's fwserver). It works on DynamicValue bytes so that the
// adapters only copy fields; decoding against schemas, Terraform's planning rules and the
// dispatch to resources all live here. Thread-safe: Terraform calls RPCs concurrently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "provider/core/cancel.h"
#include "provider/core/diagnostics.h"
#include "provider/core/resource.h"
#include "provider/core/schema.h"

namespace tf {

// The DynamicValue message, common to both protocols: msgpack, or JSON, or neither (null).
struct DynamicValue {
  std::string msgpack;
  std::string json;
  bool empty() const { return msgpack.empty() && json.empty(); }
};

struct ServerCapabilities {
  bool plan_destroy = false;
  bool get_provider_schema_optional = false;
  bool move_resource_state = false;
};

struct GetProviderSchemaResponse {
  Schema provider;
  std::map<std::string, Schema> resource_schemas;
  std::map<std::string, Schema> data_source_schemas;
  ServerCapabilities capabilities;
  Diagnostics diagnostics;
};
struct GetMetadataResponse {
  std::vector<std::string> resources;
  std::vector<std::string> data_sources;
  ServerCapabilities capabilities;
  Diagnostics diagnostics;
};

struct ValidateProviderConfigRequest { DynamicValue config; };
struct ValidateProviderConfigResponse { DynamicValue prepared_config; Diagnostics diagnostics; };
struct ConfigureRequest { std::string terraform_version; DynamicValue config; };
struct ConfigureResponse { Diagnostics diagnostics; };

// What the calling Terraform announces it supports (ClientCapabilities).
struct ClientCapabilities {
  bool deferral_allowed = false;
  bool write_only_attributes_allowed = false;  // Terraform 1.11+
};

struct ValidateResourceConfigRequest {
  // A constructor rather than an aggregate, so callers written before client capabilities
  // existed ({type_name, config}) still compile without missing-initializer warnings.
  ValidateResourceConfigRequest() = default;
  ValidateResourceConfigRequest(std::string type, DynamicValue cfg, ClientCapabilities caps = {})
      : type_name(std::move(type)), config(std::move(cfg)), client_capabilities(caps) {}
  std::string type_name;
  DynamicValue config;
  ClientCapabilities client_capabilities;
};
struct ValidateResourceConfigResponse { Diagnostics diagnostics; };

struct UpgradeResourceStateRequest {
  std::string type_name;
  int64_t version = 0;
  std::string raw_json;                          // RawState.json
  std::map<std::string, std::string> flatmap;    // RawState.flatmap (pre-0.12 state)
};
struct UpgradeResourceStateResponse { DynamicValue upgraded_state; Diagnostics diagnostics; };

struct MoveResourceStateRequest {
  std::string source_provider_address;
  std::string source_type_name;
  int64_t source_schema_version = 0;
  std::string source_raw_json;                        // source_state.json
  std::map<std::string, std::string> source_flatmap;  // source_state.flatmap
  std::string target_type_name;
};
struct MoveResourceStateResponse { DynamicValue target_state; Diagnostics diagnostics; };

struct ReadResourceRequest {
  std::string type_name;
  DynamicValue current_state;
  std::string private_data;
  // This RPC's own cancellation (client gone, deadline passed), polled; set by the adapter.
  std::function<bool()> call_cancelled = {};
};
struct ReadResourceResponse { DynamicValue new_state; std::string private_data; Diagnostics diagnostics; };

struct PlanResourceChangeRequest {
  std::string type_name;
  DynamicValue prior_state;
  DynamicValue proposed_new_state;
  DynamicValue config;
  std::string prior_private;
  // This RPC's own cancellation (client gone, deadline passed), polled; set by the adapter.
  std::function<bool()> call_cancelled = {};
};
struct PlanResourceChangeResponse {
  DynamicValue planned_state;
  std::vector<Path> requires_replace;
  std::string planned_private;
  Diagnostics diagnostics;
};

struct ApplyResourceChangeRequest {
  std::string type_name;
  DynamicValue prior_state;
  DynamicValue planned_state;
  DynamicValue config;
  std::string planned_private;
  // This RPC's own cancellation (client gone, deadline passed), polled; set by the adapter.
  std::function<bool()> call_cancelled = {};
};
struct ApplyResourceChangeResponse { DynamicValue new_state; std::string private_data; Diagnostics diagnostics; };

struct ImportResourceStateRequest {
  std::string type_name;
  std::string id;
  // This RPC's own cancellation (client gone, deadline passed), polled; set by the adapter.
  std::function<bool()> call_cancelled = {};
};
struct ImportedResource { std::string type_name; DynamicValue state; std::string private_data; };
struct ImportResourceStateResponse { std::vector<ImportedResource> imported_resources; Diagnostics diagnostics; };

struct ValidateDataResourceConfigRequest { std::string type_name; DynamicValue config; };
struct ValidateDataResourceConfigResponse { Diagnostics diagnostics; };
struct ReadDataSourceRequest {
  std::string type_name;
  DynamicValue config;
  // This RPC's own cancellation (client gone, deadline passed), polled; set by the adapter.
  std::function<bool()> call_cancelled = {};
};
struct ReadDataSourceResponse { DynamicValue state; Diagnostics diagnostics; };

class Server {
 public:
  explicit Server(std::unique_ptr<Provider> provider);

  GetProviderSchemaResponse GetProviderSchema();
  GetMetadataResponse GetMetadata();
  ValidateProviderConfigResponse ValidateProviderConfig(const ValidateProviderConfigRequest&);
  ConfigureResponse ConfigureProvider(const ConfigureRequest&);
  ValidateResourceConfigResponse ValidateResourceConfig(const ValidateResourceConfigRequest&);
  UpgradeResourceStateResponse UpgradeResourceState(const UpgradeResourceStateRequest&);
  MoveResourceStateResponse MoveResourceState(const MoveResourceStateRequest&);
  ReadResourceResponse ReadResource(const ReadResourceRequest&);
  PlanResourceChangeResponse PlanResourceChange(const PlanResourceChangeRequest&);
  ApplyResourceChangeResponse ApplyResourceChange(const ApplyResourceChangeRequest&);
  ImportResourceStateResponse ImportResourceState(const ImportResourceStateRequest&);
  ValidateDataResourceConfigResponse ValidateDataResourceConfig(const ValidateDataResourceConfigRequest&);
  ReadDataSourceResponse ReadDataSource(const ReadDataSourceRequest&);
  // Cancels every call in flight; later calls get a fresh token. Returns "" on success.
  std::string Stop();

  const Provider& provider() const { return *provider_; }

 private:
  // (implementation detail, owned by provider/core/server.cpp)
  struct Impl;
  std::unique_ptr<Provider> provider_;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tf
