// The server-side call model our gRPC services are written against, and the method table
// (Router) that rpc::Server dispatches to. It mirrors the few pieces of gRPC C++'s sync
// API that the services use (Status, ServerContext, ServerWriter, ServerReader), so a
// service reads like a gRPC service, but it carries no gRPC library: the plugin serves
// gRPC with its own small HTTP/2 server (rpc/server.h explains why).
//
// Services register their methods with rpc::Add, which turns "parse the request, call
// the method, serialise the answer" into a byte-level Handler.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tfj::rpc {

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html); only the
// ones this server produces.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kResourceExhausted = 8,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static const Status OK;

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};
inline const Status Status::OK{};

// One call as the transport sees it: the request messages the client sent (gRPC framing
// removed) and a way to send response messages back.
class Call {
 public:
  virtual ~Call() = default;
  // Every request message, in order: one for unary and server-streaming methods.
  virtual const std::vector<std::string>& requests() const = 0;
  // Queues one response message. False once the client has cancelled or gone away.
  virtual bool Write(std::string message) = 0;
  // True once the client has cancelled the call or the connection is gone.
  virtual bool IsCancelled() const = 0;
};

// A method: reads call.requests(), writes zero or more messages, returns the status.
using Handler = std::function<Status(Call&)>;

// How many request messages a method takes. The server refuses a second message for a
// method that takes one as soon as it arrives, instead of buffering it.
enum class RequestCount { kOne, kMany };

struct Method {
  Handler handler;
  RequestCount requests = RequestCount::kMany;
};

// Method path ("/package.Service/Method") to handler.
class Router {
 public:
  void Add(std::string path, Handler handler, RequestCount requests = RequestCount::kMany) {
    methods_[std::move(path)] = Method{std::move(handler), requests};
  }
  const Method* FindMethod(std::string_view path) const {
    const auto it = methods_.find(path);
    return it == methods_.end() ? nullptr : &it->second;
  }
  const Handler* Find(std::string_view path) const {
    const Method* m = FindMethod(path);
    return m == nullptr ? nullptr : &m->handler;
  }
  std::vector<std::string> Paths() const {
    std::vector<std::string> out;
    for (const auto& [path, method] : methods_) out.push_back(path);
    return out;
  }

 private:
  std::map<std::string, Method, std::less<>> methods_;
};

// ---- the typed view the services use ----

class ServerContext {
 public:
  explicit ServerContext(const Call& call) : call_(call) {}
  bool IsCancelled() const { return call_.IsCancelled(); }

 private:
  const Call& call_;
};

template <typename Message>
class ServerWriter {
 public:
  explicit ServerWriter(Call& call) : call_(call) {}
  bool Write(const Message& message) { return call_.Write(message.SerializeAsString()); }

 private:
  Call& call_;
};

template <typename Message>
class ServerReader {
 public:
  explicit ServerReader(const Call& call) : call_(call) {}
  // False at the end of the client's stream, or on a message that does not parse.
  bool Read(Message* message) {
    if (next_ >= call_.requests().size()) return false;
    return message->ParseFromString(call_.requests()[next_++]);
  }

 private:
  const Call& call_;
  size_t next_ = 0;
};

namespace internal {

// gRPC C++ answers a unary request that is missing or does not parse with INTERNAL.
template <typename Request>
bool ParseSingle(const Call& call, Request* request, Status* error) {
  if (call.requests().size() != 1) {
    *error = Status(StatusCode::kInternal, "expected exactly one request message, got " +
                                               std::to_string(call.requests().size()));
    return false;
  }
  if (!request->ParseFromString(call.requests()[0])) {
    *error = Status(StatusCode::kInternal, "error parsing the request message");
    return false;
  }
  return true;
}

}  // namespace internal

// Registers a method of `service` under `path`. The three overloads are gRPC's unary,
// server-streaming and client-streaming shapes, told apart by the method's signature.
template <typename Service, typename Request, typename Response>
void Add(Router& router, std::string path, Service* service,
         Status (Service::*method)(ServerContext*, const Request*, Response*)) {
  router.Add(std::move(path), [service, method](Call& call) {
    Request request;
    Status status;
    if (!internal::ParseSingle(call, &request, &status)) return status;
    ServerContext context(call);
    Response response;
    status = (service->*method)(&context, &request, &response);
    if (status.ok()) call.Write(response.SerializeAsString());
    return status;
  }, RequestCount::kOne);
}

template <typename Service, typename Request, typename Response>
void Add(Router& router, std::string path, Service* service,
         Status (Service::*method)(ServerContext*, const Request*, ServerWriter<Response>*)) {
  router.Add(std::move(path), [service, method](Call& call) {
    Request request;
    Status status;
    if (!internal::ParseSingle(call, &request, &status)) return status;
    ServerContext context(call);
    ServerWriter<Response> writer(call);
    return (service->*method)(&context, &request, &writer);
  }, RequestCount::kOne);
}

template <typename Service, typename Request, typename Response>
void Add(Router& router, std::string path, Service* service,
         Status (Service::*method)(ServerContext*, ServerReader<Request>*, Response*)) {
  router.Add(std::move(path), [service, method](Call& call) {
    ServerContext context(call);
    ServerReader<Request> reader(call);
    Response response;
    const Status status = (service->*method)(&context, &reader, &response);
    if (status.ok()) call.Write(response.SerializeAsString());
    return status;
  });
}

}  // namespace tfj::rpc
