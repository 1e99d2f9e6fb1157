// Converters for the messages that tfplugin5 and tfplugin6 define identically
// (DynamicValue, AttributePath, Diagnostic, RawState) and for schemas, whose generated
// accessors have the same names in both protocols even where the field numbers differ
// (Attribute.write_only / deprecation_message). Templates over the generated namespace,
// instantiated by provider/proto5 and provider/proto6; this header itself includes no
// generated code.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "provider/core/diagnostics.h"
#include "provider/core/path.h"
#include "provider/core/schema.h"
#include "provider/core/server.h"
#include "provider/rpc/rpc.h"

namespace tfj::wire {

// protobuf rejects strings with invalid UTF-8 at serialisation time with an unhelpful
// error, so every free-text field we send goes through this: invalid sequences become
// U+FFFD. (Hand-written because no installed library offers a lenient UTF-8 repair.)
inline std::string SanitizeUtf8(std::string_view in) {
  static constexpr std::string_view kReplacement = "\xef\xbf\xbd";
  std::string out;
  out.reserve(in.size());
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      len = 2, cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3, cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4, cp = c & 0x07;
    }
    bool ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) ok = false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    // Reject overlong forms, surrogates and code points past U+10FFFF.
    if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
               (cp >= 0xd800 && cp <= 0xdfff))) {
      ok = false;
    }
    if (ok) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out.append(kReplacement);
      ++i;
    }
  }
  return out;
}

// The msgpack encoding of a null value: what we send instead of an empty DynamicValue
// (TF 0.12-0.14 fail with "EOF" on empty bytes).
inline constexpr std::string_view kMsgpackNull = "\xc0";

template <typename PbDynamicValue>
tf::DynamicValue DynamicValueFromProto(const PbDynamicValue& pb) {
  return tf::DynamicValue{pb.msgpack(), pb.json()};
}

template <typename PbDynamicValue>
void DynamicValueToProto(const tf::DynamicValue& v, PbDynamicValue* pb) {
  if (!v.msgpack.empty()) {
    pb->set_msgpack(v.msgpack);
  } else if (!v.json.empty()) {
    pb->set_json(v.json);
  } else {
    pb->set_msgpack(std::string(kMsgpackNull));
  }
}

template <typename PbAttributePath>
void PathToProto(const tf::Path& path, PbAttributePath* pb) {
  for (const tf::PathStep& step : path.steps()) {
    auto* s = pb->add_steps();
    std::visit(
        [s](const auto& st) {
          using T = std::decay_t<decltype(st)>;
          if constexpr (std::is_same_v<T, tf::AttributeName>) {
            s->set_attribute_name(SanitizeUtf8(st.name));
          } else if constexpr (std::is_same_v<T, tf::ElementIndex>) {
            s->set_element_key_int(st.index);
          } else {
            s->set_element_key_string(SanitizeUtf8(st.key));
          }
        },
        step);
  }
}

// A step with no selector set (a newer or malformed client) ends the path: the
// prefix still points at the right place, which is better than dropping it.
template <typename PbAttributePath>
tf::Path PathFromProto(const PbAttributePath& pb) {
  tf::Path path;
  for (const auto& s : pb.steps()) {
    if (s.has_attribute_name()) {
      path = path.AtName(s.attribute_name());
    } else if (s.has_element_key_string()) {
      path = path.AtKey(s.element_key_string());
    } else if (s.has_element_key_int()) {
      path = path.AtIndex(s.element_key_int());
    } else {
      break;
    }
  }
  return path;
}

template <typename PbDiagnostic>
void DiagnosticToProto(const tf::Diagnostic& d, PbDiagnostic* pb) {
  // INVALID would be neither an error nor a warning for Terraform: never send it.
  pb->set_severity(d.severity == tf::Severity::kWarning ? PbDiagnostic::WARNING
                                                        : PbDiagnostic::ERROR);
  pb->set_summary(SanitizeUtf8(d.summary));
  pb->set_detail(SanitizeUtf8(d.detail));
  if (d.path && !d.path->empty()) PathToProto(*d.path, pb->mutable_attribute());
}

// `response` is any generated message with `repeated Diagnostic diagnostics`.
template <typename PbResponse>
void DiagnosticsToProto(const tf::Diagnostics& diags, PbResponse* response) {
  for (const tf::Diagnostic& d : diags) DiagnosticToProto(d, response->add_diagnostics());
}

template <typename PbDiagnostic>
tf::Diagnostic DiagnosticFromProto(const PbDiagnostic& pb) {
  tf::Diagnostic d;
  d.severity = pb.severity() == PbDiagnostic::WARNING ? tf::Severity::kWarning
               : pb.severity() == PbDiagnostic::ERROR ? tf::Severity::kError
                                                      : tf::Severity::kInvalid;
  d.summary = pb.summary();
  d.detail = pb.detail();
  if (pb.has_attribute()) d.path = PathFromProto(pb.attribute());
  return d;
}

// Adds an error diagnostic to any response with a diagnostics field.
template <typename PbResponse>
void AddError(PbResponse* response, std::string_view summary, std::string_view detail) {
  tf::Diagnostic d;
  d.severity = tf::Severity::kError;
  d.summary = std::string(summary);
  d.detail = std::string(detail);
  DiagnosticToProto(d, response->add_diagnostics());
}

// The RPC's own cancellation (client gone, deadline passed) for the core's per-call
// CancelToken, which reaches the Jira client. Lives no longer than the call.
template <typename Context>
std::function<bool()> CallCancelled(const Context* context) {
  if (context == nullptr) return {};
  return [context] { return context->IsCancelled(); };
}

