// Socket-level tests of the emulator: keep-alive, body limit, malformed input, concurrency,
// dropped/lost responses, TLS, and the jira-emulator binary itself.
#include "acceptance_tests/emulator/server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using testing::BasicAuth;

// A minimal blocking HTTP/1.1 client over one keep-alive connection.
class Connection {
 public:
  explicit Connection(uint16_t port) : port_(port), stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream_.expires_after(std::chrono::seconds(30));
  }

  // Returns false when the server closed the connection without answering.
  bool Send(const std::string& method, const std::string& target, const std::string& body,
            http::response<http::string_body>* out,
            const std::string& auth = BasicAuth("admin", "admin")) {
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    req.set(http::field::authorization, auth);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.keep_alive(true);
    req.prepare_payload();
    beast::error_code ec;
    http::write(stream_, req, ec);
    if (ec) return false;
    *out = {};
    http::read(stream_, buffer_, *out, ec);
    return !ec;
  }

  http::response<http::string_body> Must(const std::string& method, const std::string& target,
                                         const std::string& body = "") {
    http::response<http::string_body> res;
    EXPECT_TRUE(Send(method, target, body, &res)) << method << " " << target;
    return res;
  }

  beast::tcp_stream& stream() { return stream_; }

 private:
  uint16_t port_;
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

class ServerTest : public ::testing::Test {
 protected:
  void Start() {
    options_.users.push_back({"bob", "bobpw", "Bob", "bob@example.com", false, true});
    server_ = std::make_unique<Server>(options_);
    server_->Start();
    ASSERT_NE(server_->port(), 0);
  }
  Options options_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start();
  EXPECT_EQ(server_->url(), "http://127.0.0.1:" + std::to_string(server_->port()));
  Connection c(server_->port());
  for (int i = 0; i < 5; ++i) {
    auto res = c.Must("GET", "/rest/api/2/myself");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(res["X-AUSERNAME"], "admin");
  }
  auto created = c.Must("POST", "/rest/api/2/group", R"({"name":"devs"})");
  EXPECT_EQ(created.result_int(), 201);
  EXPECT_EQ(nlohmann::json::parse(created.body())["self"],
            server_->url() + "/rest/api/2/group?groupname=devs");
  EXPECT_EQ(server_->Stats()["total"], 6);
}

TEST_F(ServerTest, OversizedBodyGets413AndServerKeepsServing) {
  options_.body_limit = 1024;
  Start();
  {
    Connection c(server_->port());
    http::response<http::string_body> res;
    ASSERT_TRUE(c.Send("POST", "/rest/api/2/group", std::string(4096, 'x'), &res));
    EXPECT_EQ(res.result_int(), 413);
  }
  Connection again(server_->port());
  EXPECT_EQ(again.Must("GET", "/rest/api/2/serverInfo").result_int(), 200);
}

TEST_F(ServerTest, GarbageAndBadJsonDoNotTakeTheServerDown) {
  Start();
  {
    Connection raw(server_->port());
    net::write(raw.stream(), net::buffer(std::string("THIS IS NOT HTTP\r\n\r\n")));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    beast::error_code ec;
    http::read(raw.stream(), buffer, res, ec);
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 400);
  }
  {
    Connection half(server_->port());  // sends half a request, then disconnects
    net::write(half.stream(), net::buffer(std::string("POST /rest/api/2/group HTTP/1.1\r\nCon")));
  }
  Connection c(server_->port());
  EXPECT_EQ(c.Must("POST", "/rest/api/2/group", "{\"name\":").result_int(), 400);
  EXPECT_EQ(c.Must("POST", "/rest/api/2/group", R"({"name":"fine"})").result_int(), 201);
}

