#include "provider/rpc/testing/h2_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nghttp2/nghttp2.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "provider/rpc/wire.h"

namespace tfj::rpc::testing {
namespace {

struct Body {
  std::string bytes;
  size_t pos = 0;
  bool end_stream = true;
};

ssize_t ReadBody(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                 nghttp2_data_source* source, void*) {
  auto* body = static_cast<Body*>(source->ptr);
  const size_t n = std::min(length, body->bytes.size() - body->pos);
  std::memcpy(buf, body->bytes.data() + body->pos, n);
  body->pos += n;
  if (body->pos == body->bytes.size()) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (!body->end_stream) *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
  }
  return static_cast<ssize_t>(n);
}

}  // namespace

HeaderList GrpcRequestHeaders(std::string_view path) {
  return {{":method", "POST"},
          {":scheme", "http"},
          {":path", std::string(path)},
          {":authority", "plugin"},
          {"content-type", "application/grpc"},
          {"te", "trailers"}};
}

std::string Framed(std::string_view message) {
  std::string out;
  wire::AppendFramed(message, &out);
  return out;
}

std::string H2Client::StreamResult::Get(std::string_view name) const {
  for (const auto* list : {&trailers, &headers}) {
    for (const auto& [n, v] : *list) {
      if (n == name) return v;
    }
  }
  return {};
}

H2Client::H2Client() {
  nghttp2_session_callbacks* cb = nullptr;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, OnData);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, OnStreamClose);
  nghttp2_session_client_new(&session_, cb, this);
  nghttp2_session_callbacks_del(cb);
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
}

H2Client::~H2Client() { nghttp2_session_del(session_); }

int32_t H2Client::Request(const HeaderList& headers, std::string body, bool end_stream) {
  std::vector<nghttp2_nv> nva;
  for (const auto& [n, v] : headers) {
    nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(n.data())),
                   reinterpret_cast<uint8_t*>(const_cast<char*>(v.data())), n.size(), v.size(),
                   NGHTTP2_NV_FLAG_NONE});
  }
  int32_t id = 0;
  if (body.empty()) {
    id = nghttp2_submit_headers(session_, end_stream ? NGHTTP2_FLAG_END_STREAM : NGHTTP2_FLAG_NONE,
                                -1, nullptr, nva.data(), nva.size(), nullptr);
  } else {
    // The body goes with the request: the stream only exists once its HEADERS are sent.
    auto b = std::make_shared<Body>();
    b->bytes = std::move(body);
    b->end_stream = end_stream;
    nghttp2_data_provider provider{};
    provider.source.ptr = b.get();
    provider.read_callback = ReadBody;
    id = nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), &provider, nullptr);
    bodies_.push_back(std::move(b));  // read by the session until sent
  }
  if (id < 0) throw std::runtime_error(nghttp2_strerror(id));
  streams_[id];
  return id;
}

int32_t H2Client::Call(std::string_view path, const std::vector<std::string>& messages,
                       bool end_stream) {
  std::string body;
  for (const auto& m : messages) body += Framed(m);
  return Request(GrpcRequestHeaders(path), std::move(body), end_stream);
}

void H2Client::SubmitRstStream(int32_t stream_id, uint32_t error_code) {
  nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, error_code);
}

std::string H2Client::Output() {
  std::string out;
  for (;;) {
    const uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(session_, &data);
    if (n <= 0) break;
    out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
  }
  return out;
}

bool H2Client::Input(std::string_view bytes) {
  const ssize_t n = nghttp2_session_mem_recv(
      session_, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return n >= 0;
}

bool H2Client::Exchange(int fd, const std::function<bool()>& done,
                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string pending;
  char buf[16 << 10];
  for (;;) {
    pending += Output();
    while (!pending.empty()) {
      const ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
      if (n <= 0) break;
      pending.erase(0, static_cast<size_t>(n));
    }
    if (done()) return true;
    if (connection_closed_) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, static_cast<short>(POLLIN | (pending.empty() ? 0 : POLLOUT)), 0};
    if (::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 50))) < 0 &&
        errno != EINTR) {
      return false;
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        if (!Input({buf, static_cast<size_t>(n)})) connection_closed_ = true;
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        connection_closed_ = true;
      }
    }
  }
}

const H2Client::StreamResult* H2Client::Stream(int32_t id) const {
  const auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

int H2Client::OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                       size_t namelen, const uint8_t* value, size_t valuelen, uint8_t,
                       void* user) {
  auto* self = static_cast<H2Client*>(user);
  const int32_t id = frame->hd.stream_id;
  auto& s = self->streams_[id];
  const bool trailer = frame->headers.cat == NGHTTP2_HCAT_HEADERS;
  (trailer ? s.trailers : s.headers)
      .emplace_back(std::string(reinterpret_cast<const char*>(name), namelen),
                    std::string(reinterpret_cast<const char*>(value), valuelen));
  return 0;
}

int H2Client::OnData(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                     size_t len, void* user) {
  auto* self = static_cast<H2Client*>(user);
  self->streams_[stream_id].data.append(reinterpret_cast<const char*>(data), len);
  return 0;
}

int H2Client::OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* self = static_cast<H2Client*>(user);
  if (frame->hd.type == NGHTTP2_GOAWAY) {
    self->goaway_received_ = true;
    self->goaway_last_stream_id_ = frame->goaway.last_stream_id;
  } else if (frame->hd.type == NGHTTP2_SETTINGS && (frame->hd.flags & NGHTTP2_FLAG_ACK) == 0) {
    for (size_t i = 0; i < frame->settings.niv; ++i) {
      self->server_settings_[frame->settings.iv[i].settings_id] = frame->settings.iv[i].value;
    }
  } else if (frame->hd.type == NGHTTP2_RST_STREAM) {
    self->streams_[frame->hd.stream_id].error_code = frame->rst_stream.error_code;
  }
  return 0;
}

int H2Client::OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t error_code,
                            void* user) {
  auto* self = static_cast<H2Client*>(user);
  auto& s = self->streams_[stream_id];
  s.closed = true;
  if (error_code != 0) s.error_code = error_code;
  return 0;
}

}  // namespace tfj::rpc::testing