// Runs an RPC body; an escaping exception becomes an error diagnostic instead of the
// "Unexpected error in RPC handling" status Terraform would print as a plugin error.
template <typename PbResponse, typename Body>
void GuardRpc(std::string_view rpc, PbResponse* response, Body&& body) noexcept {
  try {
    body();
  } catch (const std::exception& e) {
    AddError(response, "Internal error in the provider",
             std::string(rpc) + " failed: " + e.what());
  } catch (...) {
    AddError(response, "Internal error in the provider",
             std::string(rpc) + " failed with an unknown exception");
  }
}

// ---- schemas ------------------------------------------------------------------------------

template <typename PbAttribute>
void AttributeToProto(const tf::Attribute& a, PbAttribute* pb) {
  pb->set_name(a.name);
  pb->set_type(a.type.ToJson());
  pb->set_description(SanitizeUtf8(a.description));
  pb->set_description_kind(static_cast<decltype(pb->description_kind())>(a.description_kind));
  pb->set_required(a.required);
  pb->set_optional(a.optional);
  pb->set_computed(a.computed);
  pb->set_sensitive(a.sensitive);
  pb->set_deprecated(a.deprecated);
  pb->set_write_only(a.write_only);
  // Terraform refuses a deprecation message on an attribute that is not deprecated.
  if (a.deprecated && !a.deprecation_message.empty()) {
    pb->set_deprecation_message(SanitizeUtf8(a.deprecation_message));
  }
}

template <typename PbBlock>
void BlockToProto(const tf::Block& b, PbBlock* pb) {
  for (const tf::Attribute& a : b.attributes) AttributeToProto(a, pb->add_attributes());
  for (const tf::NestedBlock& nb : b.block_types) {
    auto* pnb = pb->add_block_types();
    using PbNestedBlock = std::remove_pointer_t<decltype(pnb)>;
    pnb->set_type_name(nb.type_name);
    pnb->set_nesting(static_cast<typename PbNestedBlock::NestingMode>(nb.nesting));
    pnb->set_min_items(nb.min_items);
    pnb->set_max_items(nb.max_items);
    // A missing nested block would crash Terraform (nil dereference): always send one.
    if (nb.block) {
      BlockToProto(*nb.block, pnb->mutable_block());
    } else {
      pnb->mutable_block();
    }
  }
  pb->set_description(SanitizeUtf8(b.description));
  pb->set_description_kind(static_cast<decltype(pb->description_kind())>(b.description_kind));
  pb->set_deprecated(b.deprecated);
}

template <typename PbSchema>
void SchemaToProto(const tf::Schema& s, PbSchema* pb) {
  pb->set_version(s.version);
  BlockToProto(s.block, pb->mutable_block());  // always present, even when empty
}

template <typename PbCapabilities>
void CapabilitiesToProto(const tf::ServerCapabilities& c, PbCapabilities* pb) {
  pb->set_plan_destroy(c.plan_destroy);
  pb->set_get_provider_schema_optional(c.get_provider_schema_optional);
  pb->set_move_resource_state(c.move_resource_state);
}

template <typename PbClientCapabilities>
tf::ClientCapabilities ClientCapabilitiesFromProto(const PbClientCapabilities& pb) {
  return {pb.deferral_allowed(), pb.write_only_attributes_allowed()};
}

template <typename PbRawState>
void RawStateFromProto(const PbRawState& pb, std::string* json,
                       std::map<std::string, std::string>* flatmap) {
  *json = pb.json();
  flatmap->clear();
  for (const auto& [k, v] : pb.flatmap()) flatmap->emplace(k, v);
}

// Registers the Provider methods both protocols name alike under `prefix`
// ("/tfplugin6.Provider/"); each adapter adds the ones whose names differ.
template <typename Service>
void RegisterCommonMethods(rpc::Router& router, const std::string& prefix, Service* service) {
#define TFJ_RPC_METHOD(name) rpc::Add(router, prefix + #name, service, &Service::name)
  TFJ_RPC_METHOD(GetMetadata);
  TFJ_RPC_METHOD(UpgradeResourceState);
  TFJ_RPC_METHOD(ReadResource);
  TFJ_RPC_METHOD(PlanResourceChange);
  TFJ_RPC_METHOD(ApplyResourceChange);
  TFJ_RPC_METHOD(ImportResourceState);
  TFJ_RPC_METHOD(ReadDataSource);
  TFJ_RPC_METHOD(GetResourceIdentitySchemas);
  TFJ_RPC_METHOD(GetFunctions);
  TFJ_RPC_METHOD(UpgradeResourceIdentity);
  TFJ_RPC_METHOD(MoveResourceState);
  TFJ_RPC_METHOD(GenerateResourceConfig);
  TFJ_RPC_METHOD(ValidateEphemeralResourceConfig);
  TFJ_RPC_METHOD(OpenEphemeralResource);
  TFJ_RPC_METHOD(RenewEphemeralResource);
  TFJ_RPC_METHOD(CloseEphemeralResource);
  TFJ_RPC_METHOD(ListResource);
  TFJ_RPC_METHOD(ValidateListResourceConfig);
  TFJ_RPC_METHOD(CallFunction);
  TFJ_RPC_METHOD(PlanAction);
  TFJ_RPC_METHOD(InvokeAction);
  TFJ_RPC_METHOD(ValidateActionConfig);
#undef TFJ_RPC_METHOD
}

}  // namespace tfj::wire
