#include "provider/core/log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <regex>
#include <thread>

namespace tf::log {
namespace {

TEST(LogTest, LineIsHclogJson) {
  std::string line = FormatLine(Level::kDebug, "rpc \"ReadResource\"", {{"tf_rpc", "ReadResource"}});
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["@level"], "debug");
  EXPECT_EQ(j["@message"], "rpc \"ReadResource\"");
  EXPECT_EQ(j["@module"], "provider");
  EXPECT_EQ(j["tf_rpc"], "ReadResource");
  // go-plugin only accepts exactly six fractional digits and a zone.
  std::string ts = j["@timestamp"];
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)"))) << ts;
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LogTest, LevelNames) {
  const std::pair<Level, const char*> cases[] = {
      {Level::kTrace, "trace"}, {Level::kDebug, "debug"}, {Level::kInfo, "info"},
      {Level::kWarn, "warn"},   {Level::kError, "error"}};
  for (const auto& [level, name] : cases) {
    EXPECT_EQ(nlohmann::json::parse(FormatLine(level, "m", {}))["@level"], name);
  }
}

TEST(LogTest, FieldsCannotShadowHclogKeys) {
  auto j = nlohmann::json::parse(FormatLine(Level::kInfo, "m", {{"@level", "bogus"}, {"k", "v"}}));
  EXPECT_EQ(j["@level"], "info");
  EXPECT_EQ(j["k"], "v");
}

TEST(LogTest, SecretsAreRedactedEverywhere) {
  RegisterSecret("");  // ignored
  RegisterSecret("hunter2");
  RegisterSecret("pa\"ss");
  std::string line = FormatLine(Level::kInfo, "login with hunter2 failed",
                                {{"password", "hunter2"}, {"hunter2", "x"}, {"other", "pa\"ss!"}});
  EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
  EXPECT_EQ(line.find("pa\\\"ss"), std::string::npos) << line;
  EXPECT_EQ(line.find("pa\"ss"), std::string::npos) << line;
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["@message"], "login with *** failed");
  EXPECT_EQ(j["other"], "***!");
}

TEST(LogTest, LevelFromEnvironment) {
  setenv("TF_LOG", "debug", 1);
  unsetenv("TF_LOG_PROVIDER");
  InitFromEnvironment();
  EXPECT_TRUE(Enabled(Level::kDebug));
  EXPECT_FALSE(Enabled(Level::kTrace));
  setenv("TF_LOG_PROVIDER", "error", 1);  // overrides TF_LOG
  InitFromEnvironment();
  EXPECT_FALSE(Enabled(Level::kWarn));
  EXPECT_TRUE(Enabled(Level::kError));
  setenv("TF_LOG_PROVIDER", "json", 1);
  InitFromEnvironment();
  EXPECT_TRUE(Enabled(Level::kTrace));
  setenv("TF_LOG_PROVIDER", "off", 1);
  InitFromEnvironment();
  EXPECT_FALSE(Enabled(Level::kError));
  unsetenv("TF_LOG_PROVIDER");
  unsetenv("TF_LOG");
  InitFromEnvironment();
  EXPECT_FALSE(Enabled(Level::kError));
}

TEST(LogTest, WriteGoesToStderrAsOneLinePerCall) {
  SetLevel(Level::kInfo);
  testing::internal::CaptureStderr();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 50; ++i) Info("concurrent line", {{"k", "v"}});
      Debug("filtered out");
    });
  }
  for (auto& th : threads) th.join();
  std::string out = testing::internal::GetCapturedStderr();
  SetLevel(Level::kOff);
  size_t lines = 0;
  size_t start = 0;
  for (size_t nl = out.find('\n'); nl != std::string::npos; nl = out.find('\n', start)) {
    auto j = nlohmann::json::parse(out.substr(start, nl - start));  // throws if interleaved
    EXPECT_EQ(j["@message"], "concurrent line");
    ++lines;
    start = nl + 1;
  }
  EXPECT_EQ(lines, 200u);
  EXPECT_EQ(start, out.size());
}

}  // namespace
}  // namespace tf::log
