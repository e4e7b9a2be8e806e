#include "engine/backtest_runner.hpp"

#include <memory>

#include "analysis/analyst_factory.hpp"
#include "core/clock_logger.hpp"
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

  struct Cursor {
    const CandleSeries* hourly = nullptr;
    const CandleSeries* minutes = nullptr;
    std::size_t next = 0;
    std::size_t next_minute = 0;
  };
  std::vector<Cursor> cursors;
  for (const auto& s : symbols) {
    Cursor c;
    c.hourly = market.Series(s, kHourMs);
    if (settings.exchange.use_minute_candles) c.minutes = market.Series(s, kMinuteMs);
    while (c.next < c.hourly->candles.size() && c.hourly->candles[c.next].open_time < in.from)
      ++c.next;
    cursors.push_back(c);
  }

  BacktestResult result;
  result.starting_equity = settings.capital.starting_capital;
  const TimeMs first_hour = in.from - ((in.from % kHourMs) + kHourMs) % kHourMs;
  const std::int64_t total_hours = (in.to - first_hour + kHourMs - 1) / kHourMs;
  result.equity.reserve(static_cast<std::size_t>(total_hours));
  const std::int64_t progress_step = std::max<std::int64_t>(1, total_hours / 200);
  std::int64_t hour_no = 0;
  for (TimeMs hour = first_hour; hour < in.to; hour += kHourMs, ++hour_no) {
    clock.AdvanceTo(hour + kHourMs);
    for (std::size_t i = 0; i < cursors.size(); ++i) {
      Cursor& c = cursors[i];
      const auto& candles = c.hourly->candles;
      if (c.next >= candles.size() || candles[c.next].open_time != hour) continue;
      const Candle& candle = candles[c.next];
      std::span<const Candle> minutes;
      if (c.minutes != nullptr) {
        const auto& mc = c.minutes->candles;
        while (c.next_minute < mc.size() && mc[c.next_minute].open_time < hour) ++c.next_minute;
        std::size_t end = c.next_minute;
        while (end < mc.size() && mc[end].open_time < hour + kHourMs) ++end;
        if (end - c.next_minute == 60) {  // only a complete hour of minutes can refine it
          minutes = std::span<const Candle>(mc.data() + c.next_minute, 60);
          result.n_minute_candles += 60;
        }
        c.next_minute = end;
      }
      exchange.OnCandle(symbols[i], candle, static_cast<std::int64_t>(c.next), minutes);
      engine.MonitorPositions(symbols[i], candle);
      ++c.next;
      ++result.n_candles;
    }
    engine.RunCycle();
    result.equity.push_back({clock.Now(), engine.MarkEquity()});
    if (in.progress && hour_no % progress_step == 0) {
      in.progress(static_cast<double>(hour_no) / static_cast<double>(total_hours));
    }
  }
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
