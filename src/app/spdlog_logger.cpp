#include "app/spdlog_logger.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace osprey {
namespace {
spdlog::level::level_enum ToSpd(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarning: return spdlog::level::warn;
    case LogLevel::kCritical: return spdlog::level::critical;
  }
  return spdlog::level::info;
}
}  // namespace

Result<std::unique_ptr<SpdlogLogger>> SpdlogLogger::Open(const std::string& path,
                                                         LogLevel file_level, bool console_warnings,
                                                         LogStamp stamp) {
  std::unique_ptr<SpdlogLogger> out(new SpdlogLogger());
  std::vector<spdlog::sink_ptr> sinks;
  try {
    if (!path.empty()) {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, true);
      file->set_level(ToSpd(file_level));
      sinks.push_back(file);
    }
    if (console_warnings) {
      auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
      console->set_level(spdlog::level::warn);
      sinks.push_back(console);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Fail(ErrorCode::kIo, "cannot open log file '" + path + "': " + e.what());
  }
  out->logger_ = std::make_shared<spdlog::logger>("osprey", sinks.begin(), sinks.end());
  out->logger_->set_level(spdlog::level::debug);
  out->logger_->set_pattern(
      stamp == LogStamp::kWallClock ? "%Y-%m-%dT%H:%M:%S.%eZ %-8l %v" : "%-8l %v",
      spdlog::pattern_time_type::utc);
  out->min_level_ = console_warnings && path.empty() ? LogLevel::kWarning : file_level;
  if (sinks.empty()) out->min_level_ = LogLevel::kCritical;
  return out;
}

SpdlogLogger::~SpdlogLogger() {
  if (logger_) logger_->flush();
}

void SpdlogLogger::Log(LogLevel level, std::string_view message) {
  if (!Enabled(level) && level != LogLevel::kCritical) return;
  logger_->log(ToSpd(level), "{}", message);
}

bool SpdlogLogger::Enabled(LogLevel level) const {
  return static_cast<int>(level) >= static_cast<int>(min_level_);
}

}  // namespace osprey
