#pragma once
// CancelToken: a shared flag that an asker sets to tell work on other threads to stop. Copies
// share the flag; Cancel() is sticky (never un-cancelled). Thread-safe: any thread may cancel or
// read at any time; a copy stays valid after the asker is gone.

#include <atomic>
#include <memory>

namespace osprey {

class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void Cancel() const { flag_->store(true, std::memory_order_release); }
  bool Cancelled() const { return flag_->load(std::memory_order_acquire); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace osprey
