#pragma once
// SimulatedExchange: a Binance-like spot exchange in memory, for backtests, paper trading and
// tests. It enforces the symbol filters with Binance's error codes (-1013 PRICE_FILTER /
// LOT_SIZE / NOTIONAL, -1121 unknown symbol, -2010 insufficient balance or duplicate id, -2011
// unknown order), fills MARKET orders at the last close with configurable slippage, matches
// resting LIMIT and STOP_LOSS orders (and OCO pairs of them) against each candle's high/low,
// charges a fee per fill and never lets a balance go negative.
//
// Invariants, whatever the options and filters: every fill lies inside the [low, high] of the bar
// it happens in (the minute when minutes are replayed, else the hour; a market order's bar is the
// last candle fed), so a price is never zero or negative; slippage and tick rounding move a fill
// against the taker only as far as the bar traded. The one exception is asked for by name:
// GapFill::kLevel, the reference strategy's rule R6, fills an order gapped through at exactly its
// level, which can lie outside the bar; even then the fill lies between the bar and that level.
//
// Intrabar order: when one candle touches both a stop and a take-profit, the stop fills first
// (pessimistic), unless the 1-minute candles of that hour are passed to OnCandle(); then the
// minutes are replayed in order (stop first within a minute).
// Not thread-safe: driven by the backtest loop on the engine thread.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "core/candle.hpp"
#include "core/clock.hpp"
#include "core/small_string_map.hpp"
#include "exchange/exchange.hpp"

namespace osprey {

struct SimulatedExchangeOptions {
  Decimal fee_rate = Dec("0.001");  // fraction of the fill's notional
  FeeAsset buy_fee_asset = FeeAsset::kQuote;
  Decimal slippage_rate;  // fraction; market and stop fills move against the taker
  GapFill gap_fill = GapFill::kOpen;
  bool apply_filters = true;
  TimeMs candle_interval_ms = kHourMs;
};

// Options from the [exchange] section of the settings.
SimulatedExchangeOptions SimulatedExchangeOptionsFrom(const ExchangeSettings& settings);

class SimulatedExchange final : public Exchange {
 public:
  SimulatedExchange(const Clock& clock, SimulatedExchangeOptions options,
                    std::vector<SymbolInfo> symbols);

  // Credits `amount` of `asset` (the starting capital).
  void Deposit(std::string_view asset, Decimal amount);
  // Feeds a closed candle of `symbol` (row `index` of its file): resting orders are matched
  // against it, or against `minutes` (that hour's 1m candles, ascending) when non-empty; then
  // the symbol's last price becomes candle.close. Unknown symbols are ignored.
  void OnCandle(std::string_view symbol, const Candle& candle, std::int64_t index,
                std::span<const Candle> minutes = {});
  // Last price seen for `symbol` (zero before its first candle).
  Decimal LastPrice(std::string_view symbol) const;
  // Open orders of `symbol`, in placement order.
  std::vector<OrderState> OpenOrders(std::string_view symbol) const;

  Result<SymbolInfo> GetSymbolInfo(std::string_view symbol) override;
  Result<OrderState> PlaceOrder(const OrderRequest& request) override;
  Result<OrderState> CancelOrder(std::string_view symbol,
                                 std::string_view client_order_id) override;
  Result<Decimal> FreeBalance(std::string_view asset) override;
  Result<Decimal> TotalBalance(std::string_view asset) override;
  std::vector<ExecutionEvent> PollEvents() override;

 private:
  struct Balance {
    Decimal free;
    Decimal locked;
  };
  struct RestingOrder {
    OrderState state;
    Decimal locked;  // what this order holds of free balance (shared legs of an OCO hold it once)
  };
  struct Market {
    SymbolInfo info;
    Decimal last_price;  // the last candle's close, low and high: market orders fill inside them
    Decimal last_low;
    Decimal last_high;
    std::vector<RestingOrder> open;  // placement order
  };
  struct Bar {
    const Candle* candle;
    TimeMs fill_time;
  };

  OrderState Reject(const OrderRequest& request, std::string reason);
  std::string CheckFilters(const Market& market, const OrderRequest& request, Decimal price,
                           Decimal quantity) const;
  OrderState ExecuteMarket(Market& market, const OrderRequest& request);
  void MatchBar(Market& market, const Bar& bar, TimeMs hour_open, std::int64_t index);
  // Executes resting order `i` of `market` at `price`, removing it (and its OCO sibling).
  void FillResting(Market& market, std::size_t i, Decimal price, TimeMs time, TimeMs hour_open,
                   std::int64_t index);
  void Settle(const Market& market, Side side, Decimal price, Decimal quantity, Fill& fill);
  Balance& BalanceOf(std::string_view asset);
  Decimal Slipped(const Market& market, Side side, Decimal price) const;

  const Clock& clock_;
  SimulatedExchangeOptions options_;
  SmallStringMap<Market> markets_;
  // Every market's base and quote asset is created up front, so references returned by
  // BalanceOf() for them stay valid (only Deposit() of a new asset inserts).
  SmallStringMap<Balance> balances_;
  std::map<std::string, bool, std::less<>> used_client_ids_;
  std::vector<ExecutionEvent> events_;
  std::int64_t next_order_id_ = 1;
  std::int64_t next_trade_id_ = 1;
};

}  // namespace osprey
