#include "provider/core/json_tree.h"

#include <nlohmann/json.hpp>

namespace tf::internal {
namespace {

// A strict RFC 8259 recursive-descent parser; depth is bounded by max_depth.
class Parser {
 public:
  Parser(std::string_view in, int max_depth) : in_(in), max_depth_(max_depth) {}

  bool Parse(JsonNode& out, std::string* error) {
    bool ok = Value(out, 0) && (SkipSpace(), pos_ == in_.size() || Fail("unexpected trailing characters"));
    if (!ok && error) *error = error_ + " at offset " + std::to_string(pos_);
    return ok;
  }

 private:
  bool Fail(std::string msg) {
    if (error_.empty()) error_ = std::move(msg);
    return false;
  }
  void SkipSpace() {
    while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r')) ++pos_;
  }
  bool Literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return Fail("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool Value(JsonNode& out, int depth) {
    SkipSpace();
    if (pos_ >= in_.size()) return Fail("unexpected end of input");
    char c = in_[pos_];
    switch (c) {
      case 'n': out.kind = JsonNode::Kind::kNull; return Literal("null");
      case 't': out.kind = JsonNode::Kind::kBool; out.boolean = true; return Literal("true");
      case 'f': out.kind = JsonNode::Kind::kBool; out.boolean = false; return Literal("false");
      case '"': out.kind = JsonNode::Kind::kString; return String(out.text);
      case '[': return Array(out, depth + 1);
      case '{': return Object(out, depth + 1);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return Number(out);
        return Fail(std::string("unexpected character '") + c + "'");
    }
  }

  bool Number(JsonNode& out) {
    size_t start = pos_;
    auto digits = [&]() {
      size_t s = pos_;
      while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
      return pos_ > s;
    };
    if (in_[pos_] == '-') ++pos_;
    if (pos_ < in_.size() && in_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return Fail("invalid number");
    }
    if (pos_ < in_.size() && in_[pos_] == '.') {
      ++pos_;
      if (!digits()) return Fail("invalid number");
    }
    if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
      if (!digits()) return Fail("invalid number");
    }
    out.kind = JsonNode::Kind::kNumber;
    out.text = std::string(in_.substr(start, pos_ - start));
    return true;
  }

  static void AppendUtf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xc0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xe0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      s += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      s += static_cast<char>(0xf0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      s += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  bool Hex4(uint32_t& out) {
    if (pos_ + 4 > in_.size()) return Fail("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = in_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9') out |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') out |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') out |= static_cast<uint32_t>(c - 'A' + 10);
      else return Fail("invalid \\u escape");
    }
    return true;
  }

  bool String(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= in_.size()) return Fail("unterminated string");
      char c = in_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= in_.size()) return Fail("unterminated string");
      char e = in_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00) {  // high surrogate: needs its low half
            uint32_t lo;
            if (in_.substr(pos_, 2) != "\\u") return Fail("unpaired surrogate in \\u escape");
            pos_ += 2;
            if (!Hex4(lo)) return false;
            if (lo < 0xdc00 || lo > 0xdfff) return Fail("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            return Fail("unpaired surrogate in \\u escape");
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return Fail("invalid escape in string");
      }
    }
  }

  bool Array(JsonNode& out, int depth) {
    if (depth > max_depth_) return Fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
    out.kind = JsonNode::Kind::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < in_.size() && in_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      out.items.emplace_back();
      if (!Value(out.items.back(), depth)) return false;
      SkipSpace();
      if (pos_ >= in_.size()) return Fail("unterminated array");
      char c = in_[pos_++];
      if (c == ']') return true;
      if (c != ',') return Fail("expected ',' or ']' in array");
    }
  }

  bool Object(JsonNode& out, int depth) {
    if (depth > max_depth_) return Fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
    out.kind = JsonNode::Kind::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < in_.size() && in_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= in_.size() || in_[pos_] != '"') return Fail("expected a string key in object");
      std::string key;
      if (!String(key)) return false;
      SkipSpace();
      if (pos_ >= in_.size() || in_[pos_] != ':') return Fail("expected ':' in object");
      ++pos_;
      out.members.emplace_back(std::move(key), JsonNode{});
      if (!Value(out.members.back().second, depth)) return false;
      SkipSpace();
      if (pos_ >= in_.size()) return Fail("unterminated object");
      char c = in_[pos_++];
      if (c == '}') return true;
      if (c != ',') return Fail("expected ',' or '}' in object");
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  int max_depth_;
  std::string error_;
};

}  // namespace

bool ParseJsonTree(std::string_view json, JsonNode& out, std::string* error, int max_depth) {
  out = JsonNode{};
  Parser parser(json, max_depth);
  if (!parser.Parse(out, error)) {
    out = JsonNode{};
    return false;
  }
  return true;
}

std::string JsonQuote(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
}

}  // namespace tf::internal
