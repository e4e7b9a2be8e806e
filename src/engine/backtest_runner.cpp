#include "engine/backtest_runner.hpp"

#include <algorithm>
#include <memory>

#include "analysis/analyst_factory.hpp"
#include "core/clock_logger.hpp"
#include "core/simulated_scheduler.hpp"
#include "engine/trading_schedule.hpp"
#include "exchange/simulated_exchange.hpp"
#include "market/history_market_data.hpp"

namespace osprey {

Result<std::vector<SymbolInfo>> SymbolRules(const Settings& settings,
                                            const std::vector<std::string>& symbols) {
  std::vector<SymbolInfo> out;
  const std::string& quote = settings.capital.account_currency;
  for (const auto& s : symbols) {
    auto it = settings.exchange.symbols.find(s);
    if (it != settings.exchange.symbols.end()) {
      SymbolInfo info = it->second;
      info.symbol = s;
      out.push_back(info);
      continue;
    }
    if (settings.exchange.apply_symbol_filters) {
      return Fail(ErrorCode::kConfig, "exchange.symbols." + s +
                                          ": no filters configured for this symbol (needed while "
                                          "exchange.apply_symbol_filters = true)");
    }
    if (s.size() <= quote.size() || s.substr(s.size() - quote.size()) != quote) {
      return Fail(ErrorCode::kConfig, "symbol " + s + " is not quoted in " + quote);
    }
    SymbolInfo info;
    info.symbol = s;
    info.base_asset = s.substr(0, s.size() - quote.size());
    info.quote_asset = quote;
    out.push_back(info);
  }
  return out;
}

Result<BacktestResult> RunBacktest(const BacktestInput& in) {
  OSPREY_CHECK(in.settings && in.store && in.logger, "RunBacktest: missing settings/store/logger");
  const Settings& settings = *in.settings;
  if (in.to <= in.from) return Fail(ErrorCode::kInvalidArgument, "backtest period is empty");
  std::vector<std::string> symbols;
  for (const auto& s : in.hourly) symbols.push_back(s.symbol);
  auto rules = SymbolRules(settings, symbols);
  if (!rules) return std::unexpected(rules.error());
  std::vector<std::unique_ptr<Analyst>> owned;
  std::vector<Analyst*> analyst_ptrs = in.analyst_instances;
  if (analyst_ptrs.empty()) {
    auto made = MakeAnalysts(in.analysts, settings);
    if (!made) return std::unexpected(made.error());
    owned = std::move(*made);
    for (auto& a : owned) analyst_ptrs.push_back(a.get());
  }

  SimulatedClock clock(in.from);
  ClockStampedLogger logger(clock, *in.logger);  // log lines carry simulated time
  std::vector<const CandleSeries*> all;
  for (const auto& h : in.hourly) all.push_back(&h);
  if (settings.exchange.use_minute_candles) {
    for (const auto& m : in.minutes) all.push_back(&m);
  }
  auto created = HistoryMarketData::CreateView(clock, std::move(all));
  if (!created) return std::unexpected(created.error());
  HistoryMarketData& market = *created;
  SimulatedExchange exchange(clock, SimulatedExchangeOptionsFrom(settings.exchange), *rules);
  exchange.Deposit(settings.capital.account_currency, settings.capital.starting_capital);
  TradingEngine engine(settings, clock, market, analyst_ptrs, exchange, *in.store, logger);
  if (auto started = engine.Start(settings.capital.starting_capital); !started) {
    return std::unexpected(started.error());
  }

  BacktestResult result;
  result.starting_equity = settings.capital.starting_capital;
  // The simulated exchange matches resting orders against each candle (and that hour's 1m
  // candles when present and enabled) before the engine's position monitor sees it.
  std::vector<const CandleSeries*> minute_series;
  for (const auto& s : symbols) {
    minute_series.push_back(settings.exchange.use_minute_candles ? market.Series(s, kMinuteMs)
                                                                 : nullptr);
  }
  std::vector<std::size_t> next_minute(symbols.size(), 0);
  std::size_t hint = 0;
  engine.SetCandleHook([&](std::string_view symbol, const Candle& candle, std::int64_t index) {
    std::size_t i = hint;
    if (i >= symbols.size() || symbols[i] != symbol) {
      i = static_cast<std::size_t>(std::find(symbols.begin(), symbols.end(), symbol) -
                                   symbols.begin());
    }
    hint = i + 1;
    std::span<const Candle> minutes;
    if (i < symbols.size() && minute_series[i] != nullptr) {
      const auto& mc = minute_series[i]->candles;
      std::size_t& from = next_minute[i];
      while (from < mc.size() && mc[from].open_time < candle.open_time) ++from;
      std::size_t end = from;
      while (end < mc.size() && mc[end].open_time < candle.open_time + kHourMs) ++end;
      if (end - from == 60) {  // only a complete hour of minutes can refine it
        minutes = std::span<const Candle>(mc.data() + from, 60);
        result.n_minute_candles += 60;
      }
      from = end;
    }
    exchange.OnCandle(symbol, candle, index, minutes);
    ++result.n_candles;
  });

  const TimeMs first_hour = in.from - ((in.from % kHourMs) + kHourMs) % kHourMs;
  const std::int64_t total_hours = (in.to - first_hour + kHourMs - 1) / kHourMs;
  result.equity.reserve(static_cast<std::size_t>(total_hours));
  const std::int64_t progress_step = std::max<std::int64_t>(1, total_hours / 200);
  std::int64_t hour_no = 0;
  // The same timers as live, on simulated time: the first hourly run is the close of the
  // period's first hour (the clock steps just past `from`, whose candles are history).
  SimulatedScheduler scheduler(clock, logger);
  ScheduleOptions schedule;
  schedule.on_mark = [&](TimeMs scheduled, Decimal equity) {
    result.equity.push_back({scheduled, equity});
    if (in.progress && hour_no % progress_step == 0) {
      in.progress(static_cast<double>(hour_no) / static_cast<double>(total_hours));
    }
    ++hour_no;
  };
  clock.AdvanceTo(in.from + 1);
  if (auto scheduled = ScheduleTrading(scheduler, engine, settings, std::move(schedule));
      !scheduled) {
    return std::unexpected(scheduled.error());
  }
  (void)scheduler.RunUntil(first_hour + total_hours * kHourMs);
  if (in.progress) in.progress(1.0);
  if (auto flushed = in.store->Flush(); !flushed) return std::unexpected(flushed.error());

  result.trades = engine.closed_trades();
  for (const auto& [id, p] : engine.orders().active()) result.open_positions.push_back(p.record);
  result.final_equity =
      result.equity.empty() ? result.starting_equity : result.equity.back().equity;
  auto cash = exchange.TotalBalance(settings.capital.account_currency);
  result.final_cash = cash ? *cash : Decimal();
  result.decisions = engine.decisions();
  result.rejections = engine.rejections();
  result.risk = engine.breakers().state();
  return result;
}

}  // namespace osprey
