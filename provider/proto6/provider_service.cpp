#include "provider/proto6/provider_service.h"

#include <string>

#include "provider/core/log.h"
#include "provider/proto6/convert.h"
#include "provider/wire/convert_shared.h"
#include "provider/wire/rpc_log.h"

namespace tfj::proto6 {

using rpc::Status;
using wire::GuardRpc;

namespace {

void LogRpc(std::string_view rpc, std::string_view type_name = {}) {
  wire::LogServedRpc("6", rpc, type_name);
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
  const std::string prefix = "/tfplugin6.Provider/";
  wire::RegisterCommonMethods(router, prefix, this);
  // The methods named differently in protocol 5, and those only protocol 6 has.
#define TFJ_RPC_METHOD(name) rpc::Add(router, prefix + #name, this, &ProviderService::name)
  TFJ_RPC_METHOD(GetProviderSchema);
  TFJ_RPC_METHOD(ValidateProviderConfig);
  TFJ_RPC_METHOD(ValidateResourceConfig);
  TFJ_RPC_METHOD(ValidateDataResourceConfig);
  TFJ_RPC_METHOD(ConfigureProvider);
  TFJ_RPC_METHOD(StopProvider);
  TFJ_RPC_METHOD(ValidateStateStoreConfig);
  TFJ_RPC_METHOD(ConfigureStateStore);
  TFJ_RPC_METHOD(ReadStateBytes);
  TFJ_RPC_METHOD(WriteStateBytes);
  TFJ_RPC_METHOD(LockState);
  TFJ_RPC_METHOD(UnlockState);
  TFJ_RPC_METHOD(GetStates);
  TFJ_RPC_METHOD(DeleteState);
#undef TFJ_RPC_METHOD
}

// ---- supported ----------------------------------------------------------------------------

Status ProviderService::GetMetadata(Ctx*, const tfplugin6::GetMetadataMsg::Request*,
                                    tfplugin6::GetMetadataMsg::Response* response) {
  LogRpc("GetMetadata");
  GuardRpc("GetMetadata", response, [&] { ToProto(server_.GetMetadata(), response); });
  return Status::OK;
}

Status ProviderService::GetProviderSchema(Ctx*, const tfplugin6::GetProviderSchema::Request*,
                                          tfplugin6::GetProviderSchema::Response* response) {
  LogRpc("GetProviderSchema");
  GuardRpc("GetProviderSchema", response, [&] {
    ToProto(server_.GetProviderSchema(), response);
  });
  // Terraform dereferences the provider schema block: it must exist even after an error.
  response->mutable_provider()->mutable_block();
  return Status::OK;
}

Status ProviderService::ValidateProviderConfig(
    Ctx*, const tfplugin6::ValidateProviderConfig::Request* request,
    tfplugin6::ValidateProviderConfig::Response* response) {
  LogRpc("ValidateProviderConfig");
  GuardRpc("ValidateProviderConfig", response, [&] {
    ToProto(server_.ValidateProviderConfig(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::ValidateResourceConfig(
    Ctx*, const tfplugin6::ValidateResourceConfig::Request* request,
    tfplugin6::ValidateResourceConfig::Response* response) {
  LogRpc("ValidateResourceConfig", request->type_name());
  GuardRpc("ValidateResourceConfig", response, [&] {
    ToProto(server_.ValidateResourceConfig(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::ValidateDataResourceConfig(
    Ctx*, const tfplugin6::ValidateDataResourceConfig::Request* request,
    tfplugin6::ValidateDataResourceConfig::Response* response) {
  LogRpc("ValidateDataResourceConfig", request->type_name());
  GuardRpc("ValidateDataResourceConfig", response, [&] {
    ToProto(server_.ValidateDataResourceConfig(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::UpgradeResourceState(
    Ctx*, const tfplugin6::UpgradeResourceState::Request* request,
    tfplugin6::UpgradeResourceState::Response* response) {
  LogRpc("UpgradeResourceState", request->type_name());
  GuardRpc("UpgradeResourceState", response, [&] {
    ToProto(server_.UpgradeResourceState(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::ConfigureProvider(Ctx*, const tfplugin6::ConfigureProvider::Request* request,
                                          tfplugin6::ConfigureProvider::Response* response) {
  LogRpc("ConfigureProvider");
  GuardRpc("ConfigureProvider", response, [&] {
    ToProto(server_.ConfigureProvider(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::ReadResource(Ctx* context, const tfplugin6::ReadResource::Request* request,
                                     tfplugin6::ReadResource::Response* response) {
  LogRpc("ReadResource", request->type_name());
  GuardRpc("ReadResource", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ReadResource(req), response);
  });
  return Status::OK;
}

Status ProviderService::PlanResourceChange(Ctx* context,
                                           const tfplugin6::PlanResourceChange::Request* request,
                                           tfplugin6::PlanResourceChange::Response* response) {
  LogRpc("PlanResourceChange", request->type_name());
  GuardRpc("PlanResourceChange", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.PlanResourceChange(req), response);
  });
  return Status::OK;
}

Status ProviderService::ApplyResourceChange(Ctx* context,
                                            const tfplugin6::ApplyResourceChange::Request* request,
                                            tfplugin6::ApplyResourceChange::Response* response) {
  LogRpc("ApplyResourceChange", request->type_name());
  GuardRpc("ApplyResourceChange", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ApplyResourceChange(req), response);
  });
  return Status::OK;
}

Status ProviderService::ImportResourceState(Ctx* context,
                                            const tfplugin6::ImportResourceState::Request* request,
                                            tfplugin6::ImportResourceState::Response* response) {
  LogRpc("ImportResourceState", request->type_name());
  GuardRpc("ImportResourceState", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ImportResourceState(req), response);
  });
  return Status::OK;
}

Status ProviderService::ReadDataSource(Ctx* context, const tfplugin6::ReadDataSource::Request* request,
                                       tfplugin6::ReadDataSource::Response* response) {
  LogRpc("ReadDataSource", request->type_name());
  GuardRpc("ReadDataSource", response, [&] {
    auto req = FromProto(*request);
    req.call_cancelled = wire::CallCancelled(context);
    ToProto(server_.ReadDataSource(req), response);
  });
  return Status::OK;
}

Status ProviderService::StopProvider(Ctx*, const tfplugin6::StopProvider::Request*,
                                     tfplugin6::StopProvider::Response* response) {
  LogRpc("StopProvider");
  try {
    response->set_error(wire::SanitizeUtf8(server_.Stop()));
  } catch (const std::exception& e) {
    response->set_error(wire::SanitizeUtf8(e.what()));
  }
  return Status::OK;
}

// ---- not supported ------------------------------------------------------------------------

Status ProviderService::GetResourceIdentitySchemas(
    Ctx*, const tfplugin6::GetResourceIdentitySchemas::Request*,
    tfplugin6::GetResourceIdentitySchemas::Response*) {
  LogRpc("GetResourceIdentitySchemas");
  return Status::OK;
}

Status ProviderService::GetFunctions(Ctx*, const tfplugin6::GetFunctions::Request*,
                                     tfplugin6::GetFunctions::Response*) {
  LogRpc("GetFunctions");
  return Status::OK;
}

Status ProviderService::UpgradeResourceIdentity(
    Ctx*, const tfplugin6::UpgradeResourceIdentity::Request* request,
    tfplugin6::UpgradeResourceIdentity::Response* response) {
  return Unsupported("UpgradeResourceIdentity", "resource identity", request->type_name(),
                     response);
}

Status ProviderService::MoveResourceState(Ctx*,
                                          const tfplugin6::MoveResourceState::Request* request,
                                          tfplugin6::MoveResourceState::Response* response) {
  LogRpc("MoveResourceState", request->target_type_name());
  GuardRpc("MoveResourceState", response, [&] {
    ToProto(server_.MoveResourceState(FromProto(*request)), response);
  });
  return Status::OK;
}

Status ProviderService::GenerateResourceConfig(
    Ctx*, const tfplugin6::GenerateResourceConfig::Request* request,
    tfplugin6::GenerateResourceConfig::Response* response) {
  return Unsupported("GenerateResourceConfig", "configuration generation", request->type_name(),
                     response);
}

Status ProviderService::ValidateEphemeralResourceConfig(
    Ctx*, const tfplugin6::ValidateEphemeralResourceConfig::Request* request,
    tfplugin6::ValidateEphemeralResourceConfig::Response* response) {
  return Unsupported("ValidateEphemeralResourceConfig", "ephemeral resource",
                     request->type_name(), response);
}

Status ProviderService::OpenEphemeralResource(
    Ctx*, const tfplugin6::OpenEphemeralResource::Request* request,
    tfplugin6::OpenEphemeralResource::Response* response) {
  return Unsupported("OpenEphemeralResource", "ephemeral resource", request->type_name(),
                     response);
}

Status ProviderService::RenewEphemeralResource(
    Ctx*, const tfplugin6::RenewEphemeralResource::Request* request,
    tfplugin6::RenewEphemeralResource::Response* response) {
  return Unsupported("RenewEphemeralResource", "ephemeral resource", request->type_name(),
                     response);
}

Status ProviderService::CloseEphemeralResource(
    Ctx*, const tfplugin6::CloseEphemeralResource::Request* request,
    tfplugin6::CloseEphemeralResource::Response* response) {
  return Unsupported("CloseEphemeralResource", "ephemeral resource", request->type_name(),
                     response);
}

Status ProviderService::ListResource(Ctx*, const tfplugin6::ListResource::Request* request,
                                     rpc::ServerWriter<tfplugin6::ListResource::Event>* writer) {
  LogRpc("ListResource", request->type_name());
  tfplugin6::ListResource::Event event;
  tf::Diagnostic d;
  d.summary = "list resource not supported";
  d.detail = "The jira provider has no list resource named \"" + request->type_name() + "\".";
  wire::DiagnosticToProto(d, event.add_diagnostic());
  writer->Write(event);
  return Status::OK;
}

Status ProviderService::ValidateListResourceConfig(
    Ctx*, const tfplugin6::ValidateListResourceConfig::Request* request,
    tfplugin6::ValidateListResourceConfig::Response* response) {
  return Unsupported("ValidateListResourceConfig", "list resource", request->type_name(),
                     response);
}

Status ProviderService::CallFunction(Ctx*, const tfplugin6::CallFunction::Request* request,
                                     tfplugin6::CallFunction::Response* response) {
  LogRpc("CallFunction", request->name());
  response->mutable_error()->set_text(
      wire::SanitizeUtf8("The jira provider has no function named \"" + request->name() + "\"."));
  return Status::OK;
}

Status ProviderService::ValidateStateStoreConfig(Ctx*,
                                                 const tfplugin6::ValidateStateStore::Request* request,
                                                 tfplugin6::ValidateStateStore::Response* response) {
  return Unsupported("ValidateStateStoreConfig", "state store", request->type_name(), response);
}

Status ProviderService::ConfigureStateStore(Ctx*,
                                            const tfplugin6::ConfigureStateStore::Request* request,
                                            tfplugin6::ConfigureStateStore::Response* response) {
  return Unsupported("ConfigureStateStore", "state store", request->type_name(), response);
}

Status ProviderService::ReadStateBytes(
    Ctx*, const tfplugin6::ReadStateBytes::Request* request,
    rpc::ServerWriter<tfplugin6::ReadStateBytes::Response>* writer) {
  tfplugin6::ReadStateBytes::Response chunk;
  Unsupported("ReadStateBytes", "state store", request->type_name(), &chunk);
  writer->Write(chunk);
  return Status::OK;
}

Status ProviderService::WriteStateBytes(
    Ctx*, rpc::ServerReader<tfplugin6::WriteStateBytes::RequestChunk>* reader,
    tfplugin6::WriteStateBytes::Response* response) {
  tfplugin6::WriteStateBytes::RequestChunk chunk;
  std::string type_name;
  while (reader->Read(&chunk)) {  // drain the client's stream before answering
    if (type_name.empty()) type_name = chunk.type_name();
  }
  return Unsupported("WriteStateBytes", "state store", type_name, response);
}

Status ProviderService::LockState(Ctx*, const tfplugin6::LockState::Request* request,
                                  tfplugin6::LockState::Response* response) {
  return Unsupported("LockState", "state store", request->type_name(), response);
}

Status ProviderService::UnlockState(Ctx*, const tfplugin6::UnlockState::Request* request,
                                    tfplugin6::UnlockState::Response* response) {
  return Unsupported("UnlockState", "state store", request->type_name(), response);
}

Status ProviderService::GetStates(Ctx*, const tfplugin6::GetStates::Request* request,
                                  tfplugin6::GetStates::Response* response) {
  return Unsupported("GetStates", "state store", request->type_name(), response);
}

Status ProviderService::DeleteState(Ctx*, const tfplugin6::DeleteState::Request* request,
                                    tfplugin6::DeleteState::Response* response) {
  return Unsupported("DeleteState", "state store", request->type_name(), response);
}

Status ProviderService::PlanAction(Ctx*, const tfplugin6::PlanAction::Request* request,
                                   tfplugin6::PlanAction::Response* response) {
  return Unsupported("PlanAction", "action", request->action_type(), response);
}

Status ProviderService::InvokeAction(Ctx*, const tfplugin6::InvokeAction::Request* request,
                                     rpc::ServerWriter<tfplugin6::InvokeAction::Event>* writer) {
  tfplugin6::InvokeAction::Event event;
  Unsupported("InvokeAction", "action", request->action_type(), event.mutable_completed());
  writer->Write(event);
  return Status::OK;
}

Status ProviderService::ValidateActionConfig(
    Ctx*, const tfplugin6::ValidateActionConfig::Request* request,
    tfplugin6::ValidateActionConfig::Response* response) {
  return Unsupported("ValidateActionConfig", "action", request->type_name(), response);
}

}  // namespace tfj::proto6
