#include "provider/proto5/provider_service.h"

#include <string>

#include "provider/core/log.h"
#include "provider/proto5/convert.h"
#include "provider/wire/convert_shared.h"
#include "provider/wire/rpc_log.h"

namespace tfj::proto5 {

using rpc::Status;
using wire::GuardRpc;

namespace {

void LogRpc(std::string_view rpc, std::string_view type_name = {}) {
  wire::LogServedRpc("5", rpc, type_name);
}

// Answer for RPCs about a kind of object this provider never declares.
template <typename Response>
Status Unsupported(std::string_view rpc, std::string_view what, std::string_view name,
                   Response* response) {
  LogRpc(rpc, name);
  wire::AddError(response, std::string(what) + " not supported",
                 "The jira provider has no " + std::string(what) +
                     (name.empty() ? std::string() : " named \"" + std::string(name) + "\"") +
                     " (" + std::string(rpc) + ").");
  return Status::OK;
}

}  // namespace

void ProviderService::Register(rpc::Router& router) {
  const std::string prefix = "/tfplugin5.Provider/";
  wire::RegisterCommonMethods(router, prefix, this);
  // The methods named differently in protocol 6.
#define TFJ_RPC_METHOD(name) rpc::Add(router, prefix + #name, this, &ProviderService::name)
  TFJ_RPC_METHOD(GetSchema);
  TFJ_RPC_METHOD(PrepareProviderConfig);
  TFJ_RPC_METHOD(ValidateResourceTypeConfig);
  TFJ_RPC_METHOD(ValidateDataSourceConfig);
  TFJ_RPC_METHOD(Configure);
  TFJ_RPC_METHOD(Stop);
#undef TFJ_RPC_METHOD
}

// ---- supported ----------------------------------------------------------------------------

Status ProviderService::GetMetadata(Ctx*, const tfplugin5::GetMetadataMsg::Request*,
                                    tfplugin5::GetMetadataMsg::Response* response) {
  LogRpc("GetMetadata");
  GuardRpc("GetMetadata", response, [&] { ToProto(server_.GetMetadata(), response); });
  return Status::OK;
}

Status ProviderService::GetSchema(Ctx*, const tfplugin5::GetProviderSchema::Request*,
                                          tfplugin5::GetProviderSchema::Response* response) {
  LogRpc("GetSchema");
  GuardRpc("GetSchema", response, [&] {
    ToProto(server_.GetProviderSchema(), response);
  });
  // Terraform dereferences the provider schema block: it must exist even after an error.
  response->mutable_provider()->mutable_block();
  return Status::OK;
}

Status ProviderService::PrepareProviderConfig(
    Ctx*, const tfplugin5::PrepareProviderConfig::Request* request,
    tfplugin5::PrepareProviderConfig::Response* response) {
  LogRpc("PrepareProviderConfig");
  GuardRpc("PrepareProviderConfig", response, [&] {
    tf::ValidateProviderConfigRequest req = FromProto(*request);
    tf::ValidateProviderConfigResponse r = server_.ValidateProviderConfig(req);
    // prepared_config is ignored by Terraform; echo the configuration we were given.
    if (r.prepared_config.empty()) r.prepared_config = req.config;
    ToProto(r, response);
  });
  return Status::OK;
}

Status ProviderService::ValidateResourceTypeConfig(
    Ctx*, const tfplugin5::ValidateResourceTypeConfig::Request* request,
    tfplugin5::ValidateResourceTypeConfig::Response* response) {
  LogRpc("ValidateResourceTypeConfig", request->type_name());
  GuardRpc("ValidateResourceTypeConfig", response, [&] {
    ToProto(server_.ValidateResourceConfig(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::ValidateDataSourceConfig(
    Ctx*, const tfplugin5::ValidateDataSourceConfig::Request* request,
    tfplugin5::ValidateDataSourceConfig::Response* response) {
  LogRpc("ValidateDataSourceConfig", request->type_name());
  GuardRpc("ValidateDataSourceConfig", response, [&] {
    ToProto(server_.ValidateDataResourceConfig(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::UpgradeResourceState(
    Ctx*, const tfplugin5::UpgradeResourceState::Request* request,
    tfplugin5::UpgradeResourceState::Response* response) {
  LogRpc("UpgradeResourceState", request->type_name());
  GuardRpc("UpgradeResourceState", response, [&] {
    ToProto(server_.UpgradeResourceState(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::Configure(Ctx*, const tfplugin5::Configure::Request* request,
                                          tfplugin5::Configure::Response* response) {
  LogRpc("Configure");
  GuardRpc("Configure", response, [&] {
    ToProto(server_.ConfigureProvider(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::ReadResource(Ctx* context, const tfplugin5::ReadResource::Request* request,
                                     tfplugin5::ReadResource::Response* response) {
  LogRpc("ReadResource", request->type_name());
  GuardRpc("ReadResource", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ReadResource(req), response);
  });
  return Status::OK;
}

Status ProviderService::PlanResourceChange(Ctx* context,
                                           const tfplugin5::PlanResourceChange::Request* request,
                                           tfplugin5::PlanResourceChange::Response* response) {
  LogRpc("PlanResourceChange", request->type_name());
  GuardRpc("PlanResourceChange", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.PlanResourceChange(req), response);
  });
  return Status::OK;
}

Status ProviderService::ApplyResourceChange(Ctx* context,
                                            const tfplugin5::ApplyResourceChange::Request* request,
                                            tfplugin5::ApplyResourceChange::Response* response) {
  LogRpc("ApplyResourceChange", request->type_name());
  GuardRpc("ApplyResourceChange", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ApplyResourceChange(req), response);
  });
  return Status::OK;
}

Status ProviderService::ImportResourceState(Ctx* context,
                                            const tfplugin5::ImportResourceState::Request* request,
                                            tfplugin5::ImportResourceState::Response* response) {
  LogRpc("ImportResourceState", request->type_name());
  GuardRpc("ImportResourceState", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ImportResourceState(req), response);
  });
  return Status::OK;
}

Status ProviderService::ReadDataSource(Ctx* context, const tfplugin5::ReadDataSource::Request* request,
                                       tfplugin5::ReadDataSource::Response* response) {
  LogRpc("ReadDataSource", request->type_name());
  GuardRpc("ReadDataSource", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ReadDataSource(req), response);
  });
  return Status::OK;
}

Status ProviderService::Stop(Ctx*, const tfplugin5::Stop::Request*,
                                     tfplugin5::Stop::Response* response) {
  LogRpc("Stop");
  try {
    response->set_error(wire::SanitizeUtf8(server_.Stop()));
  } catch (const std::exception& e) {
    response->set_error(wire::SanitizeUtf8(e.what()));
  }
  return Status::OK;
}

// ---- not supported ------------------------------------------------------------------------

Status ProviderService::GetResourceIdentitySchemas(
    Ctx*, const tfplugin5::GetResourceIdentitySchemas::Request*,
    tfplugin5::GetResourceIdentitySchemas::Response*) {
  LogRpc("GetResourceIdentitySchemas");
  return Status::OK;
}

Status ProviderService::GetFunctions(Ctx*, const tfplugin5::GetFunctions::Request*,
                                     tfplugin5::GetFunctions::Response*) {
  LogRpc("GetFunctions");
  return Status::OK;
}

Status ProviderService::UpgradeResourceIdentity(
    Ctx*, const tfplugin5::UpgradeResourceIdentity::Request* request,
    tfplugin5::UpgradeResourceIdentity::Response* response) {
  return Unsupported("UpgradeResourceIdentity", "resource identity", request->type_name(),
                     response);
}

Status ProviderService::MoveResourceState(Ctx*,
                                          const tfplugin5::MoveResourceState::Request* request,
                                          tfplugin5::MoveResourceState::Response* response) {
  LogRpc("MoveResourceState", request->target_type_name());
  GuardRpc("MoveResourceState", response, [&] {
    ToProto(server_.MoveResourceState(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::GenerateResourceConfig(
    Ctx*, const tfplugin5::GenerateResourceConfig::Request* request,
    tfplugin5::GenerateResourceConfig::Response* response) {
  return Unsupported("GenerateResourceConfig", "configuration generation", request->type_name(),
                     response);
}

Status ProviderService::ValidateEphemeralResourceConfig(
    Ctx*, const tfplugin5::ValidateEphemeralResourceConfig::Request* request,
    tfplugin5::ValidateEphemeralResourceConfig::Response* response) {
  return Unsupported("ValidateEphemeralResourceConfig", "ephemeral resource",
                     request->type_name(), response);
}

Status ProviderService::OpenEphemeralResource(
    Ctx*, const tfplugin5::OpenEphemeralResource::Request* request,
    tfplugin5::OpenEphemeralResource::Response* response) {
  return Unsupported("OpenEphemeralResource", "ephemeral resource", request->type_name(),
                     response);
}

Status ProviderService::RenewEphemeralResource(
    Ctx*, const tfplugin5::RenewEphemeralResource::Request* request,
    tfplugin5::RenewEphemeralResource::Response* response) {
  return Unsupported("RenewEphemeralResource", "ephemeral resource", request->type_name(),
                     response);
}

Status ProviderService::CloseEphemeralResource(
    Ctx*, const tfplugin5::CloseEphemeralResource::Request* request,
    tfplugin5::CloseEphemeralResource::Response* response) {
  return Unsupported("CloseEphemeralResource", "ephemeral resource", request->type_name(),
                     response);
}

Status ProviderService::ListResource(Ctx*, const tfplugin5::ListResource::Request* request,
                                     rpc::ServerWriter<tfplugin5::ListResource::Event>* writer) {
  LogRpc("ListResource", request->type_name());
  tfplugin5::ListResource::Event event;
  tf::Diagnostic d;
  d.summary = "list resource not supported";
  d.detail = "The jira provider has no list resource named \"" + request->type_name() + "\".";
  wire::DiagnosticToProto(d, event.add_diagnostic());
  writer->Write(event);
  return Status::OK;
}

Status ProviderService::ValidateListResourceConfig(
    Ctx*, const tfplugin5::ValidateListResourceConfig::Request* request,
    tfplugin5::ValidateListResourceConfig::Response* response) {
  return Unsupported("ValidateListResourceConfig", "list resource", request->type_name(),
                     response);
}

Status ProviderService::CallFunction(Ctx*, const tfplugin5::CallFunction::Request* request,
                                     tfplugin5::CallFunction::Response* response) {
  LogRpc("CallFunction", request->name());
  response->mutable_error()->set_text(
      wire::SanitizeUtf8("The jira provider has no function named \"" + request->name() + "\"."));
  return Status::OK;
}

Status ProviderService::PlanAction(Ctx*, const tfplugin5::PlanAction::Request* request,
                                   tfplugin5::PlanAction::Response* response) {
  return Unsupported("PlanAction", "action", request->action_type(), response);
}

Status ProviderService::InvokeAction(Ctx*, const tfplugin5::InvokeAction::Request* request,
                                     rpc::ServerWriter<tfplugin5::InvokeAction::Event>* writer) {
  tfplugin5::InvokeAction::Event event;
  Unsupported("InvokeAction", "action", request->action_type(), event.mutable_completed());
  writer->Write(event);
  return Status::OK;
}

Status ProviderService::ValidateActionConfig(
    Ctx*, const tfplugin5::ValidateActionConfig::Request* request,
    tfplugin5::ValidateActionConfig::Response* response) {
  return Unsupported("ValidateActionConfig", "action", request->type_name(), response);
}

}  // namespace tfj::proto5
