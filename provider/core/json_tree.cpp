#include "provider/core/json_tree.h"

#include <nlohmann/json.hpp>

namespace tf::internal {
namespace {

// Builds a JsonNode tree from nlohmann's SAX events, keeping number text verbatim.
class TreeBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  TreeBuilder(JsonNode& root, int max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() override { return Put(JsonNode{}); }
  bool boolean(bool v) override {
    JsonNode n;
    n.kind = JsonNode::Kind::kBool;
    n.boolean = v;
    return Put(std::move(n));
  }
  bool number_integer(number_integer_t v) override { return Number(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Number(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& s) override { return Number(s); }
  bool string(string_t& v) override {
    JsonNode n;
    n.kind = JsonNode::Kind::kString;
    n.text = std::move(v);
    return Put(std::move(n));
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override { return Open(JsonNode::Kind::kObject); }
  bool key(string_t& k) override {
    pending_key_ = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(JsonNode::Kind::kArray); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    error_ = ex.what();
    (void)position;
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool Number(std::string text) {
    JsonNode n;
    n.kind = JsonNode::Kind::kNumber;
    n.text = std::move(text);
    return Put(std::move(n));
  }
  // Places a finished node into the current container (or as the root) and returns it.
  JsonNode* Place(JsonNode n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      return &root_;
    }
    JsonNode* parent = stack_.back();
    if (parent->kind == JsonNode::Kind::kArray) {
      parent->items.push_back(std::move(n));
      return &parent->items.back();
    }
    parent->members.emplace_back(std::move(pending_key_), std::move(n));
    return &parent->members.back().second;
  }
  bool Put(JsonNode n) {
    Place(std::move(n));
    return true;
  }
  bool Open(JsonNode::Kind kind) {
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      error_ = "JSON nesting exceeds " + std::to_string(max_depth_) + " levels";
      return false;
    }
    JsonNode n;
    n.kind = kind;
    stack_.push_back(Place(std::move(n)));
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }

  JsonNode& root_;
  int max_depth_;
  std::vector<JsonNode*> stack_;  // open containers; children vectors never reallocate a
                                  // parent because only the innermost container grows
  std::string pending_key_;
  std::string error_;
};

}  // namespace

bool ParseJsonTree(std::string_view json, JsonNode& out, std::string* error, int max_depth) {
  out = JsonNode{};
  TreeBuilder builder(out, max_depth);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(json.begin(), json.end(), &builder);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
  if (!ok) {
    if (error) *error = builder.error().empty() ? "invalid JSON" : builder.error();
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
