// The simulated exchange's invariants, whatever the options and filters: every fill lies inside
// the bar it happens in (or, in the reference's "level" mode, between the bar and the order's
// level) and is never zero or negative. First the cases a probe found (a coarse tick bought DOGE
// above its candle and sold at 0), then a seeded random search over markets and configurations.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "exchange/simulated_exchange.hpp"

namespace osprey {
namespace {

constexpr TimeMs kT0 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

SymbolInfo Doge(const char* tick) {
  SymbolInfo s;
  s.symbol = "DOGEUSDT";
  s.base_asset = "DOGE";
  s.quote_asset = "USDT";
  s.tick_size = Dec(tick);
  s.step_size = Dec("1");
  s.min_qty = Dec("1");
  s.min_notional = Dec("1");
  return s;
}

OrderRequest Request(std::string id, Side side, OrderType type, Decimal qty, Decimal price = {},
                     std::string list = {}) {
  OrderRequest r;
  r.client_order_id = std::move(id);
  r.symbol = "DOGEUSDT";
  r.side = side;
  r.type = type;
  r.quantity = qty;
  if (type == OrderType::kLimit) r.price = price;
  if (type == OrderType::kStopLoss) r.stop_price = price;
  r.order_list_id = std::move(list);
  return r;
}

OcoRequest Oco(const std::string& list, Decimal qty, Decimal limit, Decimal stop) {
  OcoRequest r;
  r.list_client_id = list;
  r.limit_client_id = list + "t";
  r.stop_client_id = list + "s";
  r.symbol = "DOGEUSDT";
  r.quantity = qty;
  r.limit_price = limit;
  r.stop_price = stop;
  return r;
}

// The TRADE reports among the events since the last poll.
std::vector<ExecutionReport> Trades(SimulatedExchange& ex) {
  std::vector<ExecutionReport> out;
  for (auto& e : ex.PollEvents()) {
    if (e.report.type == ExecutionType::kTrade) out.push_back(std::move(e.report));
  }
  return out;
}

TEST(FillInvariants, ACoarseTickNeverBuysAboveTheCandleNorSellsAtZero) {
  SimulatedClock clock(kT0 + kHourMs);
  SimulatedExchangeOptions o;
  o.slippage_rate = Dec("0.0005");
  SimulatedExchange ex(clock, o, {Doge("0.1")});
  ex.Deposit("USDT", Dec("1000"));
  const Candle c{kT0, Dec("0.0840"), Dec("0.0851"), Dec("0.0832"), Dec("0.0843"), Dec("1")};
  ex.OnCandle("DOGEUSDT", c, 0);
  // 0.0843 x 1.0005 rounds up to the tick 0.1, above everything the hour traded: the fill stays
  // at the candle's high instead.
  const OrderAck buy = ex.PlaceOrder(Request("b", Side::kBuy, OrderType::kMarket, Dec("100")));
  ASSERT_TRUE(buy.accepted());
  ASSERT_EQ(buy.state.status, OrderStatus::kFilled);
  auto events = Trades(ex);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_price, Dec("0.0851"));
  // 0.0843 x 0.9995 rounds down to the tick: 0. The fill stays at the candle's low.
  const OrderAck sell = ex.PlaceOrder(Request("s", Side::kSell, OrderType::kMarket, Dec("100")));
  ASSERT_TRUE(sell.accepted());
  ASSERT_EQ(sell.state.status, OrderStatus::kFilled);
  events = Trades(ex);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_price, Dec("0.0832"));
}

