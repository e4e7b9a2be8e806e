#pragma once
// Naming an unknown command: CLI11 answers `osprey frob` with "A subcommand is required", which
// does not say what was wrong. Not thread-safe (reads the CLI11 app).

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace osprey {

// When the first word after a (sub)command that requires a subcommand is not one of its
// subcommands, the message "unknown command 'frob'; commands: backtest, config, ..." (or 'config
// frob'); otherwise nullopt (CLI11 then parses and reports anything else).
std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, const char* const* argv);

}  // namespace osprey
