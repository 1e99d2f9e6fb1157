// Cancellation for in-flight work. StopProvider (protocol 6) and Stop (protocol 5) cancel
// every token handed out so far; long operations poll cancelled() between I/O steps.
#pragma once

#include <atomic>
#include <memory>

namespace tf {

class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  bool cancelled() const { return flag_->load(std::memory_order_acquire); }
  void Cancel() const { flag_->store(true, std::memory_order_release); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace tf
