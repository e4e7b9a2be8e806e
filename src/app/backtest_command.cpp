#include "app/backtest_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/backtest_json.hpp"
#include "app/exit_codes.hpp"
#include "app/output_folder.hpp"
#include "app/progress_bar.hpp"
#include "app/spdlog_logger.hpp"
#include "engine/backtest_runner.hpp"
#include "engine/bias_check.hpp"
#include "monitor/html_report.hpp"
#include "monitor/metrics.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {
namespace {

std::string Money(double v) { return fmt::format("{:.2f}", v); }
std::string Opt(const std::optional<double>& v, int digits = 2) {
  return v ? fmt::format("{:.{}f}", *v, digits) : std::string("n/a");
}

std::vector<std::pair<std::string, std::string>> SummaryRows(const BacktestReportContext& ctx,
                                                             const BacktestResult& r,
                                                             const PerformanceMetrics& m) {
  const double cps = r.wall_time_s > 0 ? static_cast<double>(r.n_candles) / r.wall_time_s : 0.0;
  return {
      {"Period", FormatIsoUtc(ctx.from) + " .. " + FormatIsoUtc(ctx.to)},
      {"Symbols", fmt::format("{}", fmt::join(ctx.symbols, " "))},
      {"Analysts", fmt::format("{}", fmt::join(ctx.analysts, " "))},
      {"Candles replayed",
       fmt::format("{} hourly, {} minute ({} gaps, {} missing bars in the files)", r.n_candles,
                   r.n_minute_candles, ctx.n_gaps, ctx.n_missing_bars)},
      {"Starting equity", Money(r.starting_equity.ToDouble())},
      {"Final equity", Money(r.final_equity.ToDouble())},
      {"Return", fmt::format("{:+.2f}%", m.return_pct)},
      {"Max drawdown", fmt::format("{:.2f}% ({})", m.max_drawdown_pct, Money(m.max_drawdown_abs))},
      {"Trades", fmt::format("{} closed ({} wins, {} losses), {} still open", m.n_trades, m.wins,
                             m.losses, r.open_positions.size())},
      {"Win rate", fmt::format("{:.2f}%", m.win_rate)},
      {"Profit factor", Opt(m.profit_factor)},
      {"Sharpe / Sortino", Opt(m.sharpe) + " / " + Opt(m.sortino)},
      {"Calmar", Opt(m.calmar)},
      {"Largest win / loss", Money(m.largest_win) + " / " + Money(m.largest_loss)},
      {"Fees paid", Money(m.fees_paid)},
      {"Rejected candidates", fmt::format("{}", r.rejections)},
      {"Risk status at end",
       r.risk.status + (r.risk.halt_reason.empty() ? "" : " (" + r.risk.halt_reason + ")")},
      {"Speed", fmt::format("{:.3f} s, {:.0f} candles/s", r.wall_time_s, cps)},
  };
}

}  // namespace

const std::vector<std::string>& BacktestOutputNames() {
  static const std::vector<std::string> names = {
      "osprey.db",   "osprey.db-wal", "osprey.db-shm", "osprey.db-journal",
      "report.html", "result.json",   "osprey.log"};
  return names;
}

