// The steps API: a Terraform-like workspace that drives one provider process through
// refresh / plan / apply / import / destroy exactly as Terraform core would, holding the
// provider to core's rules (rules.h) and failing with Terraform's own wording.
//
// Writing a scenario (see acceptance_tests/scenarios/harness_scenarios_test.cpp):
//
//   class ThingTest : public tfj::harness::ProtocolTest {};   // runs under protocol 5 and 6
//   TEST_P(ThingTest, CreateThenPlanEmpty) {
//     tfj::harness::Workspace ws(Options());   // Options(): binary, protocol = GetParam()
//     ws.SetProviderConfig({{"store_path", tf::Value::String(path)}});
//     TFJ_ASSERT_OK(ws.Start());               // launch, GetProviderSchema, validate, configure
//     ws.SetResource("tfjtest_thing", "a", {{"name", tf::Value::String("alpha")}});
//     TFJ_ASSERT_OK(ws.Apply());               // refresh, plan, apply (+ every rule check)
//     TFJ_ASSERT_OK(ws.PlanMustBeEmpty());
//     EXPECT_EQ(ws.Attr("tfjtest_thing.a", "name"), tf::Value::String("alpha"));
//     TFJ_ASSERT_OK(ws.ImportStateVerify("tfjtest_thing.a", ws.AttrString("tfjtest_thing.a", "id"),
//                                        {"secret"}));
//     TFJ_ASSERT_OK(ws.Destroy());             // deletes, then checks read finds nothing
//   }
//   TFJ_INSTANTIATE_PROTOCOLS(ThingTest);
//
// Configuration values are objects of the resource's schema type; the attribute-map
// overloads fill everything unset with null (and absent nested blocks with empty
// collections, as Terraform's config decoder does). Ref("type.name", "attr") makes one
// configuration value refer to another instance's attribute (unknown during plan while that
// attribute is unknown), and "data.type.name" refers to a data source.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acceptance_tests/harness/driver.h"
#include "acceptance_tests/harness/launcher.h"
#include "acceptance_tests/harness/status.h"
#include "provider/core/value.h"

namespace tfj::harness {

using Attrs = std::map<std::string, tf::Value>;

// A string value that stands for `address`'s attribute `attr` (address "type.name" or
// "data.type.name"); resolved by the workspace at plan and apply time.
tf::Value Ref(const std::string& address, const std::string& attr);

enum class Action { kNoOp, kCreate, kUpdate, kReplace, kDelete };
const char* ActionName(Action action);

struct PlannedChange {
  std::string address;  // "type.name"
  std::string type;
  Action action = Action::kNoOp;
  tf::Value prior;      // refreshed state (null for create)
  tf::Value config;     // config with references resolved (may hold unknowns)
  tf::Value planned;    // the plan's new value (null for delete)
  std::string prior_private;
  std::string planned_private;
  std::vector<tf::Path> requires_replace;
  std::vector<std::string> diff;  // "path: before => after"
};

struct WorkspaceOptions {
  std::string binary;   // provider executable
  int protocol = 6;     // 5 or 6: PLUGIN_PROTOCOL_VERSIONS
  bool tcp = false;     // ask the plugin for tcp instead of a unix socket
  std::string provider_address = "registry.terraform.io/tfjira/tfjtest";  // for messages
  std::map<std::string, std::string> env;  // extra environment for the provider process
  std::string terraform_version = "1.11.4";
};

class Workspace {
 public:
  explicit Workspace(WorkspaceOptions options);
  ~Workspace();

  // ---- configuration ------------------------------------------------------------------
  void SetProviderConfig(Attrs attrs);  // provider block; unset attributes are null
  // Adds or replaces a managed resource instance (order of first insertion is kept and is
  // the order of planning; dependencies must come first).
  void SetResource(const std::string& type, const std::string& name, Attrs attrs);
  void SetResourceValue(const std::string& type, const std::string& name, tf::Value config);
  void RemoveResource(const std::string& type, const std::string& name);
  void SetDataSource(const std::string& type, const std::string& name, Attrs attrs);
  void RemoveDataSource(const std::string& type, const std::string& name);

  // Builders for values of a resource's schema (call after Start()).
  tf::Value ResourceObject(const std::string& type, Attrs attrs);
  // The collection value for nested block `block` of `type`: one element per entry.
  tf::Value Blocks(const std::string& type, const std::string& block, std::vector<Attrs> elements);

