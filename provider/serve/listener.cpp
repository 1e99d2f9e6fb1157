#include "provider/serve/listener.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tfj::serve {
namespace {

std::string Errno(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

bool ResolveGroup(const char* group, gid_t* gid) {
  if (AllDigits(group)) {
    const std::optional<gid_t> numeric = ParseNumericGroupId(group);
    if (!numeric) return false;
    *gid = *numeric;
    return true;
  }
  std::vector<char> buf(16384);
  struct group grp;
  struct group* result = nullptr;
  if (getgrnam_r(group, &grp, buf.data(), buf.size(), &result) != 0 || result == nullptr) {
    return false;
  }
  *gid = result->gr_gid;
  return true;
}

std::optional<int> ParsePort(const char* s) {
  if (s == nullptr || *s == '\0') return std::nullopt;
  std::string_view v(s);
  int port = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
  if (ec != std::errc() || end != v.data() + v.size() || port < 0 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

// An environment value as an error message quotes it: at most 64 bytes, printable ASCII.
std::string Shown(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 64)) out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
  if (value.size() > 64) out += "...";
  return out;
}

// Listens on 127.0.0.1:port (0: any); returns the socket or -1.
int ListenLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, SOMAXCONN) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  return ntohs(addr.sin_port);
}

}  // namespace

std::optional<gid_t> ParseNumericGroupId(std::string_view group) {
  if (!AllDigits(group)) return std::nullopt;
  uint64_t numeric = 0;
  auto [end, ec] = std::from_chars(group.data(), group.data() + group.size(), numeric);
  if (ec != std::errc() || end != group.data() + group.size() ||
      numeric >= static_cast<uint64_t>(static_cast<gid_t>(-1))) {
    return std::nullopt;
  }
  return static_cast<gid_t>(numeric);
}

bool OpenUnixListener(const char* base_dir, const char* group, Listener* out,
                      std::string* error) {
  std::string base;
  if (base_dir != nullptr && *base_dir != '\0') {
    base = base_dir;
  } else if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr && *tmp != '\0') {
    base = tmp;
  } else {
    base = "/tmp";
  }
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string templ = base + "/tfj-plugin-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {  // mkdtemp creates the directory 0700
    *error = Errno("cannot create a socket directory in " + base);
    return false;
  }
  *out = Listener{};
  out->network = "unix";
  out->socket_dir = templ;
  out->address = templ + "/plugin.sock";
  gid_t gid = 0;
  if (group != nullptr && *group != '\0') {
    if (!ResolveGroup(group, &gid)) {
      *error = "PLUGIN_UNIX_SOCKET_GROUP: unknown group \"" + std::string(group) + "\"";
      CloseListener(out);
      return false;
    }
    if (::chown(templ.c_str(), static_cast<uid_t>(-1), gid) != 0 ||
        ::chmod(templ.c_str(), 0750) != 0) {
      *error = Errno("cannot give the socket directory to group " + std::string(group));
      CloseListener(out);
      return false;
    }
    out->group = group;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (out->address.size() >= sizeof addr.sun_path) {
    *error = "socket path too long for a unix socket: " + out->address;
    CloseListener(out);
    return false;
  }
  std::memcpy(addr.sun_path, out->address.c_str(), out->address.size() + 1);
  out->fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (out->fd < 0 || ::bind(out->fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(out->fd, SOMAXCONN) != 0) {
    *error = Errno("cannot listen on " + out->address);
    CloseListener(out);
    return false;
  }
  if (!out->group.empty() && (::chown(out->address.c_str(), static_cast<uid_t>(-1), gid) != 0 ||
                              ::chmod(out->address.c_str(), 0660) != 0)) {
    *error = Errno("cannot give the socket to group " + out->group);
    CloseListener(out);
    return false;
  }
  return true;
}

void CloseListener(Listener* listener) {
  if (listener->fd >= 0) ::close(listener->fd);
  listener->fd = -1;
  if (listener->network != "unix" || listener->socket_dir.empty()) return;
  ::unlink(listener->address.c_str());
  ::rmdir(listener->socket_dir.c_str());
  listener->socket_dir.clear();
}

std::optional<std::pair<int, int>> ParsePortRange(const char* min_port, const char* max_port) {
  const std::optional<int> lo = ParsePort(min_port);
  const std::optional<int> hi = ParsePort(max_port);
  if (!lo || !hi || *lo <= 0 || *lo > *hi) return std::nullopt;
  return std::make_pair(*lo, *hi);
}

bool OpenTcpListener(const char* min_port, const char* max_port, Listener* out,
                     std::string* error) {
  const std::optional<int> lo = ParsePort(min_port);
  const std::optional<int> hi = ParsePort(max_port);
  // A variable that is set must be a port, and the range in order, as go-plugin's own
  // server insists (serverListener_tcp: "Couldn't get value from PLUGIN_MIN_PORT").
  for (const auto& [name, value, port] : {std::tuple{"PLUGIN_MIN_PORT", min_port, lo},
                                          std::tuple{"PLUGIN_MAX_PORT", max_port, hi}}) {
    if (value != nullptr && *value != '\0' && !port) {
      *error = std::string(name) + "=\"" + Shown(value) +
               "\" is not a port: expected a decimal number from 0 to 65535 (PLUGIN_MIN_PORT "
               "and PLUGIN_MAX_PORT bound the TCP port the plugin listens on)";
      return false;
    }
  }
  if (lo && hi && *lo > *hi) {
    *error = "PLUGIN_MIN_PORT=" + std::to_string(*lo) + " is greater than PLUGIN_MAX_PORT=" +
             std::to_string(*hi) + ": expected the lowest port, then the highest";
    return false;
  }
  int fd = -1;
  if (ParsePortRange(min_port, max_port)) {  // then lo and hi are set and lo <= hi
    // Start at a random offset: Terraform starts several plugins at once.
    const int span = *hi - *lo + 1;
    std::random_device rd;
    const int start = static_cast<int>(rd() % static_cast<unsigned>(span));
    for (int i = 0; i < span && fd < 0; ++i) fd = ListenLoopback(*lo + (start + i) % span);
    if (fd < 0) {
      *error = "no free port on 127.0.0.1 between PLUGIN_MIN_PORT=" + std::to_string(*lo) +
               " and PLUGIN_MAX_PORT=" + std::to_string(*hi);
      return false;
    }
  } else {
    fd = ListenLoopback(0);
    if (fd < 0) {
      *error = Errno("cannot listen on 127.0.0.1");
      return false;
    }
  }
  *out = Listener{};
  out->fd = fd;
  out->network = "tcp";
  out->address = "127.0.0.1:" + std::to_string(BoundPort(fd));
  return true;
}

}  // namespace tfj::serve
