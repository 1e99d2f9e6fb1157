// The resource, data source and provider interfaces that our Terraform code plugs into.
// Modelled on terraform-plugin-framework: every operation takes a const request and a
// pre-filled response, and reports failure through response.diagnostics.
#pragma once

#include <any>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "provider/core/cancel.h"
#include "provider/core/diagnostics.h"
#include "provider/core/schema.h"
#include "provider/core/value.h"

namespace tf {

// ---- resources ----------------------------------------------------------------------------

struct ValidateResourceRequest { Value config; };          // may hold unknowns
struct ValidateResourceResponse { Diagnostics diagnostics; };

// Called after the engine has built the plan (defaults, unknown computed values, semantic
// equality, replacement). The resource may refine `planned_state` and `requires_replace`.
struct ModifyPlanRequest { Value config; Value prior_state; Value proposed_new_state; std::string prior_private; CancelToken cancel; };
struct ModifyPlanResponse { Value planned_state; std::vector<Path> requires_replace; std::string planned_private; Diagnostics diagnostics; };

struct CreateRequest { Value config; Value planned_state; std::string planned_private; CancelToken cancel; };
// `state` is pre-filled with the plan. On failure: set state Null if nothing was created, or
// the partial object if something was (Terraform saves it as tainted). A failed create that
// leaves the pre-filled state untouched is treated as "nothing created".
struct CreateResponse { Value state; std::string private_data; Diagnostics diagnostics; };

struct ReadRequest { Value current_state; std::string private_data; CancelToken cancel; };
struct ReadResponse { Value state; std::string private_data; Diagnostics diagnostics; };  // pre-filled; set Null to remove

struct UpdateRequest { Value config; Value prior_state; Value planned_state; std::string planned_private; CancelToken cancel; };
// `state` is pre-filled with the plan. A failed update that leaves it untouched keeps the
// prior state; otherwise the state set here is saved.
struct UpdateResponse { Value state; std::string private_data; Diagnostics diagnostics; };

struct DeleteRequest { Value prior_state; std::string private_data; CancelToken cancel; };
struct DeleteResponse { Diagnostics diagnostics; };  // on error the prior state is kept

struct ImportRequest { std::string id; CancelToken cancel; };
// `state` is pre-filled with a null-attribute object; set at least the identifying
// attributes. Terraform core then calls ReadResource on it (the engine does not).
struct ImportResponse { Value state; std::string private_data; Diagnostics diagnostics; };

// Prior state stored under an older schema version, already decoded into the *current*
// type where attributes match (unknown keys dropped). Only called when version < current.
struct UpgradeStateRequest { int64_t version; std::string raw_json; Value decoded; };
struct UpgradeStateResponse { Value state; Diagnostics diagnostics; };

// A `moved` block from another provider's resource type to this one (Terraform 1.8+), or
// state another provider wrote under this type name and Terraform now hands to us (after
// `terraform state replace-provider`). `decoded` is the source JSON decoded into this
// type's object where attribute names match (unknown keys dropped; null if it did not fit).
struct MoveStateRequest {
  std::string source_provider_address;  // "registry.terraform.io/<namespace>/<type>"; empty: unknown (upgrade)
  std::string source_type_name;
  int64_t source_schema_version = 0;
  std::string source_raw_json;
  Value decoded;
};
// Set `accepted` when the source is one this resource knows; `state` is then saved.
struct MoveStateResponse { Value state; bool accepted = false; Diagnostics diagnostics; };

class Resource {
 public:
  virtual ~Resource() = default;
  virtual std::string TypeName() const = 0;  // e.g. "jira_user"
  virtual Schema GetSchema() const = 0;

  // The value the provider's Configure produced (empty when the provider configuration is
  // still unknown). Called before every other operation on a fresh instance.
  virtual void Configure(const std::any& /*provider_data*/, Diagnostics& /*diags*/) {}

  virtual void ValidateConfig(const ValidateResourceRequest&, ValidateResourceResponse&) {}
  virtual void ModifyPlan(const ModifyPlanRequest&, ModifyPlanResponse&) {}
  virtual void Create(const CreateRequest&, CreateResponse&) = 0;
  virtual void Read(const ReadRequest&, ReadResponse&) = 0;
  virtual void Update(const UpdateRequest&, UpdateResponse&) = 0;
  virtual void Delete(const DeleteRequest&, DeleteResponse&) = 0;
  // Default: an error diagnostic saying the resource cannot be imported.
  virtual void ImportState(const ImportRequest&, ImportResponse&);
  // Default: returns `decoded` unchanged.
  virtual void UpgradeState(const UpgradeStateRequest&, UpgradeStateResponse&);
  // MoveResourceState: default leaves `accepted` false, and the engine refuses the move.
  virtual void MoveState(const MoveStateRequest&, MoveStateResponse&) {}
  // UpgradeResourceState of state already at the current version: the state may have been
  // written by another provider under the same type name (replace-provider), with our
  // attributes it lacks left null; fill what can be derived without calling the remote
  // API (the next refresh reads the rest). Default: unchanged.
  virtual void CompleteState(const UpgradeStateRequest&, UpgradeStateResponse&) {}
};

// ---- data sources -------------------------------------------------------------------------

struct ValidateDataSourceRequest { Value config; };
struct ValidateDataSourceResponse { Diagnostics diagnostics; };
struct DataSourceReadRequest { Value config; CancelToken cancel; };
// `state` pre-filled with the config; fill every computed attribute (no unknowns allowed).
struct DataSourceReadResponse { Value state; Diagnostics diagnostics; };

class DataSource {
 public:
  virtual ~DataSource() = default;
  virtual std::string TypeName() const = 0;
  virtual Schema GetSchema() const = 0;
  virtual void Configure(const std::any& /*provider_data*/, Diagnostics& /*diags*/) {}
  virtual void ValidateConfig(const ValidateDataSourceRequest&, ValidateDataSourceResponse&) {}
  virtual void Read(const DataSourceReadRequest&, DataSourceReadResponse&) = 0;
};

// ---- the provider -------------------------------------------------------------------------

struct ValidateProviderRequest { Value config; };
struct ValidateProviderResponse { Diagnostics diagnostics; };
struct ConfigureProviderRequest { std::string terraform_version; Value config; CancelToken cancel; };
// provider_data is handed to every resource and data source; leave it empty when the
// configuration holds unknown values and cannot be used yet.
struct ConfigureProviderResponse { std::any provider_data; Diagnostics diagnostics; };

using ResourceFactory = std::function<std::unique_ptr<Resource>()>;
using DataSourceFactory = std::function<std::unique_ptr<DataSource>()>;

class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string TypeName() const = 0;  // "jira"
  virtual std::string Version() const = 0;
  virtual Schema GetSchema() const = 0;
  virtual void ValidateConfig(const ValidateProviderRequest&, ValidateProviderResponse&) {}
  virtual void Configure(const ConfigureProviderRequest&, ConfigureProviderResponse&) = 0;
  virtual std::vector<ResourceFactory> Resources() const = 0;
  virtual std::vector<DataSourceFactory> DataSources() const = 0;
};

}  // namespace tf