TEST(FillInvariants, SlippageStopsAtTheBarItFillsIn) {
  SimulatedClock clock(kT0 + kHourMs);
  SimulatedExchangeOptions o;
  o.slippage_rate = Dec("0.05");  // 5%: far wider than the bars below
  SimulatedExchange ex(clock, o, {Doge("0.0001")});
  ex.Deposit("DOGE", Dec("100"));
  ex.OnCandle("DOGEUSDT", Candle{kT0, Dec("0.1"), Dec("0.1"), Dec("0.1"), Dec("0.1"), Dec("1")}, 0);
  ASSERT_TRUE(ex.PlaceOco(Oco("L", Dec("100"), Dec("0.2"), Dec("0.09"))).accepted());
  // The stop triggers at 0.09; 5% slippage would sell at 0.0855, below the low 0.089.
  ex.OnCandle(
      "DOGEUSDT",
      Candle{kT0 + kHourMs, Dec("0.095"), Dec("0.096"), Dec("0.089"), Dec("0.09"), Dec("1")}, 1);
  auto events = Trades(ex);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].client_order_id, "Ls");
  EXPECT_EQ(events[0].last_price, Dec("0.089"));
}

// ---- the random search ----

// A bar fed to the exchange: `matching` bars are those resting orders are matched against (the
// minutes of an hour that has them, else the hour); hours are where market orders fill.
struct Bar {
  TimeMs open_time;
  TimeMs end;
  Decimal low;
  Decimal high;
  bool matching;
};

// A random walk of candles around `price` (all prices on the 1e-8 grid of the data).
Candle RandomCandle(std::mt19937_64& rng, TimeMs open_time, double& price, double volatility) {
  std::normal_distribution<double> step(0.0, volatility);
  std::uniform_real_distribution<double> wick(0.0, volatility);
  const double open = price;
  const double close = std::max(1e-6, open * (1.0 + step(rng)));
  const double high = std::max(open, close) * (1.0 + wick(rng));
  const double low = std::max(1e-7, std::min(open, close) * (1.0 - wick(rng)));
  price = close;
  const auto d = [](double v) {
    return Decimal::FromScaled(static_cast<std::int64_t>(v * 1e8), 8);
  };
  // Volume from 0 to 20: with a participation limit, the 3-unit orders below fill in parts.
  return Candle{open_time, d(open),  d(high),
                d(low),    d(close), Decimal::FromInt(static_cast<std::int64_t>(rng() % 21))};
}

