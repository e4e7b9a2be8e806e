// The `osprey` command line: parses arguments with CLI11 and hands each subcommand to its runner
// in src/app/. Exit codes: app/exit_codes.hpp.

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/backtest_command.hpp"
#include "app/cli_commands.hpp"
#include "app/exit_codes.hpp"
#include "app/other_commands.hpp"
#include "app/report_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "Osprey: an LLM-assisted crypto trading bot for Binance spot.\n"
      "This build runs backtests on history; live, paper and testnet trading are not part of it."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "osprey 0.1.0");

  osprey::BacktestArgs bt;
  auto* backtest = app.add_subcommand(
      "backtest", "Replay history through the trading engine and report the results");
  backtest->add_option("--config", bt.config, "Config file")->capture_default_str();
  backtest->add_option("--from", bt.from,
                       "First day (UTC, YYYY-MM-DD[THH:MM]); default [backtest] from");
  backtest->add_option("--to", bt.to, "End, exclusive (UTC); default [backtest] to");
  backtest->add_option("--symbols", bt.symbols, "Comma-separated symbols; default [data] symbols");
  backtest->add_option("--analyst", bt.analyst,
                       "Comma-separated analysts: technical, reference; default [ai] analysts");
  backtest->add_option(
      "--data", bt.data,
      "Data folder holding klines/1h/SYMBOL.csv.gz (and optional klines/1m/); default [data] dir");
  backtest->add_option("--out", bt.out, "Output folder; default [backtest] out_dir");
  backtest->add_flag("--json", bt.json, "Print one JSON object instead of the summary");
  backtest->add_option("--bias-check", bt.bias_check,
                       "Re-run up to N decision times with all later data withheld and verify no "
                       "decision changes (0 = off)");

  auto* config = app.add_subcommand("config", "Configuration tools");
  config->require_subcommand(1);
  std::string config_path = "config/osprey.toml";
  auto* check =
      config->add_subcommand("check", "Validate a config file (exit 2 naming every problem)");
  check->add_option("file", config_path, "Config file")->capture_default_str();

  std::string db = "out/backtest/osprey.db";
  bool trades_json = false;
  auto* trades = app.add_subcommand("trades", "List the trades of a trade store");
  trades->add_option("--db", db, "Trade store (SQLite)")->capture_default_str();
  trades->add_flag("--json", trades_json, "Print JSON");

  std::string period;
  auto* report = app.add_subcommand(
      "report", "Print the daily, weekly or monthly performance table of a trade store");
  report->add_option("--period", period, "day, week or month")->required();
  report->add_option("--db", db, "Trade store (SQLite)")->capture_default_str();

  auto* risk = app.add_subcommand("risk", "Show or reset the persisted circuit-breaker state");
  risk->require_subcommand(1);
  auto* risk_show = risk->add_subcommand("show", "Print the risk state");
  risk_show->add_option("--db", db, "Trade store (SQLite)")->capture_default_str();
  std::string equity;
  auto* risk_reset = risk->add_subcommand(
      "reset", "Return a HALTED bot to ACTIVE after review; restarts the drawdown peak");
  risk_reset->add_option("--db", db, "Trade store (SQLite)")->capture_default_str();
  risk_reset->add_option("--equity", equity, "Current account equity (new peak)")->required();

  std::string dotenv = ".env";
  auto* secrets = app.add_subcommand("secrets", "Check the secrets a live command will read");
  secrets->require_subcommand(1);
  auto* secrets_check = secrets->add_subcommand(
      "check",
      "Read the environment and .env as a live command will; refuse a .env readable by "
      "group or others; show which secrets are set (redacted)");
  secrets_check->add_option("--env", dotenv, ".env file")->capture_default_str();

  if (auto unknown = osprey::UnknownCommand(app, argc, argv)) {
    std::fprintf(stderr, "osprey: %s\nRun with --help for more information.\n", unknown->c_str());
    return osprey::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? osprey::kExitOk : osprey::kExitUsage;
  }
  if (backtest->parsed()) return osprey::RunBacktestCommand(bt);
  if (check->parsed()) return osprey::RunConfigCheck(config_path);
  if (trades->parsed()) return osprey::RunTradesCommand(db, trades_json);
  if (report->parsed()) return osprey::RunReportCommand(db, period);
  if (risk_show->parsed()) return osprey::RunRiskShow(db);
  if (risk_reset->parsed()) return osprey::RunRiskReset(db, equity);
  if (secrets_check->parsed()) return osprey::RunSecretsCheck(dotenv);
  return osprey::kExitUsage;
}