  // ---- operations (each returns an error Status with Terraform's wording) --------------
  // Launches the provider, reads its schema, validates and configures the provider.
  Status Start();
  // UpgradeResourceState + ReadResource for every instance in state.
  Status Refresh();
  // Plans every configured instance (and deletes for instances no longer configured)
  // without changing state. Refreshes first unless refresh == false.
  Status Plan(std::vector<PlannedChange>* changes, bool refresh = true);
  // Refresh, plan and apply: creates, updates, replaces (delete then create, as Terraform
  // does by default) and destroys what is no longer configured.
  Status Apply();
  // Refresh + plan; error "After applying this test step, the plan was not empty." with
  // the planned changes unless every change is a no-op.
  Status PlanMustBeEmpty();
  // terraform import: ImportResourceState + ReadResource, stored in state as type.name.
  Status Import(const std::string& type, const std::string& name, const std::string& id);
  // Puts state as another provider (or an older schema version) wrote it in state as
  // type.name, the way `terraform state replace-provider` leaves it: the next Refresh hands it
  // to UpgradeResourceState (JSON, or pre-0.12 flatmap when `flatmap` is non-empty).
  void PutRawState(const std::string& type, const std::string& name, int64_t version,
                   const std::string& raw_json,
                   const std::map<std::string, std::string>& flatmap = {});
  // A `moved` block from `source` to type.name: MoveResourceState, then stored as Terraform
  // stores the moved object (and checked as it checks it).
  Status Move(const MoveSource& source, const std::string& type, const std::string& name);
  // Imports `id` aside and compares it with the current state of `address`, attribute by
  // attribute, except the `ignore` attributes (e.g. write-only-like passwords).
  Status ImportStateVerify(const std::string& address, const std::string& id,
                           const std::vector<std::string>& ignore = {});
  // Destroys every instance in state (reverse order), then checks that ReadResource of each
  // destroyed object finds nothing.
  Status Destroy();
  // Stops the provider process (GRPCController.Shutdown); the workspace can Start() again.
  Status Stop();

  // ---- state ------------------------------------------------------------------------------
  bool HasState(const std::string& address) const;
  tf::Value State(const std::string& address) const;  // null when absent
  tf::Value Attr(const std::string& address, const std::string& attr) const;
  std::string AttrString(const std::string& address, const std::string& attr) const;
  std::string Private(const std::string& address) const;
  tf::Value DataState(const std::string& address) const;  // "data.type.name"
  std::vector<std::string> Addresses() const;           // instances in state
  // The diagnostics of the last provider call that returned any (errors or warnings).
  const tf::Diagnostics& last_diagnostics() const { return last_diagnostics_; }
  // The last plan computed by Plan/Apply/PlanMustBeEmpty.
  const std::vector<PlannedChange>& last_plan() const { return last_plan_; }

  Driver& driver() { return *driver_; }
  ProviderProcess& process() { return *process_; }
  int protocol() const { return options_.protocol; }

 private:
  struct Instance {
    std::string type;
    std::string name;
    tf::Value config;             // when set as a value
    std::optional<Attrs> attrs;   // when set as attributes: built against the schema lazily
  };
  struct Stored {
    std::string type;
    tf::Value state;
    std::string private_data;
    // Set by PutRawState until the next upgrade: the state as stored on disk.
    std::optional<std::string> raw_json{};
    std::map<std::string, std::string> raw_flatmap{};
    int64_t raw_version = 0;
  };

  Status Check(const tf::Diagnostics& diags, const std::string& address);
  tf::Value ConfigOf(const Instance& inst, bool data);
  Status ResolveRefs(const tf::Value& config, bool planning, tf::Value* out) const;
  Status PlanOne(const Instance& inst, const Stored* prior, PlannedChange* change);
  Status PlanDataSources();
  Status ApplyChange(const PlannedChange& change);
  Status ApplyDelete(const std::string& address, const Stored& prior);
  Status UpgradeAndRead(const std::string& address, Stored* stored, bool* gone);
  Status ImportObject(const std::string& type, const std::string& id, const std::string& address,
                      Stored* out);
  std::string InvalidPlan(const std::string& address, const std::string& err) const;
  const tf::Schema* SchemaFor(const std::string& type);

  WorkspaceOptions options_;
  std::unique_ptr<ProviderProcess> process_;
  std::unique_ptr<Driver> driver_;
  Attrs provider_attrs_;
  std::vector<Instance> resources_;
  std::vector<Instance> data_sources_;
  std::vector<std::pair<std::string, Stored>> state_;  // in creation order
  std::map<std::string, tf::Value> data_state_;
  std::map<std::string, tf::Value> planned_values_;  // address -> planned value during a plan
  tf::Diagnostics last_diagnostics_;
  std::vector<PlannedChange> last_plan_;
};

}  // namespace tfj::harness
