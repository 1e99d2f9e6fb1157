// gRPC's framing over HTTP/2 (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md):
// each message is a 1-byte compressed flag, a 4-byte big-endian length and the bytes;
// a status message travels percent-encoded in the grpc-message trailer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tfj::rpc::wire {

// Appends `message` with its 5-byte prefix (uncompressed) to `out`.
void AppendFramed(std::string_view message, std::string* out);

// Splits a request body into its messages. Returns "" or what is wrong: a truncated
// prefix or message, a message over `max_message_bytes`, or a compressed message (we
// never advertise an encoding, so a client must not compress; the error then starts
// with "compressed").
std::string SplitFramed(std::string_view body, size_t max_message_bytes,
                        std::vector<std::string>* messages);

// grpc-message: bytes outside printable ASCII (0x20-0x7e) and '%' become %XX.
std::string PercentEncodeMessage(std::string_view message);

// The grpc-message value for `message`: percent-encoded and at most `max_encoded_bytes`
// long, the message cut where a UTF-8 character starts so it still decodes. A header
// block over what the peer accepts cannot be sent, and the call would never end.
std::string StatusMessage(std::string_view message, size_t max_encoded_bytes);

// A grpc-timeout value ("1-8 digits" then H, M, S, m, u or n) in nanoseconds; -1 when
// malformed.
int64_t ParseTimeoutNanos(std::string_view value);

}  // namespace tfj::rpc::wire
