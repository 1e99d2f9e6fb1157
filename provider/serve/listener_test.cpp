#include "provider/serve/listener.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace tfj::serve {
namespace {

std::string MakeTempDir() {
  std::string t = ::testing::TempDir() + "/tfj-listener-XXXXXX";
  if (::mkdtemp(t.data()) == nullptr) return {};
  return t;
}

TEST(UnixListener, PrivateDirectoryInsideTheRequestedBase) {
  const std::string base = MakeTempDir();
  ASSERT_FALSE(base.empty());
  Listener l;
  std::string error;
  ASSERT_TRUE(PrepareUnixListener(base.c_str(), nullptr, &l, &error)) << error;
  EXPECT_EQ(l.network, "unix");
  EXPECT_EQ(l.socket_dir.rfind(base + "/tfj-plugin-", 0), 0u) << l.socket_dir;
  EXPECT_EQ(l.address, l.socket_dir + "/plugin.sock");
  EXPECT_EQ(l.grpc_uri, "unix:" + l.address);
  struct stat st {};
  ASSERT_EQ(::stat(l.socket_dir.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  RemoveUnixListener(l);
  EXPECT_NE(::access(l.socket_dir.c_str(), F_OK), 0);
  ::rmdir(base.c_str());
}

TEST(UnixListener, TwoListenersNeverShareADirectory) {
  const std::string base = MakeTempDir();
  Listener a, b;
  std::string error;
  ASSERT_TRUE(PrepareUnixListener(base.c_str(), nullptr, &a, &error));
  ASSERT_TRUE(PrepareUnixListener(base.c_str(), nullptr, &b, &error));
  EXPECT_NE(a.address, b.address);
  RemoveUnixListener(a);
  RemoveUnixListener(b);
  ::rmdir(base.c_str());
}

TEST(UnixListener, GroupGivesTheGroupAccessToTheDirectory) {
  const std::string base = MakeTempDir();
  const std::string gid = std::to_string(::getegid());  // a group we are surely in
  Listener l;
  std::string error;
  ASSERT_TRUE(PrepareUnixListener(base.c_str(), gid.c_str(), &l, &error)) << error;
  struct stat st {};
  ASSERT_EQ(::stat(l.socket_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
  EXPECT_EQ(l.group, gid);
  RemoveUnixListener(l);
  ::rmdir(base.c_str());
}

TEST(UnixListener, UnknownGroupIsAClearError) {
  const std::string base = MakeTempDir();
  Listener l;
  std::string error;
  EXPECT_FALSE(PrepareUnixListener(base.c_str(), "no-such-group-tfj", &l, &error));
  EXPECT_NE(error.find("no-such-group-tfj"), std::string::npos);
  EXPECT_EQ(::rmdir(base.c_str()), 0);  // nothing left behind
}

TEST(UnixListener, MissingBaseDirectoryIsAnError) {
  Listener l;
  std::string error;
  EXPECT_FALSE(PrepareUnixListener("/nonexistent/tfj", nullptr, &l, &error));
  EXPECT_NE(error.find("/nonexistent/tfj"), std::string::npos);
}

TEST(TcpListener, LoopbackWithinTheRange) {
  Listener l;
  std::string error;
  ASSERT_TRUE(PrepareTcpListener("20000", "20100", &l, &error)) << error;
  EXPECT_EQ(l.network, "tcp");
  ASSERT_EQ(l.address.rfind("127.0.0.1:", 0), 0u);
  const int port = std::stoi(l.address.substr(10));
  EXPECT_GE(port, 20000);
  EXPECT_LE(port, 20100);
  EXPECT_EQ(l.grpc_uri, l.address);
}

TEST(TcpListener, NoRangeLetsTheOsChoose) {
  Listener l;
  std::string error;
  ASSERT_TRUE(PrepareTcpListener(nullptr, nullptr, &l, &error));
  EXPECT_EQ(l.grpc_uri, "127.0.0.1:0");
  ASSERT_TRUE(PrepareTcpListener("abc", "25000", &l, &error));
  EXPECT_EQ(l.grpc_uri, "127.0.0.1:0");
}

}  // namespace
}  // namespace tfj::serve
