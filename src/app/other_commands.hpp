#pragma once
// The small subcommands of `osprey`. Each returns the process exit code (app/exit_codes.hpp).
//   config check   runs every check a backtest of the file runs before its first hour (settings,
//                  candle files, period, filters against prices) and prints a one-line verdict
//                  (or every problem)
//   trades         lists the trades of a trade store (opened read-only)
//   risk show      prints the persisted risk state (circuit breakers; read-only)
//   risk reset     clears a HALTED state after a person has reviewed it
//   secrets check  reads the environment and the .env file as a live command will, refuses a
//                  .env readable by group or others, and shows which secrets are set (redacted)

#include <string>

namespace osprey {

int RunConfigCheck(const std::string& path);
int RunTradesCommand(const std::string& db_path, bool json);
int RunRiskShow(const std::string& db_path);
int RunRiskReset(const std::string& db_path, const std::string& equity);
int RunSecretsCheck(const std::string& dotenv_path);

}  // namespace osprey
