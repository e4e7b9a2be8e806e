#include "core/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace osprey {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kParse: return "PARSE";
    case ErrorCode::kOutOfRange: return "OUT_OF_RANGE";
    case ErrorCode::kOverflow: return "OVERFLOW";
    case ErrorCode::kNotFound: return "NOT_FOUND";
    case ErrorCode::kIo: return "IO";
    case ErrorCode::kData: return "DATA";
    case ErrorCode::kConfig: return "CONFIG";
    case ErrorCode::kRejected: return "REJECTED";
    case ErrorCode::kStore: return "STORE";
    case ErrorCode::kInternal: return "INTERNAL";
    case ErrorCode::kTimeout: return "TIMEOUT";
    case ErrorCode::kUnavailable: return "UNAVAILABLE";
    case ErrorCode::kRateLimited: return "RATE_LIMITED";
  }
  return "UNKNOWN";
}

std::string Error::ToString() const { return std::string(ErrorCodeName(code)) + ": " + message; }

void Panic(std::string_view what) {
  std::fprintf(stderr, "osprey: fatal: %.*s\n", static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace osprey
