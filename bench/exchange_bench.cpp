// Cost per candle of the simulated exchange alone, over the shipped BTCUSDT history: a position
// is bought whenever none is open and protected by an OCO (take-profit +3%, stop -3%), so
// nearly every candle is matched against open orders. Variants: hourly candles only, and with
// the 1-minute candles of each hour replayed (where the data has them); each with and without a
// 10% volume-participation limit. File parsing is done once, outside the timed loop.

#include <benchmark/benchmark.h>

#include <span>
#include <string>
#include <vector>

#include "exchange/simulated_exchange.hpp"
#include "market/candle_file.hpp"

#ifndef OSPREY_SOURCE_DIR
#define OSPREY_SOURCE_DIR "."
#endif

namespace {

using osprey::Candle;
using osprey::Dec;
using osprey::Decimal;

struct History {
  std::vector<Candle> hours;
  std::vector<std::span<const Candle>> minutes;  // per hour; empty where the data has none
  std::vector<Candle> all_minutes;
  std::string error;
};

const History& LoadHistory() {
  static const History history = [] {
    History h;
    auto hours = osprey::LoadCandleFile(OSPREY_SOURCE_DIR "/data/klines/1h/BTCUSDT.csv.gz",
                                        "BTCUSDT", osprey::kHourMs);
    auto minutes = osprey::LoadCandleFile(OSPREY_SOURCE_DIR "/data/klines/1m/BTCUSDT.csv.gz",
                                          "BTCUSDT", osprey::kMinuteMs);
    if (!hours || !minutes) {
      h.error = !hours ? hours.error().message : minutes.error().message;
      return h;
    }
    h.hours = std::move(hours->candles);
    h.all_minutes = std::move(minutes->candles);
    std::size_t m = 0;
    for (const Candle& c : h.hours) {
      while (m < h.all_minutes.size() && h.all_minutes[m].open_time < c.open_time) ++m;
      std::size_t end = m;
      while (end < h.all_minutes.size() &&
             h.all_minutes[end].open_time < c.open_time + osprey::kHourMs) {
        ++end;
      }
      h.minutes.emplace_back(h.all_minutes.data() + m, end - m);
      m = end;
    }
    return h;
  }();
  return history;
}

osprey::SymbolInfo Btc() {
  osprey::SymbolInfo s;
  s.symbol = "BTCUSDT";
  s.base_asset = "BTC";
  s.quote_asset = "USDT";
  s.tick_size = Dec("0.01");
  s.step_size = Dec("0.00001");
  s.min_qty = Dec("0.00001");
  s.min_notional = Dec("5");
  return s;
}

// state.range(0): replay minutes (1) or not (0); state.range(1): participation limit on (1).
void BM_ExchangeBtcHistory(benchmark::State& state) {
  const History& h = LoadHistory();
  if (!h.error.empty()) {
    state.SkipWithError(h.error.c_str());
    return;
  }
  const bool with_minutes = state.range(0) != 0;
  osprey::SimulatedExchangeOptions options;
  options.slippage_rate = Dec("0.0005");
  if (state.range(1) != 0) options.volume_participation = Dec("0.1");
  std::int64_t candles = 0;
  std::int64_t fills = 0;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    osprey::SimulatedClock clock(h.hours.front().open_time);
    osprey::SimulatedExchange ex(clock, options, {Btc()});
    ex.Deposit("USDT", Dec("1000000"));
    int id = 0;
    for (std::size_t i = 0; i < h.hours.size(); ++i) {
      const Candle& c = h.hours[i];
      clock.AdvanceTo(c.open_time + osprey::kHourMs);
      ex.OnCandle("BTCUSDT", c, static_cast<std::int64_t>(i),
                  with_minutes ? h.minutes[i] : std::span<const Candle>{});
      candles += 1 + (with_minutes ? static_cast<std::int64_t>(h.minutes[i].size()) : 0);
      for (const auto& e : ex.PollEvents()) {
        fills += e.report.type == osprey::ExecutionType::kTrade ? 1 : 0;
      }
      // Coins held but not free are protected by the open OCO.
      const Decimal held = *ex.FreeBalance("BTC");
      if (held.IsZero() && ex.TotalBalance("BTC")->IsPositive()) continue;
      if (held.IsPositive()) {
        // Whatever an expiry left over is sold, so that the account stays flat between trades.
        osprey::OrderRequest sell;
        sell.client_order_id = "x" + std::to_string(id++);
        sell.symbol = "BTCUSDT";
        sell.side = osprey::Side::kSell;
        sell.quantity = held;
        benchmark::DoNotOptimize(ex.PlaceOrder(sell));
        (void)ex.PollEvents();
        continue;
      }
      osprey::OrderRequest buy;
      buy.client_order_id = "b" + std::to_string(id++);
      buy.symbol = "BTCUSDT";
      buy.quantity = Dec("0.01");
      if (!ex.PlaceOrder(buy).accepted()) continue;
      (void)ex.PollEvents();
      const Decimal qty = *ex.FreeBalance("BTC");
      if (!qty.IsPositive()) continue;
      const Decimal tick = Dec("0.01");
      osprey::OcoRequest oco;
      oco.list_client_id = "L" + std::to_string(id++);
      oco.limit_client_id = oco.list_client_id + "t";
      oco.stop_client_id = oco.list_client_id + "s";
      oco.symbol = "BTCUSDT";
      oco.quantity = qty;
      oco.limit_price = Decimal::Mul(c.close, Dec("1.03")).RoundToStep(tick, osprey::Rounding::kUp);
      oco.stop_price =
          Decimal::Mul(c.close, Dec("0.97")).RoundToStep(tick, osprey::Rounding::kDown);
      benchmark::DoNotOptimize(ex.PlaceOco(oco));
    }
  }
  state.SetItemsProcessed(candles);
  state.counters["fills_per_run"] =
      static_cast<double>(fills) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ExchangeBtcHistory)
    ->ArgNames({"minutes", "participation"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
