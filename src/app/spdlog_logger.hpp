#pragma once
// SpdlogLogger: the app's Logger adapter. Writes every line at or above `file_level` to a log
// file and warnings and worse to stderr (unless quiet). Secrets never reach it: callers pass only
// non-secret text (see config/secrets.hpp Redact()). Thread-safe (spdlog _mt sinks).

#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/logger.hpp"

namespace spdlog {
class logger;
}

namespace osprey {

// What spdlog puts before the level: the wall-clock UTC time, or nothing (a backtest, whose
// lines carry the simulated time the caller prefixes: see core/clock_logger.hpp).
enum class LogStamp { kWallClock, kNone };

class SpdlogLogger final : public Logger {
 public:
  // `path` empty: no file. Fails naming the path when the file cannot be opened. Lines are
  // "<stamp> <level> <message>", or "<level> <message>" with LogStamp::kNone.
  static Result<std::unique_ptr<SpdlogLogger>> Open(const std::string& path, LogLevel file_level,
                                                    bool console_warnings, LogStamp stamp);
  void Log(LogLevel level, std::string_view message) override;
  bool Enabled(LogLevel level) const override;
  ~SpdlogLogger() override;

 private:
  SpdlogLogger() = default;
  std::shared_ptr<spdlog::logger> logger_;
  LogLevel min_level_ = LogLevel::kInfo;
};

}  // namespace osprey
