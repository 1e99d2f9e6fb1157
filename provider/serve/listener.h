// Where the plugin listens: a unix socket in a fresh private directory (go-plugin's
// default on Unix), or tcp on 127.0.0.1 within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tfj::serve {

struct Listener {
  int fd = -1;             // bound and listening
  std::string network;     // "unix" or "tcp": handshake field 3
  std::string address;     // socket path or 127.0.0.1:port: handshake field 4
  std::string socket_dir;  // unix only: the private directory to remove on exit
  std::string group;       // unix only: PLUGIN_UNIX_SOCKET_GROUP
};

// Creates <base>/tfj-plugin-XXXXXX (mode 0700; 0750 and chgrp when `group` is set, so the
// group can reach the socket; the socket itself is then 0660 and that group's) and
// listens on plugin.sock inside it. `base` is PLUGIN_UNIX_SOCKET_DIR, else $TMPDIR, else
// /tmp. Returns false with `error` set, leaving nothing behind.
bool OpenUnixListener(const char* base_dir, const char* group, Listener* out,
                      std::string* error);

// Listens on 127.0.0.1, on a free port within [min_port, max_port] (PLUGIN_MIN_PORT /
// PLUGIN_MAX_PORT; either unset, empty or 0: a port the OS chooses). Never another address.
// A value that is not a port, or a reversed range, is an error naming the variable.
bool OpenTcpListener(const char* min_port, const char* max_port, Listener* out,
                     std::string* error);

// The port range of PLUGIN_MIN_PORT / PLUGIN_MAX_PORT (environment values, nullptr when
// unset), as OpenTcpListener reads it: both decimal ports, 0 < min <= max <= 65535;
// otherwise nullopt (the OS then chooses a port, unless OpenTcpListener refuses a value
// that is not a port or a reversed range). Pure, for tests and fuzzing.
std::optional<std::pair<int, int>> ParsePortRange(const char* min_port, const char* max_port);

// PLUGIN_UNIX_SOCKET_GROUP as OpenUnixListener reads a value of decimal digits: a gid that
// fits gid_t and is not (gid_t)-1, which chown takes as "leave the group as it is"; nullopt
// for any other value (digits beyond that are refused, never wrapped: 4294967296 is not
// group 0; other text is a group name, looked up in the group database). Pure, for tests
// and fuzzing.
std::optional<gid_t> ParseNumericGroupId(std::string_view group);

// Closes the socket and removes a unix socket and its directory (safe to call twice).
void CloseListener(Listener* listener);

}  // namespace tfj::serve
