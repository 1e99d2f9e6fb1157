// GoogleTest glue for scenarios: a fixture parameterised over the plugin protocol (every
// scenario runs under 5 and 6), locations of the built binaries, temporary directories and
// Status assertions.
//
//   class MyTest : public tfj::harness::ProtocolTest {};
//   TEST_P(MyTest, Works) {
//     tfj::harness::Workspace ws(Options(JiraProviderBinary(), "registry.terraform.io/tfjira/jira"));
//     ...
//     TFJ_ASSERT_OK(ws.Apply());
//     TFJ_EXPECT_ERROR_CONTAINS(ws.Apply(), "Provider produced invalid plan");
//   }
//   TFJ_INSTANTIATE_PROTOCOLS(MyTest);
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "acceptance_tests/harness/status.h"
#include "acceptance_tests/harness/workspace.h"

namespace tfj::harness {

// build/ (the directory holding bin/ and tests/), from TFJ_BIN_DIR or our own executable.
std::string BuildDir();
std::string JiraProviderBinary();   // build/bin/terraform-provider-jira
std::string TestProviderBinary();   // build/tests/terraform-provider-tfjtest

// A fresh private temporary directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

class ProtocolTest : public ::testing::TestWithParam<int> {
 protected:
  int protocol() const { return GetParam(); }
  WorkspaceOptions Options(const std::string& binary,
                           const std::string& address = "registry.terraform.io/tfjira/tfjtest") const {
    WorkspaceOptions o;
    o.binary = binary;
    o.protocol = GetParam();
    o.provider_address = address;
    return o;
  }
};

}  // namespace tfj::harness

#define TFJ_INSTANTIATE_PROTOCOLS(Suite)                                     \
  INSTANTIATE_TEST_SUITE_P(Protocols, Suite, ::testing::Values(5, 6),        \
                           [](const ::testing::TestParamInfo<int>& info) {   \
                             return "v" + std::to_string(info.param);        \
                           })

#define TFJ_ASSERT_OK(expr)                                 \
  do {                                                      \
    const ::tfj::harness::Status tfj_status_ = (expr);      \
    ASSERT_TRUE(tfj_status_.ok()) << #expr << ":\n" << tfj_status_; \
  } while (0)

#define TFJ_EXPECT_OK(expr)                                 \
  do {                                                      \
    const ::tfj::harness::Status tfj_status_ = (expr);      \
    EXPECT_TRUE(tfj_status_.ok()) << #expr << ":\n" << tfj_status_; \
  } while (0)

// The operation must fail, and its message must contain `text` (Terraform's wording).
#define TFJ_EXPECT_ERROR_CONTAINS(expr, text)                                          \
  do {                                                                                 \
    const ::tfj::harness::Status tfj_status_ = (expr);                                 \
    EXPECT_FALSE(tfj_status_.ok()) << #expr << " unexpectedly succeeded";              \
    EXPECT_NE(tfj_status_.message().find(text), std::string::npos)                     \
        << #expr << ": expected the error to contain \"" << (text) << "\", got:\n"     \
        << tfj_status_;                                                                \
  } while (0)
