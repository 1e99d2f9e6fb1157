// Cancellation for in-flight work. StopProvider (protocol 6) and Stop (protocol 5) cancel
// every token handed out so far; long operations poll cancelled() between I/O steps.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

namespace tf {

class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  bool cancelled() const {
    return flag_->load(std::memory_order_acquire) || (also_ && (*also_)());
  }
  void Cancel() const { flag_->store(true, std::memory_order_release); }

  // This token, also cancelled whenever `also` returns true: one RPC's own cancellation
  // (the client went away or its deadline passed), polled. Such a token must not outlive
  // that RPC.
  CancelToken Also(std::function<bool()> also) const {
    CancelToken t = *this;
    if (also) t.also_ = std::make_shared<const std::function<bool()>>(std::move(also));
    return t;
  }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
  std::shared_ptr<const std::function<bool()>> also_;
};

}  // namespace tf
