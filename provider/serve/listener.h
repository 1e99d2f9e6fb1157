// Where the plugin listens: a unix socket in a fresh private directory (go-plugin's
// default on Unix), or tcp on 127.0.0.1 within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT.
#pragma once

#include <string>

namespace tfj::serve {

struct Listener {
  std::string network;     // "unix" or "tcp": handshake field 3
  std::string address;     // socket path or 127.0.0.1:port: handshake field 4
  std::string grpc_uri;    // what ServerBuilder::AddListeningPort takes
  std::string socket_dir;  // unix only: the private directory to remove on exit
  std::string group;       // unix only: PLUGIN_UNIX_SOCKET_GROUP, applied once bound
};

// Creates <base>/tfj-plugin-XXXXXX (mode 0700; 0750 and chgrp when `group` is set, so the
// group can reach the socket) and returns the socket path inside it. `base` is
// PLUGIN_UNIX_SOCKET_DIR, else $TMPDIR, else /tmp. Returns false with `error` set.
bool PrepareUnixListener(const char* base_dir, const char* group, Listener* out,
                         std::string* error);

// After the server has bound the socket: chgrp + 0660 when a group was requested.
bool ApplySocketGroup(const Listener& listener, std::string* error);

// Removes the socket and its directory (best effort; safe to call twice).
void RemoveUnixListener(const Listener& listener);

// Picks a free port on 127.0.0.1 within [min_port, max_port] (from PLUGIN_MIN_PORT /
// PLUGIN_MAX_PORT; nullptr or unparsable = port 0, the OS chooses when the server binds
// and the caller sets `address` from the bound port). Never another address.
bool PrepareTcpListener(const char* min_port, const char* max_port, Listener* out,
                        std::string* error);

}  // namespace tfj::serve
