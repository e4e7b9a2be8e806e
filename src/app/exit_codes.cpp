#include "app/exit_codes.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "config/secrets.hpp"
#include "core/one_line.hpp"

namespace osprey {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kConfig:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound: return kExitUsage;
    case ErrorCode::kParse:
    case ErrorCode::kOutOfRange:
    case ErrorCode::kOverflow:
    case ErrorCode::kIo:
    case ErrorCode::kData:
    case ErrorCode::kRejected:
    case ErrorCode::kStore:
    case ErrorCode::kInternal:
    case ErrorCode::kTimeout:
    case ErrorCode::kUnavailable:
    case ErrorCode::kRateLimited: return kExitFailure;
  }
  return kExitFailure;
}

int ReportError(std::string_view command, const Error& error) {
  // A config error lists its problems one per line, each naming its file or flag: they are
  // printed as they are. Anything else gets the command's name in front.
  const std::string text = RedactSecretLookingText(
      error.code == ErrorCode::kConfig
          ? fmt::format("{}\n", error.message)
          : fmt::format("osprey {}: {}\n", command, OneLine(error.message)));
  std::fputs(text.c_str(), stderr);
  return ExitCodeFor(error.code);
}

void ReportWarning(std::string_view command, std::string_view message) {
  const std::string text =
      RedactSecretLookingText(fmt::format("osprey {}: warning: {}\n", command, OneLine(message)));
  std::fputs(text.c_str(), stderr);
}

}  // namespace osprey
