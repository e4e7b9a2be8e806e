#pragma once
// Test helpers shared by the simulated exchange's and the fault injector's tests: a BTCUSDT
// market with Binance's filters, candles, requests and a fixture that drains reports.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "exchange/simulated_exchange.hpp"

namespace osprey {

inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }
inline void PrintTo(OrderStatus s, std::ostream* os) { *os << OrderStatusName(s); }
inline void PrintTo(ExecutionType t, std::ostream* os) { *os << ExecutionTypeName(t); }

namespace test {

inline constexpr TimeMs kT0 = 1'709'164'800'000;  // 2024-02-29T00:00:00Z

inline SymbolInfo Btc() {
  SymbolInfo s;
  s.symbol = "BTCUSDT";
  s.base_asset = "BTC";
  s.quote_asset = "USDT";
  s.tick_size = Dec("0.01");
  s.step_size = Dec("0.00001");
  s.min_qty = Dec("0.00001");
  s.min_notional = Dec("5");
  return s;
}

inline Candle Bar(TimeMs open_time, const char* o, const char* h, const char* l, const char* c,
                  const char* volume = "1000") {
  return Candle{open_time, Dec(o), Dec(h), Dec(l), Dec(c), Dec(volume)};
}

inline OrderRequest MarketOrder(std::string id, Side side, const char* qty) {
  OrderRequest r;
  r.client_order_id = std::move(id);
  r.symbol = "BTCUSDT";
  r.side = side;
  r.type = OrderType::kMarket;
  r.quantity = Dec(qty);
  return r;
}

inline OrderRequest LimitOrder(std::string id, Side side, const char* qty, const char* price) {
  OrderRequest r = MarketOrder(std::move(id), side, qty);
  r.type = OrderType::kLimit;
  r.price = Dec(price);
  return r;
}

inline OrderRequest StopOrder(std::string id, Side side, const char* qty, const char* stop) {
  OrderRequest r = MarketOrder(std::move(id), side, qty);
  r.type = OrderType::kStopLoss;
  r.stop_price = Dec(stop);
  return r;
}

// The OCO of list `list`: legs "<list>t" (limit) and "<list>s" (stop).
inline OcoRequest OcoOf(const std::string& list, const char* qty, const char* limit,
                        const char* stop) {
  OcoRequest r;
  r.list_client_id = list;
  r.limit_client_id = list + "t";
  r.stop_client_id = list + "s";
  r.symbol = "BTCUSDT";
  r.quantity = Dec(qty);
  r.limit_price = Dec(limit);
  r.stop_price = Dec(stop);
  return r;
}

// The execution reports among `events` (every event must be one).
inline std::vector<ExecutionReport> Reports(std::vector<ExchangeEvent> events) {
  std::vector<ExecutionReport> out;
  for (auto& e : events) {
    EXPECT_EQ(e.kind, ExchangeEvent::Kind::kExecution);
    out.push_back(std::move(e.report));
  }
  return out;
}

// "NEW a", "TRADE a", ...: the sequence of reports, compact for comparisons.
inline std::vector<std::string> Kinds(const std::vector<ExecutionReport>& reports) {
  std::vector<std::string> out;
  for (const auto& r : reports) {
    out.push_back(std::string(ExecutionTypeName(r.type)) + " " + r.client_order_id);
  }
  return out;
}

// A BTCUSDT exchange at kT0 whose last hour closed at 40000 (range 39000 .. 41000).
class ExchangeFixture : public ::testing::Test {
 protected:
  explicit ExchangeFixture(SimulatedExchangeOptions options = {})
      : clock_(kT0), ex_(clock_, options, {Btc()}) {
    ex_.OnCandle("BTCUSDT", Bar(kT0 - kHourMs, "40000", "41000", "39000", "40000"), 0);
  }
  std::vector<ExecutionReport> Drain() { return Reports(ex_.PollEvents()); }
  Decimal Free(const char* asset) { return *ex_.FreeBalance(asset); }
  Decimal Total(const char* asset) { return *ex_.TotalBalance(asset); }

  SimulatedClock clock_;
  SimulatedExchange ex_;
};

}  // namespace test
}  // namespace osprey
