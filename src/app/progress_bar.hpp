#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes,
// files or CI logs). Not thread-safe.

#include <string>

namespace osprey {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void Update(double fraction);

 private:
  std::string label_;
  bool enabled_;
  int last_percent_ = -1;
};

}  // namespace osprey
