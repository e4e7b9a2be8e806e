#include "app/backtest_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/backtest_json.hpp"
#include "app/progress_bar.hpp"
#include "app/spdlog_logger.hpp"
#include "config/settings_loader.hpp"
#include "engine/backtest_runner.hpp"
#include "engine/bias_check.hpp"
#include "market/history_market_data.hpp"
#include "monitor/html_report.hpp"
#include "monitor/metrics.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {
namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

int Complain(int code, const std::string& message) {
  std::fprintf(stderr, "osprey backtest: %s\n", message.c_str());
  return code;
}

bool ValidSymbol(const std::string& s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

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

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

int RunBacktestCommand(const BacktestArgs& args) {
  auto loaded = LoadSettingsFile(args.config);
  if (!loaded) return Complain(kExitUsage, loaded.error().message);
  Settings settings = *loaded;
  if (args.symbols) {
    settings.data.symbols = SplitList(*args.symbols);
    if (settings.data.symbols.empty()) return Complain(kExitUsage, "--symbols: no symbol given");
    for (const auto& s : settings.data.symbols) {
      if (!ValidSymbol(s)) {
        return Complain(kExitUsage, "--symbols: '" + s + "' is not a symbol like BTCUSDT");
      }
    }
  }
  if (args.analyst) settings.ai.analysts = SplitList(*args.analyst);
  if (args.data) settings.data.dir = *args.data;
  if (args.from) settings.backtest.from = *args.from;
  if (args.to) settings.backtest.to = *args.to;
  if (args.out) settings.backtest.out_dir = *args.out;
  auto from = ParseIsoUtc(settings.backtest.from);
  if (!from) return Complain(kExitUsage, "--from: " + from.error().message);
  auto to = ParseIsoUtc(settings.backtest.to);
  if (!to) return Complain(kExitUsage, "--to: " + to.error().message);
  if (*to <= *from) return Complain(kExitUsage, "--to must be after --from");
  if (args.bias_check < 0) return Complain(kExitUsage, "--bias-check must be >= 0");

  auto series = LoadHistoryDir(settings.data.dir, settings.data.symbols,
                               settings.exchange.use_minute_candles);
  if (!series) return Complain(kExitRuntime, series.error().message);

  BacktestReportContext ctx;
  ctx.config_path = args.config;
  ctx.data_dir = settings.data.dir;
  ctx.symbols = settings.data.symbols;
  ctx.analysts = settings.ai.analysts;
  ctx.from = *from;
  ctx.to = *to;
  BacktestInput input;
  input.settings = &settings;
  for (auto& s : *series) {
    if (s.interval_ms == kHourMs) {
      ctx.n_gaps += static_cast<std::int64_t>(s.gaps.size());
      for (const auto& g : s.gaps) ctx.n_missing_bars += g.missing_bars;
      input.hourly.push_back(std::move(s));
    } else {
      input.minutes.push_back(std::move(s));
    }
  }
  input.from = *from;
  input.to = *to;
  input.analysts = settings.ai.analysts;

  namespace fs = std::filesystem;
  const fs::path out = settings.backtest.out_dir;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec)
    return Complain(kExitRuntime,
                    "cannot create output directory " + out.string() + ": " + ec.message());
  for (const char* stale : {"osprey.db", "osprey.db-wal", "osprey.db-shm"})
    fs::remove(out / stale, ec);
  auto store = SqliteTradeStore::Open((out / "osprey.db").string());
  if (!store) return Complain(kExitRuntime, store.error().message);
  auto logger = SpdlogLogger::Open((out / "osprey.log").string(), LogLevel::kInfo, !args.json);
  if (!logger) return Complain(kExitRuntime, logger.error().message);
  input.store = store->get();
  input.logger = logger->get();
  ProgressBar bar("backtest");
  input.progress = [&bar](double f) { bar.Update(f); };

  const auto started = std::chrono::steady_clock::now();
  auto result = RunBacktest(input);
  const auto finished = std::chrono::steady_clock::now();
  bar.Update(1.0);
  if (!result) return Complain(kExitRuntime, result.error().ToString());
  result->wall_time_s = std::chrono::duration<double>(finished - started).count();

  std::optional<BiasCheckResult> bias;
  if (args.bias_check > 0) {
    ProgressBar bias_bar("bias check");
    bias_bar.Update(0);
    auto checked = RunBiasCheck(input, *result, args.bias_check);
    if (!checked) return Complain(kExitRuntime, "bias check: " + checked.error().ToString());
    bias = *checked;
  }

  std::vector<EquityPoint> curve;
  curve.reserve(result->equity.size());
  for (const auto& e : result->equity) curve.push_back({e.time, e.equity.ToDouble()});
  std::vector<TradeRecord> all_trades = result->trades;
  const PerformanceMetrics metrics =
      ComputeMetrics(all_trades, curve, result->starting_equity.ToDouble());

  const auto json = BacktestToJson(ctx, *result, metrics, bias);
  {
    std::ofstream f(out / "result.json");
    f << json.dump(2) << "\n";
    if (!f) return Complain(kExitRuntime, "cannot write " + (out / "result.json").string());
  }
  HtmlReportInput report;
  report.title = "Osprey backtest " + FormatDateUtc(*from) + " .. " + FormatDateUtc(*to);
  report.summary = SummaryRows(ctx, *result, metrics);
  // The report must be byte-identical between runs: drop the timing row.
  report.summary.pop_back();
  report.equity = curve;
  report.trades = all_trades;
  report.monthly =
      ComputePeriods(all_trades, curve, result->starting_equity.ToDouble(), Period::kMonth);
  {
    std::ofstream f(out / "report.html");
    f << RenderHtmlReport(report);
    if (!f) return Complain(kExitRuntime, "cannot write " + (out / "report.html").string());
  }

  if (args.json) {
    std::cout << json.dump() << "\n";
    return 0;
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
      fmt::format("{}/osprey.db, {}/report.html, {}/result.json, {}/osprey.log", out.string(),
                  out.string(), out.string(), out.string()));
  return bias && bias->changed > 0 ? kExitRuntime : 0;
}

}  // namespace osprey
