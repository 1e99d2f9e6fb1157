// rpc::Server at the HTTP/2 level: requests a gRPC client library would never send, and the
// frames of each answer, through testing::ServeConnectionBytes (one connection, in
// memory) or a socket and testing::H2Client.
#include <gtest/gtest.h>

#include <string>

#include "provider/rpc/rpc.h"
#include "provider/rpc/testing/h2_client.h"
#include "provider/rpc/testing_hooks.h"

namespace tfj::rpc {
namespace {

using testing::H2Client;

// A method that answers each request message with itself.
Router EchoRouter() {
  Router router;
  router.Add("/test.Echo/Echo", [](Call& call) {
    for (const auto& m : call.requests()) call.Write(m);
    return Status::OK;
  });
  return router;
}

// Runs what `client` has queued through one server connection and feeds the answer back.
void RoundTrip(const Router& router, H2Client& client, const ServerOptions& options = {}) {
  const std::string output = testing::ServeConnectionBytes(router, client.Output(), options);
  ASSERT_TRUE(client.Input(output));
}

TEST(ConnectionHook, ServesACallFromBytesAndReturnsTheAnswer) {
  const Router router = EchoRouter();
  H2Client client;
  const int32_t id = client.Call("/test.Echo/Echo", {"hello"});
  RoundTrip(router, client);
  const auto* s = client.Stream(id);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->Get(":status"), "200");
  EXPECT_EQ(s->Get("grpc-status"), "0");
  EXPECT_EQ(s->data, testing::Framed("hello"));
}

TEST(ConnectionHook, GarbageInputEndsTheConnectionWithoutAnswers) {
  const Router router = EchoRouter();
  const std::string output = testing::ServeConnectionBytes(router, "GET / HTTP/1.1\r\n\r\n");
  H2Client client;  // whatever came back must not be a stream's answer
  client.Input(output);
  EXPECT_EQ(client.Stream(1), nullptr);
}

}  // namespace
}  // namespace tfj::rpc
