// What only the protocol 5 adapter does: its attribute field numbers, which differ from
// protocol 6's, and PrepareProviderConfig. What both adapters do alike is tested in
// provider/wire/adapters_convert_test.cpp.
#include "provider/proto5/convert.h"

#include <gtest/gtest.h>

#include "provider/wire/convert_shared.h"
#include "tfplugin6.pb.h"  // to show the field checks below can tell

namespace tfj::proto5 {
namespace {

// Protocol 5 numbers: no nested attributes; write_only = 10, deprecation_message = 11.
// Checked on the wire: the tag is field << 3 | wire type.
template <typename T>
constexpr bool kHasNestedType = requires(T a) { a.nested_type(); };
template <typename T>
constexpr bool kHasComputed = requires(T b) { b.computed(); };

TEST(Proto5Convert, AttributeFieldNumbersAreProtocol5s) {
  static_assert(!kHasNestedType<tfplugin5::Schema::Attribute>, "protocol 5 has no nested attributes");
  static_assert(kHasNestedType<tfplugin6::Schema::Attribute>);  // the check itself works
  tfplugin5::Schema::Attribute write_only;
  write_only.set_write_only(true);
  EXPECT_EQ(write_only.SerializeAsString(), std::string("\x50\x01", 2));  // 10, varint
  tfplugin5::Schema::Attribute deprecated;
  deprecated.set_deprecation_message("m");
  EXPECT_EQ(deprecated.SerializeAsString(), std::string("\x5a\x01m", 3));  // 11
  // 6.11-only fields do not exist in protocol 5.
  static_assert(!kHasComputed<tfplugin5::Schema::Block>, "Block.computed is protocol 6.11 only");
  static_assert(kHasComputed<tfplugin6::Schema::Block>);
}

TEST(Proto5Convert, PreparedConfigIsNeverEmpty) {
  tf::ValidateProviderConfigResponse r;
  r.prepared_config.msgpack = "\x80";
  tfplugin5::PrepareProviderConfig::Response pb;
  ToProto(r, &pb);
  EXPECT_EQ(pb.prepared_config().msgpack(), "\x80");
  tfplugin5::PrepareProviderConfig::Response empty;
  ToProto(tf::ValidateProviderConfigResponse{}, &empty);
  EXPECT_EQ(empty.prepared_config().msgpack(), "\xc0");
}

TEST(Proto5Convert, WriteOnlyAttributeIsSentAsField10) {
  tf::Attribute a;
  a.name = "password_wo";
  a.type = tf::Type::String();
  a.optional = true;
  a.write_only = true;
  tfplugin5::Schema::Attribute pb;
  wire::AttributeToProto(a, &pb);
  EXPECT_TRUE(pb.write_only());
  tfplugin5::Schema::Attribute only_flag;
  only_flag.set_write_only(pb.write_only());
  EXPECT_EQ(only_flag.SerializeAsString(), std::string("\x50\x01", 2));
  a.write_only = false;
  tfplugin5::Schema::Attribute plain;
  wire::AttributeToProto(a, &plain);
  EXPECT_FALSE(plain.write_only());
}

}  // namespace
}  // namespace tfj::proto5
