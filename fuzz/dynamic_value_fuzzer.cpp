// Fuzzes DynamicValue decoding (provider/core/codec.h) against every schema the provider
// serves: its own configuration, each resource's and each data source's, taken from the
// provider's registration (resources/all.cpp) so a new resource is fuzzed without edits here.
//
// Input: byte 0 picks the schema (modulo their count), byte 1 the codec and options, the rest
// is the encoded value. A value that decodes must survive the way back: re-encoding and
// decoding it again gives the same bytes, as Terraform relies on when it compares our answer
// with what it sent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "provider/core/codec.h"
#include "provider/core/diagnostics.h"
#include "provider/core/value.h"
#include "resources/provider.h"

namespace {

std::vector<tf::Type> CollectTypes() {
  std::vector<tf::Type> types;
  const auto provider = tfjira::NewProvider();
  types.push_back(provider->GetSchema().ImpliedType());
  for (const auto& factory : provider->Resources()) types.push_back(factory()->GetSchema().ImpliedType());
  for (const auto& factory : provider->DataSources()) types.push_back(factory()->GetSchema().ImpliedType());
  // Positions of dynamic type carry Terraform's [type-json, value] wrapper: reach that
  // decoder too, alone and inside a collection.
  types.push_back(tf::Type::Dynamic());
  types.push_back(tf::Type::Map(tf::Type::Dynamic()));
  return types;
}

void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "dynamic_value_fuzzer: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void CheckMsgpackRoundTrip(const tf::Value& value, const tf::Type& type) {
  const std::string once = tf::EncodeMsgpack(value, type);
  tf::Diagnostics diags;
  const tf::Value again = tf::DecodeMsgpack(once, type, diags);
  if (diags.HasError()) Fail("our own msgpack does not decode", once);
  if (tf::EncodeMsgpack(again, type) != once) Fail("msgpack round trip changed the value", once);
}

void CheckJsonRoundTrip(const tf::Value& value, const tf::Type& type) {
  tf::Diagnostics encode_diags;
  const std::string once = tf::EncodeJson(value, type, encode_diags);
  if (encode_diags.HasError()) return;  // e.g. an unknown value, which JSON cannot carry
  tf::Diagnostics diags;
  const tf::Value again = tf::DecodeJson(once, type, diags);
  if (diags.HasError()) Fail("our own JSON does not decode", once);
  tf::Diagnostics encode_again;
  if (tf::EncodeJson(again, type, encode_again) != once) Fail("JSON round trip changed the value", once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<tf::Type> types = CollectTypes();
  if (size < 2) return 0;
  const tf::Type& type = types[data[0] % types.size()];
  const uint8_t mode = data[1];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);

  tf::Diagnostics diags;
  tf::Value value;
  switch (mode % 4) {
    case 0:  // PlanResourceChange & co.: msgpack
      value = tf::DecodeMsgpack(bytes, type, diags);
      break;
    case 1:  // UpgradeResourceState raw_state: JSON, strict
    case 2:  // ... and tolerant of attributes older state had
      value = tf::DecodeJson(bytes, type, diags, /*ignore_unknown_attributes=*/mode % 4 == 2);
      break;
    default: {  // the type half of the dynamic wrapper
      std::string error;
      (void)tf::Type::FromJson(bytes, &error);
      return 0;
    }
  }
  if (diags.HasError()) return 0;
  tf::Diagnostics conform_diags;
  const tf::Value conformed = tf::ConformValue(value, type, conform_diags);
  CheckMsgpackRoundTrip(conformed, type);
  CheckJsonRoundTrip(conformed, type);
  return 0;
}