TEST_F(ServerTest, ManyConcurrentClients) {
  Start();
  constexpr int kThreads = 16;
  constexpr int kPerThread = 15;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Connection c(server_->port());
      for (int i = 0; i < kPerThread; ++i) {
        std::string g = "g" + std::to_string(t) + "_" + std::to_string(i);
        http::response<http::string_body> a, b, d;
        if (c.Send("POST", "/rest/api/2/group", nlohmann::json{{"name", g}}.dump(), &a) &&
            a.result_int() == 201 &&
            c.Send("POST", "/rest/api/2/group/user?groupname=" + g, R"({"name":"bob"})", &b) &&
            b.result_int() == 201 &&
            c.Send("GET", "/rest/api/2/group/member?groupname=" + g, "", &d) &&
            d.result_int() == 200) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  Connection c(server_->port());
  auto bob = nlohmann::json::parse(
      c.Must("GET", "/rest/api/2/user?username=bob&expand=groups").body());
  EXPECT_EQ(bob["groups"]["size"], kThreads * kPerThread + 1);
}

TEST_F(ServerTest, LostResponseCommitsThenClosesAndDropDoesNot) {
  Start();
  Faults f;
  f.kinds = {"lost", "drop"};
  f.fail_next = 2;
  f.methods = {"POST"};
  server_->SetFaults(f);
  {
    Connection c(server_->port());
    http::response<http::string_body> res;
    EXPECT_FALSE(c.Send("POST", "/rest/api/2/group", R"({"name":"lost"})", &res));
  }
  {
    Connection c(server_->port());
    http::response<http::string_body> res;
    EXPECT_FALSE(c.Send("POST", "/rest/api/2/group", R"({"name":"dropped"})", &res));
  }
  Connection c(server_->port());
  EXPECT_EQ(c.Must("GET", "/rest/api/2/group/member?groupname=lost").result_int(), 200);
  EXPECT_EQ(c.Must("GET", "/rest/api/2/group/member?groupname=dropped").result_int(), 404);
}

TEST_F(ServerTest, StopClosesOpenConnections) {
  Start();
  Connection c(server_->port());
  EXPECT_EQ(c.Must("GET", "/rest/api/2/serverInfo").result_int(), 200);
  server_->Stop();
  http::response<http::string_body> res;
  EXPECT_FALSE(c.Send("GET", "/rest/api/2/serverInfo", "", &res));
  server_->Stop();  // idempotent
}

std::filesystem::path TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("emulator-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST_F(ServerTest, ServesHttpsWithGivenCertificate) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "openssl CLI not available to make a test certificate";
  }
  auto dir = TempDir("tls");
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
                    "-keyout " + key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  options_.tls_cert_file = cert;
  options_.tls_key_file = key;
  Start();
  EXPECT_EQ(server_->url().rfind("https://127.0.0.1:", 0), 0u);

  net::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(cert);  // trust exactly this self-signed certificate
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  stream.set_verify_mode(ssl::verify_peer);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(stream).connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  stream.handshake(ssl::stream_base::client);
  http::request<http::string_body> req{http::verb::get, "/rest/api/2/serverInfo", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(nlohmann::json::parse(res.body())["baseUrl"].get<std::string>().rfind("https://", 0),
            0u);
  std::filesystem::remove_all(dir);
}

TEST(ServerOptions, BadTlsFilesAndBusyPortAreReported) {
  Options o;
  o.tls_cert_file = "/nonexistent/cert.pem";
  o.tls_key_file = "/nonexistent/key.pem";
  EXPECT_THROW(Server{o}, std::runtime_error);
  Server first{Options{}};
  first.Start();
  Options same;
  same.listen_port = first.port();
  Server second(same);
  EXPECT_THROW(second.Start(), std::runtime_error);
}

// Runs build/bin/jira-emulator with `args`, returning its pid and the first stdout line.
pid_t Spawn(const std::vector<std::string>& args, std::string* first_line) {
  const char* bin_dir = std::getenv("TFJ_BIN_DIR");
  std::string bin = std::string(bin_dir ? bin_dir : "build/bin") + "/jira-emulator";
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv{const_cast<char*>(bin.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  first_line->clear();
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n') first_line->push_back(c);
  close(fds[0]);
  return pid;
}

uint16_t PortOf(const std::string& line) {
  return static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

int StopChild(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Binary, PrintsListeningLineServesAndPersistsState) {
  const char* bin_dir = std::getenv("TFJ_BIN_DIR");
  if (!bin_dir || !std::filesystem::exists(std::string(bin_dir) + "/jira-emulator")) {
    GTEST_SKIP() << "jira-emulator binary not built (TFJ_BIN_DIR unset)";
  }
  auto dir = TempDir("bin");
  std::string state = (dir / "state.json").string();
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--admin-user", "root",
                                   "--admin-password", "pw", "--state", state, "--context",
                                   "/jira"};
  std::string line;
  pid_t pid = Spawn(args, &line);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(line.rfind("listening on http://127.0.0.1:", 0), 0u) << line;
  ASSERT_EQ(line.substr(line.size() - 5), "/jira");
  {
    Connection c(PortOf(line.substr(0, line.size() - 5)));
    http::response<http::string_body> res;
    ASSERT_TRUE(c.Send("POST", "/jira/rest/api/2/group", R"({"name":"kept"})", &res,
                       BasicAuth("root", "pw")));
    EXPECT_EQ(res.result_int(), 201);
  }
  EXPECT_EQ(StopChild(pid), 0);

  pid = Spawn(args, &line);
  ASSERT_GT(pid, 0);
  {
    Connection c(PortOf(line.substr(0, line.size() - 5)));
    http::response<http::string_body> res;
    ASSERT_TRUE(c.Send("GET", "/jira/rest/api/2/group/member?groupname=KEPT", "", &res,
                       BasicAuth("root", "pw")));
    EXPECT_EQ(res.result_int(), 200);
  }
  EXPECT_EQ(StopChild(pid), 0);
  std::filesystem::remove_all(dir);
}

TEST(Binary, RejectsBadFlagsWithUsage) {
  const char* bin_dir = std::getenv("TFJ_BIN_DIR");
  if (!bin_dir || !std::filesystem::exists(std::string(bin_dir) + "/jira-emulator")) {
    GTEST_SKIP() << "jira-emulator binary not built (TFJ_BIN_DIR unset)";
  }
  std::string cmd = std::string(bin_dir) + "/jira-emulator --fault-rate 7 >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace emulator
