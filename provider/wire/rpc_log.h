// The one debug line per served RPC. The adapters write it (they know the protocol
// version); the core does not log RPCs itself, so each RPC appears once. Field names follow
// terraform-plugin-go's (tf_rpc, tf_proto_version, tf_type_name); "rpc" repeats tf_rpc for
// filters written against the adapters' earlier line.
#pragma once

#include <string_view>

#include "provider/core/log.h"

namespace tfj::wire {

inline void LogServedRpc(std::string_view proto_version, std::string_view rpc,
                         std::string_view type_name = {}) {
  if (!tf::log::Enabled(tf::log::Level::kDebug)) return;
  if (type_name.empty()) {
    tf::log::Debug("Served RPC",
                   {{"tf_rpc", rpc}, {"rpc", rpc}, {"tf_proto_version", proto_version}});
  } else {
    tf::log::Debug("Served RPC", {{"tf_rpc", rpc},
                                  {"rpc", rpc},
                                  {"tf_proto_version", proto_version},
                                  {"tf_type_name", type_name}});
  }
}

}  // namespace tfj::wire
