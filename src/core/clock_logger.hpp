#pragma once
// ClockStampedLogger: a Logger decorator that prefixes every line with the time of a Clock
// ("2025-01-01T13:00:00Z message"), so a backtest's log carries simulated time rather than the
// wall time the lines happened to be written at. Enabled() is the wrapped logger's. Not
// thread-safe beyond what the clock and the wrapped logger are; both must outlive it.

#include <string_view>

#include "core/clock.hpp"
#include "core/logger.hpp"

namespace osprey {

class ClockStampedLogger final : public Logger {
 public:
  ClockStampedLogger(const Clock& clock, Logger& inner) : clock_(clock), inner_(inner) {}
  // Passes "<FormatIsoUtc(clock.Now())> <message>" to the wrapped logger.
  void Log(LogLevel level, std::string_view message) override;
  bool Enabled(LogLevel level) const override { return inner_.Enabled(level); }

 private:
  const Clock& clock_;
  Logger& inner_;
};

}  // namespace osprey