int RunBacktestCommand(const BacktestArgs& args) {
  constexpr std::string_view kCommand = "backtest";
  auto resolved = ResolveBacktestSettings(args);
  if (!resolved) return ReportError(kCommand, resolved.error());
  const Settings settings = *std::move(resolved);

  // Claimed before the data is read, so a second run on the same folder fails at once.
  auto folder = OutputFolder::Claim(settings.backtest.out_dir, BacktestOutputNames());
  if (!folder) return ReportError(kCommand, folder.error());
  auto prepared = PrepareBacktest(settings, args.config);
  if (!prepared) return ReportError(kCommand, prepared.error());
  for (const std::string& w : prepared->plan.warnings) ReportWarning(kCommand, w);

  BacktestReportContext ctx;
  ctx.config_path = args.config;
  ctx.data_dir = settings.data.dir;
  ctx.symbols = settings.data.symbols;
  ctx.analysts = settings.ai.analysts;
  ctx.from = prepared->plan.from;
  ctx.to = prepared->plan.to;
  ctx.n_gaps = prepared->n_gaps;
  ctx.n_missing_bars = prepared->n_missing_bars;
  BacktestInput input;
  input.settings = &settings;
  input.hourly = std::move(prepared->hourly);
  input.minutes = std::move(prepared->minutes);
  input.from = prepared->plan.from;
  input.to = prepared->plan.to;
  input.analysts = settings.ai.analysts;

  namespace fs = std::filesystem;
  const fs::path staging = folder->staging();
  auto store = SqliteTradeStore::Open((staging / "osprey.db").string());
  if (!store) return ReportError(kCommand, store.error());
  // The engine's lines carry simulated time (RunBacktest stamps them); wall time would only make
  // two identical runs' logs differ.
  auto logger = SpdlogLogger::Open((staging / "osprey.log").string(), LogLevel::kInfo, !args.json,
                                   LogStamp::kNone);
  if (!logger) return ReportError(kCommand, logger.error());
  for (const std::string& w : prepared->plan.warnings) (*logger)->Log(LogLevel::kInfo, w);
  input.store = store->get();
  input.logger = logger->get();
  ProgressBar bar("backtest");
  input.progress = [&bar](double f) { bar.Update(f); };

  const auto started = std::chrono::steady_clock::now();
  auto result = RunBacktest(input);
  const auto finished = std::chrono::steady_clock::now();
  bar.Update(1.0);
  if (!result) return ReportError(kCommand, result.error());
  result->wall_time_s = std::chrono::duration<double>(finished - started).count();

  std::optional<BiasCheckResult> bias;
  if (args.bias_check > 0) {
    ProgressBar bias_bar("bias check");
    bias_bar.Update(0);
    auto checked = RunBiasCheck(input, *result, args.bias_check);
    if (!checked) {
      return ReportError(kCommand,
                         Error{checked.error().code, "bias check: " + checked.error().message});
    }
    bias = *checked;
  }

  std::vector<EquityPoint> curve;
  curve.reserve(result->equity.size());
  for (const auto& e : result->equity) curve.push_back({e.time, e.equity.ToDouble()});
  std::vector<TradeRecord> all_trades = result->trades;
  const PerformanceMetrics metrics =
      ComputeMetrics(all_trades, curve, result->starting_equity.ToDouble());

  const auto json = BacktestToJson(ctx, *result, metrics, bias);
  if (auto w = OutputFolder::WriteNewFile(staging / "result.json", json.dump(2) + "\n"); !w) {
    return ReportError(kCommand, w.error());
  }
  HtmlReportInput report;
  report.title = "Osprey backtest " + FormatDateUtc(ctx.from) + " .. " + FormatDateUtc(ctx.to);
  report.summary = SummaryRows(ctx, *result, metrics);
  // The report must be byte-identical between runs: drop the timing row.
  report.summary.pop_back();
  report.equity = curve;
  report.trades = all_trades;
  report.monthly =
      ComputePeriods(all_trades, curve, result->starting_equity.ToDouble(), Period::kMonth);
  if (auto w = OutputFolder::WriteNewFile(staging / "report.html", RenderHtmlReport(report)); !w) {
    return ReportError(kCommand, w.error());
  }
  // Every file closed, then the new outputs replace the old ones in one rename.
  if (auto flushed = (*store)->Flush(); !flushed) return ReportError(kCommand, flushed.error());
  store->reset();
  logger->reset();
  if (auto committed = folder->Commit(); !committed) {
    return ReportError(kCommand, committed.error());
  }

  if (args.json) {
    std::cout << json.dump() << "\n";
    return bias && bias->changed > 0 ? kExitFailure : kExitOk;
  }
  std::cout << "Osprey backtest\n";
  for (const auto& [label, value] : SummaryRows(ctx, *result, metrics)) {
    std::cout << fmt::format("  {:<22}{}\n", label, value);
  }
  if (bias) {
    std::cout << fmt::format(
        "  {:<22}{} re-runs with later data withheld, {} decisions compared, {} changed\n",
        "Bias check", bias->reruns, bias->decisions_compared, bias->changed);
    for (const auto& d : bias->differences) std::cout << "    " << d << "\n";
  }
  std::cout << fmt::format(
      "  {:<22}{}\n", "Written",
      fmt::format("{}/osprey.db, {}/report.html, {}/result.json, {}/osprey.log",
                  settings.backtest.out_dir, settings.backtest.out_dir, settings.backtest.out_dir,
                  settings.backtest.out_dir));
  return bias && bias->changed > 0 ? kExitFailure : kExitOk;
}

}  // namespace osprey
