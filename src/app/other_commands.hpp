#pragma once
// The small subcommands of `osprey`. Each returns the process exit code (0 ok, 1 runtime error,
// 2 bad input).
//   config check  validates a config file and prints a one-line verdict (or every problem)
//   trades        lists the trades of a trade store
//   risk show     prints the persisted risk state (circuit breakers)
//   risk reset    clears a HALTED state after a person has reviewed it

#include <string>

namespace osprey {

int RunConfigCheck(const std::string& path);
int RunTradesCommand(const std::string& db_path, bool json);
int RunRiskShow(const std::string& db_path);
int RunRiskReset(const std::string& db_path, const std::string& equity);

}  // namespace osprey
