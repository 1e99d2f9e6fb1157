#include "provider/core/path.h"

#include "provider/core/json_tree.h"

namespace tf {

Path Path::AtName(std::string name) const {
  Path p = *this;
  p.steps_.push_back(AttributeName{std::move(name)});
  return p;
}
Path Path::AtIndex(int64_t index) const {
  Path p = *this;
  // Constructed in place: moving a temporary variant here trips GCC 12's
  // -Wmaybe-uninitialized false positive on the inactive std::string alternatives.
  p.steps_.emplace_back(std::in_place_type<ElementIndex>, ElementIndex{index});
  return p;
}
Path Path::AtKey(std::string key) const {
  Path p = *this;
  p.steps_.push_back(ElementKey{std::move(key)});
  return p;
}

std::string Path::ToString() const {
  std::string out;
  for (const auto& step : steps_) {
    if (const auto* n = std::get_if<AttributeName>(&step)) {
      if (!out.empty()) out += '.';
      out += n->name;
    } else if (const auto* i = std::get_if<ElementIndex>(&step)) {
      out += "[" + std::to_string(i->index) + "]";
    } else {
      out += "[" + internal::JsonQuote(std::get<ElementKey>(step).key) + "]";
    }
  }
  return out;
}

}  // namespace tf
