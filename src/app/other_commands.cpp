#include "app/other_commands.hpp"

#include <fmt/format.h>

#include <iostream>

#include "app/backtest_json.hpp"
#include "app/backtest_setup.hpp"
#include "app/exit_codes.hpp"
#include "config/secrets.hpp"
#include "config/settings_validation.hpp"
#include "core/clock.hpp"
#include "risk/circuit_breakers.hpp"
#include "risk/sizing_summary.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {

int RunConfigCheck(const std::string& path) {
  constexpr std::string_view kCommand = "config check";
  BacktestArgs args;
  args.config = path;
  auto settings = ResolveBacktestSettings(args);
  if (!settings) return ReportError(kCommand, settings.error());
  // The checks a backtest runs before its first hour, against the same candle files.
  auto prepared = PrepareBacktest(*settings, path);
  if (!prepared) return ReportError(kCommand, prepared.error());
  for (const std::string& w : prepared->plan.warnings) ReportWarning(kCommand, w);
  std::cout << fmt::format("{}: OK (mode {}, {} symbols, analysts {}; replays {} .. {})\n", path,
                           ModeName(settings->mode), settings->data.symbols.size(),
                           fmt::join(settings->ai.analysts, ","), FormatIsoUtc(prepared->plan.from),
                           FormatIsoUtc(prepared->plan.to));
  std::cout << FormatSizingSummary(SummarizeSizing(*settings), *settings);
  return kExitOk;
}

int RunTradesCommand(const std::string& db_path, bool json) {
  auto trades = ReadTradesFile(db_path);
  if (!trades) return ReportError("trades", trades.error());
  if (json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& t : *trades) arr.push_back(TradeToJson(t));
    std::cout << arr.dump() << "\n";
    return kExitOk;
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
  return kExitOk;
}

namespace {

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
  auto state = ReadRiskStateFile(db_path);
  if (!state) return ReportError("risk show", state.error());
  if (!state->has_value()) {
    std::cout << "no risk state stored yet\n";
    return kExitOk;
  }
  PrintRisk(state->value());
  return kExitOk;
}

int RunRiskReset(const std::string& db_path, const std::string& equity_text) {
  constexpr std::string_view kCommand = "risk reset";
  auto equity = Decimal::Parse(equity_text);
  if (!equity || !equity->IsPositive() || *equity > Decimal::FromInt(kMaxMoneyUnits)) {
    return ReportError(kCommand, Error{ErrorCode::kInvalidArgument,
                                       fmt::format("--equity: '{}' is not an amount in (0, {}]",
                                                   equity_text, kMaxMoneyUnits)});
  }
  // Refuses a file that is not an Osprey store before writing anything to it.
  auto store = SqliteTradeStore::Open(db_path, StoreAccess::kReadWrite);
  if (!store) return ReportError(kCommand, store.error());
  auto state = (*store)->LoadRiskState();
  if (!state) return ReportError(kCommand, state.error());
  SystemClock clock;
  CircuitBreakers breakers(CircuitBreakerSettings{}, *equity, clock.Now());
  if (state->has_value()) breakers.Restore(state->value());
  const std::string before = breakers.state().status;
  breakers.Reset(clock.Now(), *equity);
  if (auto saved = (*store)->SaveRiskState(breakers.state()); !saved) {
    return ReportError(kCommand, saved.error());
  }
  std::cout << fmt::format("risk state {} -> ACTIVE; equity peak restarted at {}\n", before,
                           equity->ToString());
  return kExitOk;
}

int RunSecretsCheck(const std::string& dotenv_path) {
  auto secrets = LoadSecrets(CurrentEnvironment(), dotenv_path);
  if (!secrets) return ReportError("secrets check", secrets.error());
  const auto show = [](std::string_view name, const std::string& value) {
    std::cout << fmt::format("  {:<28}{}\n", name, value.empty() ? "not set" : Redact(value));
  };
  std::cout << fmt::format("{}: OK (private to its owner, or absent)\n", dotenv_path);
  show("OSPREY_BINANCE_API_KEY", secrets->binance_api_key);
  show("OSPREY_BINANCE_API_SECRET", secrets->binance_api_secret);
  show("ANTHROPIC_API_KEY", secrets->anthropic_api_key);
  show("OSPREY_TELEGRAM_BOT_TOKEN", secrets->telegram_bot_token);
  show("OSPREY_TELEGRAM_CHAT_ID", secrets->telegram_chat_id);
  show("OSPREY_NEWSAPI_KEY", secrets->newsapi_key);
  show("OSPREY_COINGECKO_API_KEY", secrets->coingecko_api_key);
  return kExitOk;
}

}  // namespace osprey
