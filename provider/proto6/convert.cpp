#include "provider/proto6/convert.h"

#include "provider/wire/convert_shared.h"

namespace tfj::proto6 {

using wire::DiagnosticsToProto;
using wire::DynamicValueFromProto;
using wire::DynamicValueToProto;

// ---- requests -----------------------------------------------------------------------------

tf::ValidateProviderConfigRequest FromProto(const tfplugin6::ValidateProviderConfig::Request& pb) {
  return {DynamicValueFromProto(pb.config())};
}

tf::ConfigureRequest FromProto(const tfplugin6::ConfigureProvider::Request& pb) {
  return {pb.terraform_version(), DynamicValueFromProto(pb.config())};
}

tf::ValidateResourceConfigRequest FromProto(const tfplugin6::ValidateResourceConfig::Request& pb) {
  return {pb.type_name(), DynamicValueFromProto(pb.config()),
          wire::ClientCapabilitiesFromProto(pb.client_capabilities())};
}

tf::MoveResourceStateRequest FromProto(const tfplugin6::MoveResourceState::Request& pb) {
  tf::MoveResourceStateRequest r;
  r.source_provider_address = pb.source_provider_address();
  r.source_type_name = pb.source_type_name();
  r.source_schema_version = pb.source_schema_version();
  wire::RawStateFromProto(pb.source_state(), &r.source_raw_json, &r.source_flatmap);
  r.target_type_name = pb.target_type_name();
  return r;
}

tf::ValidateDataResourceConfigRequest FromProto(
    const tfplugin6::ValidateDataResourceConfig::Request& pb) {
  return {pb.type_name(), DynamicValueFromProto(pb.config())};
}

tf::UpgradeResourceStateRequest FromProto(const tfplugin6::UpgradeResourceState::Request& pb) {
  tf::UpgradeResourceStateRequest r;
  r.type_name = pb.type_name();
  r.version = pb.version();
  wire::RawStateFromProto(pb.raw_state(), &r.raw_json, &r.flatmap);
  return r;
}

tf::ReadResourceRequest FromProto(const tfplugin6::ReadResource::Request& pb) {
  return {pb.type_name(), DynamicValueFromProto(pb.current_state()), pb.private_()};
}

tf::PlanResourceChangeRequest FromProto(const tfplugin6::PlanResourceChange::Request& pb) {
  tf::PlanResourceChangeRequest r;
  r.type_name = pb.type_name();
  r.prior_state = DynamicValueFromProto(pb.prior_state());
  r.proposed_new_state = DynamicValueFromProto(pb.proposed_new_state());
  r.config = DynamicValueFromProto(pb.config());
  r.prior_private = pb.prior_private();
  return r;
}

tf::ApplyResourceChangeRequest FromProto(const tfplugin6::ApplyResourceChange::Request& pb) {
  tf::ApplyResourceChangeRequest r;
  r.type_name = pb.type_name();
  r.prior_state = DynamicValueFromProto(pb.prior_state());
  r.planned_state = DynamicValueFromProto(pb.planned_state());
  r.config = DynamicValueFromProto(pb.config());
  r.planned_private = pb.planned_private();
  return r;
}

tf::ImportResourceStateRequest FromProto(const tfplugin6::ImportResourceState::Request& pb) {
  return {pb.type_name(), pb.id()};
}

tf::ReadDataSourceRequest FromProto(const tfplugin6::ReadDataSource::Request& pb) {
  return {pb.type_name(), DynamicValueFromProto(pb.config())};
}

// ---- responses ----------------------------------------------------------------------------

void ToProto(const tf::GetProviderSchemaResponse& r, tfplugin6::GetProviderSchema::Response* pb) {
  wire::SchemaToProto(r.provider, pb->mutable_provider());
  for (const auto& [name, schema] : r.resource_schemas) {
    wire::SchemaToProto(schema, &(*pb->mutable_resource_schemas())[name]);
  }
  for (const auto& [name, schema] : r.data_source_schemas) {
    wire::SchemaToProto(schema, &(*pb->mutable_data_source_schemas())[name]);
  }
  wire::CapabilitiesToProto(r.capabilities, pb->mutable_server_capabilities());
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::GetMetadataResponse& r, tfplugin6::GetMetadataMsg::Response* pb) {
  wire::CapabilitiesToProto(r.capabilities, pb->mutable_server_capabilities());
  for (const std::string& name : r.resources) pb->add_resources()->set_type_name(name);
  for (const std::string& name : r.data_sources) pb->add_data_sources()->set_type_name(name);
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::ValidateProviderConfigResponse& r,
             tfplugin6::ValidateProviderConfig::Response* pb) {
  DiagnosticsToProto(r.diagnostics, pb);  // protocol 6 has no prepared_config
}

void ToProto(const tf::ConfigureResponse& r, tfplugin6::ConfigureProvider::Response* pb) {
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::ValidateResourceConfigResponse& r,
             tfplugin6::ValidateResourceConfig::Response* pb) {
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::ValidateDataResourceConfigResponse& r,
             tfplugin6::ValidateDataResourceConfig::Response* pb) {
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::UpgradeResourceStateResponse& r,
             tfplugin6::UpgradeResourceState::Response* pb) {
  DynamicValueToProto(r.upgraded_state, pb->mutable_upgraded_state());
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::MoveResourceStateResponse& r, tfplugin6::MoveResourceState::Response* pb) {
  DynamicValueToProto(r.target_state, pb->mutable_target_state());
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::ReadResourceResponse& r, tfplugin6::ReadResource::Response* pb) {
  DynamicValueToProto(r.new_state, pb->mutable_new_state());
  pb->set_private_(r.private_data);
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::PlanResourceChangeResponse& r,
             tfplugin6::PlanResourceChange::Response* pb) {
  DynamicValueToProto(r.planned_state, pb->mutable_planned_state());
  for (const tf::Path& p : r.requires_replace) wire::PathToProto(p, pb->add_requires_replace());
  pb->set_planned_private(r.planned_private);
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::ApplyResourceChangeResponse& r,
             tfplugin6::ApplyResourceChange::Response* pb) {
  DynamicValueToProto(r.new_state, pb->mutable_new_state());
  pb->set_private_(r.private_data);
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::ImportResourceStateResponse& r,
             tfplugin6::ImportResourceState::Response* pb) {
  for (const tf::ImportedResource& ir : r.imported_resources) {
    auto* out = pb->add_imported_resources();
    out->set_type_name(ir.type_name);
    DynamicValueToProto(ir.state, out->mutable_state());
    out->set_private_(ir.private_data);
  }
  DiagnosticsToProto(r.diagnostics, pb);
}

void ToProto(const tf::ReadDataSourceResponse& r, tfplugin6::ReadDataSource::Response* pb) {
  DynamicValueToProto(r.state, pb->mutable_state());
  DiagnosticsToProto(r.diagnostics, pb);
}

}  // namespace tfj::proto6
