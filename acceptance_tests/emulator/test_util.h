// Helpers shared by the emulator's unit tests: building requests against a Router.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "acceptance_tests/emulator/http_message.h"
#include "acceptance_tests/emulator/router.h"

namespace emulator::testing {

inline std::string Base64Encode(std::string_view in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kTable[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kTable[(buffer << (6 - bits)) & 63]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

inline std::string BasicAuth(std::string_view user, std::string_view password) {
  return "Basic " + Base64Encode(std::string(user) + ":" + std::string(password));
}

inline Request MakeRequest(std::string method, std::string target, std::string body = "",
                           std::string authorization = BasicAuth("admin", "admin")) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers["Host"] = "jira.test";
  if (!r.body.empty()) r.headers["Content-Type"] = "application/json";
  if (!authorization.empty()) r.headers["Authorization"] = std::move(authorization);
  return r;
}

inline nlohmann::json Json(const Response& r) {
  return r.body.empty() ? nlohmann::json() : nlohmann::json::parse(r.body);
}

// A Router with admin/admin, a regular user bob/bobpw, and a PAT "pat-admin" for admin.
class RouterFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.users.push_back({"bob", "bobpw", "Bob Builder", "bob@example.com", false, true});
    options_.tokens["pat-admin"] = "admin";
    Restart();
  }
  void Restart() { router_ = std::make_unique<Router>(options_); }
  // From now on the router reads the time from now_, which the test moves by hand (call it
  // before Restart: a router takes its clock when it is made).
  void UseFakeClock() {
    options_.clock = [this] { return now_; };
  }

  Response Call(const std::string& method, const std::string& target,
                const nlohmann::json& body = nullptr,
                const std::string& auth = BasicAuth("admin", "admin")) {
    return router_->Handle(MakeRequest(method, target, body.is_null() ? "" : body.dump(), auth));
  }
  Response Get(const std::string& target) { return Call("GET", target); }

  nlohmann::json CreateUser(const std::string& name) {
    Response r = Call("POST", "/rest/api/2/user",
                      {{"name", name}, {"emailAddress", name + "@example.com"},
                       {"displayName", "User " + name}, {"password", "pw-" + name}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r);
  }
  void CreateGroup(const std::string& name) {
    Response r = Call("POST", "/rest/api/2/group", {{"name", name}});
    EXPECT_EQ(r.status, 201) << r.body;
  }
  void AddMember(const std::string& group, const std::string& user) {
    Response r = Call("POST", "/rest/api/2/group/user?groupname=" + UrlEncode(group),
                      {{"name", user}});
    EXPECT_EQ(r.status, 201) << r.body;
  }
  static std::vector<std::string> Messages(const Response& r) {
    return Json(r).at("errorMessages").get<std::vector<std::string>>();
  }
  static std::string FieldError(const Response& r, const std::string& field) {
    auto j = Json(r);
    return j.at("errors").value(field, std::string());
  }

  Options options_;
  std::unique_ptr<Router> router_;
  std::chrono::steady_clock::time_point now_ =
      std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
};

}  // namespace emulator::testing
