#include "app/other_commands.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/backtest_json.hpp"
#include "config/settings_loader.hpp"
#include "core/clock.hpp"
#include "risk/circuit_breakers.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {

int RunConfigCheck(const std::string& path) {
  auto settings = LoadSettingsFile(path);
  if (!settings) {
    std::fprintf(stderr, "%s\n", settings.error().message.c_str());
    return 2;
  }
  std::cout << fmt::format("{}: OK (mode {}, {} symbols, analysts {})\n", path,
                           ModeName(settings->mode), settings->data.symbols.size(),
                           fmt::join(settings->ai.analysts, ","));
  return 0;
}

int RunTradesCommand(const std::string& db_path, bool json) {
  auto trades = ReadTradesFile(db_path);
  if (!trades) {
    std::fprintf(stderr, "osprey trades: %s\n", trades.error().message.c_str());
    return trades.error().code == ErrorCode::kNotFound ? 2 : 1;
  }
  if (json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& t : *trades) arr.push_back(TradeToJson(t));
    std::cout << arr.dump() << "\n";
    return 0;
  }
  std::cout << fmt::format("{:<22} {:<9} {:<20} {:>14} {:>14} {:<20} {:>14} {:<14} {:>12} {:>8}\n",
                           "id", "symbol", "entry (UTC)", "entry price", "quantity", "exit (UTC)",
                           "exit price", "reason", "pnl", "pnl %");
  Decimal total;
  for (const auto& t : *trades) {
    const bool closed = t.status == TradeStatus::kClosed;
    if (closed) total += t.pnl;
    std::cout << fmt::format(
        "{:<22} {:<9} {:<20} {:>14} {:>14} {:<20} {:>14} {:<14} {:>12} {:>8}\n", t.id, t.symbol,
        FormatIsoUtc(t.entry_time), t.entry_price.ToString(), t.quantity.ToString(),
        closed ? FormatIsoUtc(t.exit_time) : "open", closed ? t.exit_price.ToFixed(8) : "",
        ExitReasonName(t.exit_reason), closed ? t.pnl.ToFixed(4) : "",
        closed ? fmt::format("{:+.2f}", t.pnl_percent) : "");
  }
  std::cout << fmt::format("{} trades, realised pnl {}\n", trades->size(), total.ToFixed(4));
  return 0;
}

namespace {
Result<std::unique_ptr<SqliteTradeStore>> OpenExisting(const std::string& db_path) {
  if (!std::filesystem::exists(db_path)) {
    return Fail(ErrorCode::kNotFound, "trade store '" + db_path + "' does not exist");
  }
  return SqliteTradeStore::Open(db_path);
}

void PrintRisk(const RiskState& s) {
  std::cout << fmt::format(
      "status {}{}\nconsecutive losses {}\ntrading day {} (start equity {}, realised loss {})\n"
      "equity peak {}\nupdated {}\n",
      s.status,
      s.halt_reason.empty()
          ? ""
          : " (" + s.halt_reason + ")" +
                (s.halted_until ? " until " + FormatIsoUtc(s.halted_until) : " until manual reset"),
      s.consecutive_losses, FormatDateUtc(s.day_start), s.day_start_equity.ToString(),
      s.day_realized_loss.ToString(), s.equity_peak.ToString(), FormatIsoUtc(s.updated));
}
}  // namespace

int RunRiskShow(const std::string& db_path) {
  auto store = OpenExisting(db_path);
  if (!store) {
    std::fprintf(stderr, "osprey risk show: %s\n", store.error().message.c_str());
    return 2;
  }
  auto state = (*store)->LoadRiskState();
  if (!state) {
    std::fprintf(stderr, "osprey risk show: %s\n", state.error().message.c_str());
    return 1;
  }
  if (!state->has_value()) {
    std::cout << "no risk state stored yet\n";
    return 0;
  }
  PrintRisk(state->value());
  return 0;
}

int RunRiskReset(const std::string& db_path, const std::string& equity_text) {
  auto equity = Decimal::Parse(equity_text);
  if (!equity || !equity->IsPositive()) {
    std::fprintf(stderr, "osprey risk reset: --equity: '%s' is not a positive amount\n",
                 equity_text.c_str());
    return 2;
  }
  auto store = OpenExisting(db_path);
  if (!store) {
    std::fprintf(stderr, "osprey risk reset: %s\n", store.error().message.c_str());
    return 2;
  }
  auto state = (*store)->LoadRiskState();
  if (!state) {
    std::fprintf(stderr, "osprey risk reset: %s\n", state.error().message.c_str());
    return 1;
  }
  SystemClock clock;
  CircuitBreakers breakers(CircuitBreakerSettings{}, *equity, clock.Now());
  if (state->has_value()) breakers.Restore(state->value());
  const std::string before = breakers.state().status;
  breakers.Reset(clock.Now(), *equity);
  if (auto saved = (*store)->SaveRiskState(breakers.state()); !saved) {
    std::fprintf(stderr, "osprey risk reset: %s\n", saved.error().message.c_str());
    return 1;
  }
  std::cout << fmt::format("risk state {} -> ACTIVE; equity peak restarted at {}\n", before,
                           equity->ToString());
  return 0;
}

}  // namespace osprey
