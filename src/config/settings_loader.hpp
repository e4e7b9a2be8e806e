#pragma once
// Loads Settings from a TOML file (config/osprey.toml; every key in docs/config.md). The file's
// sections and keys mirror the Settings struct; a key that is absent keeps the struct's
// default. Secrets are never read from here (see config/secrets.hpp).
// Pure functions apart from reading the named file; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "core/error.hpp"

namespace osprey {

// A settings file larger than this is refused unread; at most this many problems are listed.
inline constexpr std::size_t kMaxSettingsFileBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxReportedIssues = 200;

// Reads and validates the file at `path`. Only a regular file of at most kMaxSettingsFileBytes
// is read (core/regular_file.hpp): kNotFound when nothing is there, kInvalidArgument for a
// directory, FIFO or device (never blocking on it), kConfig when too large, kIo when the system
// refuses; otherwise as LoadSettingsText with the path as source name.
[[nodiscard]] Result<Settings> LoadSettingsFile(const std::string& path);

// Parses `toml_text` over the defaults and validates the result (settings_validation.hpp).
// On success every value is in range and consistent. On failure the error has code kConfig
// and lists EVERY problem, one per line, as "<source_name>: <dotted.key>: <reason>": TOML
// syntax (as "<source_name>:<line>:<column>: ..."), unknown keys and sections (with the
// closest known key), wrong types (expected and actual), bad values, broken rules, and keys
// that look like secrets (their values never appear in the message). At most
// kMaxReportedIssues lines are listed, then a count of the rest. Each problem is exactly one
// line: control characters from the file (a newline in a quoted value) are shown escaped ("\n").
// No value that looks like a
// secret (config/secrets.hpp LooksLikeSecretValue) appears in the message, whatever key holds it.
[[nodiscard]] Result<Settings> LoadSettingsText(std::string_view toml_text,
                                                std::string_view source_name);

// Every section and key the loader accepts, as dotted paths in file order ("mode", "capital",
// "capital.starting_capital", ...). Per-symbol filters appear once as
// "exchange.symbols.SYMBOL.<key>". For documentation and completeness tests.
std::vector<std::string> KnownSettingsKeys();

}  // namespace osprey
