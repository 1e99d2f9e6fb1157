// A scriptable HTTP/2 client for tests of rpc::Server below gRPC C++'s client: it sends
// what a real gRPC client would not (wrong methods, content-types, half-open streams,
// streams after GOAWAY) and records every frame of the answer. It runs over a socket or
// purely in memory (Output/Input), which is how tests drive testing::ServeConnectionBytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nghttp2/nghttp2.h>

namespace tfj::rpc::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The request headers of a gRPC call to `path`.
HeaderList GrpcRequestHeaders(std::string_view path);

// `message` with gRPC's 5-byte length prefix.
std::string Framed(std::string_view message);

class H2Client {
 public:
  struct StreamResult {
    HeaderList headers;   // the first header block (response headers)
    HeaderList trailers;  // a later header block
    std::string data;     // every DATA payload
    bool closed = false;
    uint32_t error_code = 0;  // RST_STREAM's code, or the close's error
    // The value of `name` in the trailers, else in the headers; "" when absent.
    std::string Get(std::string_view name) const;
  };

  H2Client();
  ~H2Client();
  H2Client(const H2Client&) = delete;
  H2Client& operator=(const H2Client&) = delete;

  // Opens a stream with `headers`, sends `body` as DATA, and ends the client's side when
  // `end_stream`. Returns the stream id.
  int32_t Request(const HeaderList& headers, std::string body, bool end_stream = true);
  // A gRPC call of `path` carrying `messages` (each framed).
  int32_t Call(std::string_view path, const std::vector<std::string>& messages,
               bool end_stream = true);
  void SubmitRstStream(int32_t stream_id, uint32_t error_code);

  // In memory: the bytes the client wants to send now, and bytes received from the server.
  std::string Output();
  // False when the bytes break HTTP/2.
  bool Input(std::string_view bytes);

  // Over a connected socket: sends and receives until `done()` holds, the server closes
  // the connection, or `timeout` passes. Returns whether `done()` held.
  bool Exchange(int fd, const std::function<bool()>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

  const StreamResult* Stream(int32_t id) const;
  bool Closed(int32_t id) const {
    const StreamResult* s = Stream(id);
    return s != nullptr && s->closed;
  }
  bool goaway_received() const { return goaway_received_; }
  int32_t goaway_last_stream_id() const { return goaway_last_stream_id_; }
  // The server's SETTINGS values by identifier.
  const std::map<int32_t, uint32_t>& server_settings() const { return server_settings_; }
  bool connection_closed() const { return connection_closed_; }

 private:
  static int OnHeader(nghttp2_session*, const nghttp2_frame*, const uint8_t*, size_t,
                      const uint8_t*, size_t, uint8_t, void*);
  static int OnData(nghttp2_session*, uint8_t, int32_t, const uint8_t*, size_t, void*);
  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame*, void*);
  static int OnStreamClose(nghttp2_session*, int32_t, uint32_t, void*);

  nghttp2_session* session_ = nullptr;
  std::map<int32_t, StreamResult> streams_;
  std::vector<std::shared_ptr<void>> bodies_;  // request bodies the session still reads
  std::map<int32_t, uint32_t> server_settings_;
  bool goaway_received_ = false;
  int32_t goaway_last_stream_id_ = -1;
  bool connection_closed_ = false;
};

}  // namespace tfj::rpc::testing
