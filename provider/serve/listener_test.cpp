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
  ASSERT_TRUE(OpenUnixListener(base.c_str(), nullptr, &l, &error)) << error;
  EXPECT_EQ(l.network, "unix");
  EXPECT_EQ(l.socket_dir.rfind(base + "/tfj-plugin-", 0), 0u) << l.socket_dir;
  EXPECT_EQ(l.address, l.socket_dir + "/plugin.sock");
  EXPECT_GE(l.fd, 0);
  struct stat st {};
  ASSERT_EQ(::stat(l.socket_dir.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(l.address.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  const std::string dir = l.socket_dir;
  CloseListener(&l);
  EXPECT_EQ(l.fd, -1);
  EXPECT_NE(::access(dir.c_str(), F_OK), 0);
  ::rmdir(base.c_str());
}

TEST(UnixListener, TwoListenersNeverShareADirectory) {
  const std::string base = MakeTempDir();
  Listener a, b;
  std::string error;
  ASSERT_TRUE(OpenUnixListener(base.c_str(), nullptr, &a, &error));
  ASSERT_TRUE(OpenUnixListener(base.c_str(), nullptr, &b, &error));
  EXPECT_NE(a.address, b.address);
  CloseListener(&a);
  CloseListener(&b);
  ::rmdir(base.c_str());
}

TEST(UnixListener, GroupGivesTheGroupAccessToTheDirectory) {
  const std::string base = MakeTempDir();
  const std::string gid = std::to_string(::getegid());  // a group we are surely in
  Listener l;
  std::string error;
  ASSERT_TRUE(OpenUnixListener(base.c_str(), gid.c_str(), &l, &error)) << error;
  struct stat st {};
  ASSERT_EQ(::stat(l.socket_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
  ASSERT_EQ(::stat(l.address.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  EXPECT_EQ(st.st_gid, ::getegid());
  EXPECT_EQ(l.group, gid);
  CloseListener(&l);
  ::rmdir(base.c_str());
}

TEST(UnixListener, UnknownGroupIsAClearError) {
  const std::string base = MakeTempDir();
  Listener l;
  std::string error;
  EXPECT_FALSE(OpenUnixListener(base.c_str(), "no-such-group-tfj", &l, &error));
  EXPECT_NE(error.find("no-such-group-tfj"), std::string::npos);
  EXPECT_EQ(::rmdir(base.c_str()), 0);  // nothing left behind
}

// A numeric group beyond gid_t wrapped around: 4294967296 became group 0 (root), and
// 4294967295 is (gid_t)-1, which chown reads as "leave the group", so the socket stayed
// private while the handshake named the group. Both are refused now.
TEST(UnixListener, NumericGroupOutsideGidTIsAClearError) {
  for (const char* group : {"4294967296", "4294967295", "18446744073709551616"}) {
    const std::string base = MakeTempDir();
    Listener l;
    std::string error;
    EXPECT_FALSE(OpenUnixListener(base.c_str(), group, &l, &error)) << group;
    EXPECT_NE(error.find(group), std::string::npos) << error;
    EXPECT_EQ(::rmdir(base.c_str()), 0);  // nothing left behind
  }
}

TEST(UnixListener, NumericGroupIdParsing) {
  EXPECT_EQ(ParseNumericGroupId("0"), gid_t{0});
  EXPECT_EQ(ParseNumericGroupId("1000"), gid_t{1000});
  EXPECT_EQ(ParseNumericGroupId("4294967294"), gid_t{4294967294u});
  EXPECT_EQ(ParseNumericGroupId("4294967295"), std::nullopt);
  EXPECT_EQ(ParseNumericGroupId("4294967296"), std::nullopt);
  EXPECT_EQ(ParseNumericGroupId(""), std::nullopt);
  EXPECT_EQ(ParseNumericGroupId("users"), std::nullopt);
  EXPECT_EQ(ParseNumericGroupId("-1"), std::nullopt);
  EXPECT_EQ(ParseNumericGroupId("12a"), std::nullopt);
}

TEST(UnixListener, MissingBaseDirectoryIsAnError) {
  Listener l;
  std::string error;
  EXPECT_FALSE(OpenUnixListener("/nonexistent/tfj", nullptr, &l, &error));
  EXPECT_NE(error.find("/nonexistent/tfj"), std::string::npos);
}

TEST(TcpListener, LoopbackWithinTheRange) {
  Listener l;
  std::string error;
  ASSERT_TRUE(OpenTcpListener("20000", "20100", &l, &error)) << error;
  EXPECT_EQ(l.network, "tcp");
  ASSERT_EQ(l.address.rfind("127.0.0.1:", 0), 0u);
  const int port = std::stoi(l.address.substr(10));
  EXPECT_GE(port, 20000);
  EXPECT_LE(port, 20100);
  CloseListener(&l);
}

TEST(TcpListener, ATakenRangeIsAClearError) {
  Listener first, second;
  std::string error;
  ASSERT_TRUE(OpenTcpListener("0", "0", &first, &error)) << error;  // any free port
  const std::string port = first.address.substr(10);
  // A one-port range whose port is taken.
  EXPECT_FALSE(OpenTcpListener(port.c_str(), port.c_str(), &second, &error));
  EXPECT_NE(error.find("no free port"), std::string::npos) << error;
  CloseListener(&first);
}

TEST(TcpListener, NoRangeLetsTheOsChoose) {
  Listener l;
  std::string error;
  ASSERT_TRUE(OpenTcpListener(nullptr, nullptr, &l, &error));
  EXPECT_NE(l.address, "127.0.0.1:0");
  EXPECT_GT(std::stoi(l.address.substr(10)), 0);
  CloseListener(&l);
  for (const auto& [lo, hi] : {std::pair{"", ""}, std::pair{"0", "25000"}, std::pair{"", "25000"}}) {
    ASSERT_TRUE(OpenTcpListener(lo, hi, &l, &error)) << lo << ".." << hi << ": " << error;
    EXPECT_GT(std::stoi(l.address.substr(10)), 0);
    CloseListener(&l);
  }
}

// As go-plugin's server: a set variable that is not a port, or a reversed range, is an
// error naming the variable and what was expected, never a silently different port.
TEST(TcpListener, MalformedPortVariablesAreAClearError) {
  struct Case {
    const char* lo;
    const char* hi;
    const char* names;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"abc", "25000", "PLUGIN_MIN_PORT=\"abc\" is not a port"},
           {"10000", "65536", "PLUGIN_MAX_PORT=\"65536\" is not a port"},
           {"-1", nullptr, "PLUGIN_MIN_PORT=\"-1\" is not a port"},
           {"10000 ", "25000", "PLUGIN_MIN_PORT=\"10000 \" is not a port"},
           {"1e4", "25000", "PLUGIN_MIN_PORT=\"1e4\" is not a port"},
           {"10000", "\x01\"x", "PLUGIN_MAX_PORT=\"??x\" is not a port"},
           {"25000", "10000", "PLUGIN_MIN_PORT=25000 is greater than PLUGIN_MAX_PORT=10000"},
       }) {
    Listener l;
    std::string error;
    EXPECT_FALSE(OpenTcpListener(c.lo, c.hi, &l, &error)) << c.names;
    EXPECT_EQ(error.find(c.names), 0u) << error;
    EXPECT_NE(error.find("expected"), std::string::npos) << error;
    EXPECT_EQ(l.fd, -1);
  }
  Listener l;
  std::string error;
  EXPECT_FALSE(OpenTcpListener(std::string(100, '7').c_str(), "1", &l, &error));
  EXPECT_NE(error.find(std::string(64, '7') + "...\" is not a port"), std::string::npos) << error;
}

TEST(PortRange, BothPortsInOrderWithinTheValidRange) {
  EXPECT_EQ(ParsePortRange("10000", "25000"), std::make_pair(10000, 25000));
  EXPECT_EQ(ParsePortRange("1", "1"), std::make_pair(1, 1));
  EXPECT_EQ(ParsePortRange("65535", "65535"), std::make_pair(65535, 65535));
}

TEST(PortRange, AnythingElseLetsTheOsChoose) {
  EXPECT_EQ(ParsePortRange(nullptr, "25000"), std::nullopt);
  EXPECT_EQ(ParsePortRange("10000", nullptr), std::nullopt);
  EXPECT_EQ(ParsePortRange("", "25000"), std::nullopt);
  EXPECT_EQ(ParsePortRange("0", "25000"), std::nullopt);       // 0 is "any port", not a bound
  EXPECT_EQ(ParsePortRange("25000", "10000"), std::nullopt);   // reversed
  EXPECT_EQ(ParsePortRange("10000", "65536"), std::nullopt);   // beyond the port space
  EXPECT_EQ(ParsePortRange("-1", "10"), std::nullopt);
  EXPECT_EQ(ParsePortRange("10000 ", "25000"), std::nullopt);  // trailing bytes
  EXPECT_EQ(ParsePortRange("1e4", "25000"), std::nullopt);
}

}  // namespace
}  // namespace tfj::serve
