#include "core/clock_logger.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace osprey {
namespace {

class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    lines.emplace_back(level, std::string(message));
  }
  bool Enabled(LogLevel level) const override { return level >= LogLevel::kWarning; }
  std::vector<std::pair<LogLevel, std::string>> lines;
};

TEST(ClockStampedLogger, PrefixesEachLineWithTheClocksUtcTime) {
  SimulatedClock clock(1735736400000);  // 2025-01-01T13:00:00Z
  RecordingLogger inner;
  ClockStampedLogger logger(clock, inner);
  logger.Log(LogLevel::kInfo, "entry filled");
  clock.AdvanceTo(1735740000500);
  logger.Log(LogLevel::kCritical, "halted");
  ASSERT_EQ(inner.lines.size(), 2U);
  EXPECT_EQ(inner.lines[0].first, LogLevel::kInfo);
  EXPECT_EQ(inner.lines[0].second, "2025-01-01T13:00:00Z entry filled");
  EXPECT_EQ(inner.lines[1].first, LogLevel::kCritical);
  EXPECT_EQ(inner.lines[1].second, "2025-01-01T14:00:00.500Z halted");
}

TEST(ClockStampedLogger, EnabledIsTheWrappedLoggers) {
  SimulatedClock clock(0);
  RecordingLogger inner;
  ClockStampedLogger logger(clock, inner);
  EXPECT_FALSE(logger.Enabled(LogLevel::kInfo));
  EXPECT_TRUE(logger.Enabled(LogLevel::kWarning));
}

}  // namespace
}  // namespace osprey
