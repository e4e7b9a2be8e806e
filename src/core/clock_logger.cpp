#include "core/clock_logger.hpp"

#include <string>

#include "core/time.hpp"

namespace osprey {

void ClockStampedLogger::Log(LogLevel level, std::string_view message) {
  std::string line = FormatIsoUtc(clock_.Now());
  line += ' ';
  line += message;
  inner_.Log(level, line);
}

}  // namespace osprey
