#include "provider/serve/health_service.h"

#include <gtest/gtest.h>

namespace tfj::serve {
namespace {

std::string Request(const std::string& service) {
  return std::string("\x0a", 1) + static_cast<char>(service.size()) + service;
}

TEST(HealthService, PluginAndWholeServerAreServing) {
  for (const std::string& req : {Request("plugin"), std::string(), Request("")}) {
    std::string resp;
    const rpc::Status s = HealthService::Answer(req, &resp);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(resp, std::string("\x08\x01", 2));  // status = SERVING
  }
}

TEST(HealthService, UnknownServiceIsNotFound) {
  std::string resp;
  EXPECT_EQ(HealthService::Answer(Request("other"), &resp).code(),
            rpc::StatusCode::kNotFound);
  EXPECT_TRUE(resp.empty());
}

TEST(HealthService, SkipsUnknownFields) {
  // field 2 varint 7, field 3 fixed64, then service = "plugin".
  const std::string req = std::string("\x10\x07\x19", 3) + std::string(8, '\0') +
                          Request("plugin");
  std::string resp;
  EXPECT_TRUE(HealthService::Answer(req, &resp).ok());
  EXPECT_EQ(resp, std::string("\x08\x01", 2));
}

TEST(HealthService, MalformedRequestIsInvalidArgument) {
  std::string resp;
  // Length beyond the end; truncated varint; wire type 7.
  for (const std::string& req : {std::string("\x0a\x05pl", 4), std::string("\x80", 1),
                                std::string("\x0f", 1)}) {
    EXPECT_EQ(HealthService::Answer(req, &resp).code(),
              rpc::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace tfj::serve
