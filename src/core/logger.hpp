#pragma once
// Logger: the port for operational log lines. The trading logic logs through it and never knows
// where lines go (spdlog file + console in the app, a vector in tests, nothing in benchmarks).
// Implementations must never receive secrets: callers pass only non-secret text.

#include <string_view>

namespace osprey {

enum class LogLevel { kDebug, kInfo, kWarning, kCritical };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, std::string_view message) = 0;
  // Whether a line at `level` would be kept; lets hot paths skip formatting.
  virtual bool Enabled(LogLevel level) const = 0;
};

class NullLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view) override {}
  bool Enabled(LogLevel) const override { return false; }
};

}  // namespace osprey
