#pragma once
// Errors as values. Every expected failure (bad input, rejected order, I/O) is returned as an
// `Error` inside `Result<T>`; exceptions are kept for programming errors at start-up.
// `Error::message` always names the thing at fault (a file and line, a config key, a symbol).

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace osprey {

enum class ErrorCode {
  kInvalidArgument,  // a caller passed something that cannot be valid
  kParse,            // text that does not have the expected syntax
  kOutOfRange,       // a value outside its allowed range
  kOverflow,         // arithmetic that does not fit the exact decimal type
  kNotFound,         // a file, symbol or record that does not exist
  kIo,               // the operating system refused a read or write
  kData,             // data that parses but is inconsistent (gaps, duplicates, unsorted)
  kConfig,           // a configuration value that is unknown, mistyped or inconsistent
  kRejected,         // a request the counterparty refused (exchange filters, balances)
  kStore,            // the trade store failed
  kInternal,         // a broken invariant reported instead of aborting
  kTimeout,          // a counterparty did not answer in time: the outcome of the request is unknown
  kUnavailable,      // a counterparty could not be reached or failed (HTTP 5xx, connection lost)
  kRateLimited,      // a counterparty refused for too many requests; see Error::retry_after_ms
};

// Short stable name of a code ("PARSE", "CONFIG", ...), used in logs and messages.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  std::int64_t retry_after_ms = 0;  // kRateLimited: how long the counterparty asked to wait

  // "CODE: message", the form printed to users.
  std::string ToString() const;
};

template <class T>
using Result = std::expected<T, Error>;

// Shorthand for returning a failure: `return Fail(ErrorCode::kParse, "bad price '" + s + "'");`
inline std::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

// Aborts the process with a message: for broken invariants only (crash-only design: a restart
// rebuilds state from the store). Never used for input that comes from outside.
[[noreturn]] void Panic(std::string_view what);

}  // namespace osprey

#define OSPREY_CHECK(cond, what)        \
  do {                                  \
    if (!(cond)) ::osprey::Panic(what); \
  } while (false)
