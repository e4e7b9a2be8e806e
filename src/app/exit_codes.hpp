#pragma once
// The exit codes of every `osprey` command, and the one place an error becomes a code and a
// line on stderr, so the same condition gives the same code in every command:
//   0  success
//   1  something failed while running: a file that exists could not be read or is malformed
//      (a candle file's line, a corrupt gzip stream, a corrupt trade-store row), a write failed,
//      the output folder is in use by another run, a bias check found a changed decision
//   2  the request is wrong: a config or argument error (unknown key, value out of range,
//      unknown analyst, duplicate symbol, a symbol without filters or data, dates outside the
//      data), or a path that does not exist or is not the kind of file asked for (a directory,
//      FIFO or device; a database that is not an Osprey trade store or is from a newer Osprey;
//      an --out folder holding other files)
// Thread-safe.

#include <string_view>

#include "core/error.hpp"

namespace osprey {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// kConfig, kInvalidArgument and kNotFound are the request's fault (2); every other code is 1.
int ExitCodeFor(ErrorCode code);

// Prints the error on stderr and returns ExitCodeFor(error.code): a kConfig message as it is (one
// problem per line, each naming its file or flag), anything else as "osprey <command>: <message>".
// Words that look like secrets are withheld either way; a non-config message is printed on one
// line (core/one_line.hpp).
int ReportError(std::string_view command, const Error& error);

// Prints "osprey <command>: warning: <message>" on stderr, secret-looking words withheld.
void ReportWarning(std::string_view command, std::string_view message);

}  // namespace osprey