TEST(FillInvariants, RandomMarketsAndConfigsNeverFillOutsideTheBar) {
  std::mt19937_64 rng(20261129);
  const char* ticks[] = {"0", "0.00000001", "0.0001", "0.01", "0.1", "1", "1000000"};
  const char* slippages[] = {"0", "0.0005", "0.01", "0.2"};
  int fills = 0;
  for (int round = 0; round < 400; ++round) {
    SimulatedClock clock(kT0);
    SimulatedExchangeOptions o;
    o.slippage_rate = Dec(slippages[rng() % 4]);
    o.gap_fill = rng() % 2 == 0 ? GapFill::kOpen : GapFill::kLevel;
    o.apply_filters = rng() % 4 != 0;
    o.take_profit_fill = rng() % 2 == 0 ? TakeProfitFillRule::kThrough : TakeProfitFillRule::kTouch;
    const char* participations[] = {"0", "0.1", "0.5"};
    o.volume_participation = Dec(participations[rng() % 3]);
    const TimeMs latencies[] = {0, 5'000, 60'000};
    o.entry_latency_ms = latencies[rng() % 3];
    const Decimal tick = Dec(ticks[rng() % 7]);
    SymbolInfo info = Doge("0");
    info.tick_size = tick;
    info.step_size = Dec("0");
    info.min_qty = Dec("0");
    info.min_notional = Dec("0");
    SimulatedExchange ex(clock, o, {info});
    ex.Deposit("USDT", Dec("1000000000"));
    double price = std::pow(10.0, static_cast<double>(rng() % 9) - 4.0);  // 1e-4 .. 1e4
    const double volatility = 0.002 + 0.05 * static_cast<double>(rng() % 100) / 100.0;
    std::vector<Bar> bars;  // every bar fed, hourly and minute
    std::map<std::string, Decimal> levels;
    int id = 0;
    for (int h = 0; h < 24; ++h) {
      const TimeMs open = kT0 + h * kHourMs;
      clock.AdvanceTo(open + kHourMs);
      const bool with_minutes = rng() % 2 == 0;
      std::vector<Candle> minutes;
      Candle hour;
      if (with_minutes) {
        double p = price;
        for (int m = 0; m < 60; ++m) {
          minutes.push_back(RandomCandle(rng, open + m * kMinuteMs, p, volatility / 8));
        }
        hour = Candle{open,
                      minutes.front().open,
                      minutes.front().high,
                      minutes.front().low,
                      minutes.back().close,
                      Decimal()};
        for (const Candle& m : minutes) {
          hour.high = Max(hour.high, m.high);
          hour.low = Min(hour.low, m.low);
          hour.volume += m.volume;
          bars.push_back({m.open_time, m.open_time + kMinuteMs, m.low, m.high, true});
        }
        price = p;
      } else {
        hour = RandomCandle(rng, open, price, volatility);
      }
      bars.push_back({open, open + kHourMs, hour.low, hour.high, minutes.empty()});
      ex.OnCandle("DOGEUSDT", hour, h, minutes);
      // A market buy at the close, then an OCO around it on the tick grid (or anywhere without
      // filters or tick).
      const Decimal qty = Dec("3");
      const OrderAck bought =
          ex.PlaceOrder(Request("m" + std::to_string(id), Side::kBuy, OrderType::kMarket, qty));
      ASSERT_FALSE(bought.unknown());
      levels["m" + std::to_string(id)] = Decimal();
      // Protect what the account holds (a delayed or partly filled buy may not have arrived).
      if (*ex.FreeBalance("DOGE") < qty) {
        ++id;
        continue;
      }
      const auto on_grid = [&](double v, Rounding mode) {
        Decimal d = Decimal::FromScaled(static_cast<std::int64_t>(std::max(v, 1e-8) * 1e8), 8);
        if (o.apply_filters && tick.IsPositive()) d = d.RoundToStep(tick, mode);
        return d;
      };
      const Decimal tp = on_grid(price * (1.0 + volatility), Rounding::kUp);
      const Decimal sl = on_grid(price * (1.0 - volatility), Rounding::kDown);
      if (!sl.IsPositive()) continue;
      const std::string list = "L" + std::to_string(id);
      ASSERT_FALSE(ex.PlaceOco(Oco(list, qty, tp, sl)).unknown());
      levels[list + "t"] = tp;
      levels[list + "s"] = sl;
      ++id;
    }
    // Every fill: positive, inside the bar that ends at its time (minute or hour), or between
    // that bar and the order's level in "level" mode; market fills inside the last hour fed.
    for (const ExecutionReport& r : Trades(ex)) {
      ++fills;
      const Fill f = r.AsFill();
      ASSERT_TRUE(f.price.IsPositive()) << f.client_order_id;
      const bool market = f.client_order_id.starts_with("m");
      const Decimal level = levels[f.client_order_id];
      bool inside = false;
      int candidates = 0;
      for (const Bar& b : bars) {
        // A market order fills at the close of the last hour fed, or with latency inside the
        // bar holding its fill instant; a resting order at the end of the bar it was matched
        // against.
        const bool its_bar = market ? (o.entry_latency_ms > 0
                                           ? (b.matching && b.open_time <= f.time && f.time < b.end)
                                           : (b.end == f.time && b.end - b.open_time == kHourMs))
                                    : (b.end == f.time && b.matching);
        if (!its_bar) continue;
        ++candidates;
        Decimal lo = b.low;
        Decimal hi = b.high;
        if (!market && o.gap_fill == GapFill::kLevel) {
          lo = Min(lo, level);
          hi = Max(hi, level);
        }
        inside = f.price >= lo && f.price <= hi;
      }
      ASSERT_EQ(candidates, 1) << f.client_order_id;
      ASSERT_TRUE(inside) << "round " << round << ": " << f.client_order_id << " filled at "
                          << f.price.ToString() << " at " << f.time;
    }
  }
  EXPECT_GT(fills, 1000);  // the search exercised the fill paths
}

}  // namespace
}  // namespace osprey
