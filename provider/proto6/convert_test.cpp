// What only the protocol 6 adapter does: its attribute field numbers, which differ from
// protocol 5's. What both adapters do alike is tested in provider/wire/adapters_convert_test.cpp.
#include "provider/proto6/convert.h"

#include <gtest/gtest.h>

#include "provider/wire/convert_shared.h"

namespace tfj::proto6 {
namespace {

// Protocol 6 numbers: nested_type = 10, write_only = 11, deprecation_message = 12; they
// differ from protocol 5's. Checked on the wire: the tag is field << 3 | wire type.
TEST(Proto6Convert, AttributeFieldNumbersAreProtocol6s) {
  tfplugin6::Schema::Attribute nested;
  nested.mutable_nested_type();
  EXPECT_EQ(nested.SerializeAsString(), std::string("\x52\x00", 2));  // 10, length-delimited
  tfplugin6::Schema::Attribute write_only;
  write_only.set_write_only(true);
  EXPECT_EQ(write_only.SerializeAsString(), std::string("\x58\x01", 2));  // 11, varint
  tfplugin6::Schema::Attribute deprecated;
  deprecated.set_deprecation_message("m");
  EXPECT_EQ(deprecated.SerializeAsString(), std::string("\x62\x01m", 3));  // 12
  tfplugin6::Schema::Block block;
  block.set_computed(true);
  EXPECT_EQ(block.SerializeAsString(), std::string("\x40\x01", 2));  // 8
  tfplugin6::PlanResourceChange::Request plan;
  plan.set_planned_private("p");
  EXPECT_EQ(plan.SerializeAsString(), std::string("\x4a\x01p", 3));  // 9
}

TEST(Proto6Convert, WriteOnlyAttributeIsSentAsField11) {
  tf::Attribute a;
  a.name = "password_wo";
  a.type = tf::Type::String();
  a.optional = true;
  a.write_only = true;
  tfplugin6::Schema::Attribute pb;
  wire::AttributeToProto(a, &pb);
  EXPECT_TRUE(pb.write_only());
  tfplugin6::Schema::Attribute only_flag;
  only_flag.set_write_only(pb.write_only());
  EXPECT_EQ(only_flag.SerializeAsString(), std::string("\x58\x01", 2));
  a.write_only = false;
  tfplugin6::Schema::Attribute plain;
  wire::AttributeToProto(a, &plain);
  EXPECT_FALSE(plain.write_only());
}

}  // namespace
}  // namespace tfj::proto6
