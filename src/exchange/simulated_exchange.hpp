#pragma once
// SimulatedExchange: a Binance-like spot exchange in memory, for backtests, paper trading and
// tests. It implements the Exchange port as a venue would: every request is acknowledged
// (accepted, or rejected with Binance's code and text: -1013 PRICE_FILTER / LOT_SIZE / NOTIONAL,
// -1121 unknown symbol, -1102 / -1106 malformed request, -2010 insufficient balance, duplicate id,
// a stop that would trigger immediately or an OCO whose prices are in the wrong order, -2011
// unknown order) and every change of an accepted order arrives as an ExecutionReport:
//   MARKET      NEW, then TRADE (FILLED, or PARTIALLY_FILLED and then EXPIRED for the rest when
//               volume participation limits it), at once or, with entry latency, when the bar
//               holding the fill instant is fed (meanwhile it holds its estimated cost, cannot be
//               cancelled (-2011), and EXPIRES with the -2010 text if its price outgrew the
//               balance);
//   LIMIT/STOP  NEW on placement, one TRADE per fill (PARTIALLY_FILLED .. FILLED), CANCELED for
//               a caller's cancel or an OCO sibling, EXPIRED for a triggered stop's unfilled rest
//               or an ExpireOrder() fault.
// An OCO list is one request holding the base balance once; when a leg executes (even partly)
// or the stop triggers, the exchange cancels the other leg. Every order ever accepted stays
// queryable by client id. Balances never go negative.
//
// Invariants, whatever the options and filters: every fill lies inside the [low, high] of the bar
// it happens in (the minute when minutes are replayed, else the hour; an immediate market order's
// bar is the last candle fed), so a price is never zero or negative; slippage and tick rounding
// move a fill against the taker only as far as the bar traded. The one exception is asked for by
// name: GapFill::kLevel, the reference strategy's rule R6, fills an order gapped through at
// exactly its level, which can lie outside the bar; even then the fill lies between the bar and
// that level.
//
// Intrabar order: when one candle touches both a stop and a take-profit, the stop fills first
// (pessimistic), unless the 1-minute candles of that hour are passed to OnCandle(); then the
// minutes are replayed in order (stop first within a minute). Deterministic: no clock reads
// beyond the injected Clock, no randomness.
// Not thread-safe: driven by the backtest loop on the engine thread.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/settings.hpp"
#include "core/candle.hpp"
#include "core/clock.hpp"
#include "core/small_string_map.hpp"
#include "exchange/exchange.hpp"

namespace osprey {

// SimulatedExchangeOptionsFrom() maps the [exchange] settings onto these. The defaults here are
// the settings' defaults except that participation is unlimited (tests feed made-up volumes).
struct SimulatedExchangeOptions {
  Decimal fee_rate = Dec("0.001");  // fraction of the fill's notional
  FeeAsset buy_fee_asset = FeeAsset::kQuote;
  Decimal slippage_rate;  // fraction; market and stop fills move against the taker
  GapFill gap_fill = GapFill::kOpen;
  bool apply_filters = true;
  TimeMs candle_interval_ms = kHourMs;
  // A resting LIMIT sell fills when the high trades through its price (a BUY: the low below it),
  // or on a touch (reference R6).
  TakeProfitFillRule take_profit_fill = TakeProfitFillRule::kThrough;
  // Fraction (0.1 = 10%) of each matching bar's base volume that our orders of a symbol may fill
  // in that bar together; zero = no limit. A resting order keeps its rest open for later bars; a
  // market order (or a triggered stop, which is one) fills what the bar allows and the rest
  // EXPIRES, as Binance expires a MARKET order that runs out of liquidity.
  Decimal volume_participation;
  // Reject a STOP_LOSS that would trigger at once (SELL: stop >= last price) and an OCO whose
  // prices are not limit > last > stop, with Binance's -2010 texts. Off reproduces the reference.
  bool reject_immediate_trigger = true;
  // A MARKET order fills at the price this long after it is placed (0: at once, at the last
  // close): from the 1-minute candle holding that instant when minutes are fed (its open when
  // the instant is the minute's start, else the worse of its open and close for the taker),
  // else at the open of the next hourly bar. Its NEW report comes at once, its TRADE when that
  // bar is fed.
  TimeMs entry_latency_ms = 0;
  // Pay every fee in BNB at a 25% discount (Binance's "use BNB for fees"), converted at the last
  // close of BNB<quote> when that market is fed, else at `bnb_price` (in the quote asset). A fill
  // the BNB balance cannot pay is charged in the usual asset at the full rate, as on Binance.
  // With no BNB price at all, orders are rejected (-2010) rather than charged at a made-up rate.
  bool fees_in_bnb = false;
  Decimal bnb_price;
};

// Options from the [exchange] section of the settings.
SimulatedExchangeOptions SimulatedExchangeOptionsFrom(const ExchangeSettings& settings);

class SimulatedExchange final : public Exchange {
 public:
  SimulatedExchange(const Clock& clock, SimulatedExchangeOptions options,
                    std::vector<SymbolInfo> symbols);

  // Credits `amount` of `asset` (the starting capital).
  void Deposit(std::string_view asset, Decimal amount);
  // Feeds a closed candle of `symbol` (row `index` of its file): pending market orders due in it
  // fill, and resting orders are matched against it, or against `minutes` (that hour's 1m
  // candles, ascending) when non-empty; then the symbol's last price becomes candle.close.
  // Unknown symbols are ignored.
  void OnCandle(std::string_view symbol, const Candle& candle, std::int64_t index,
                std::span<const Candle> minutes = {});
  // Last price seen for `symbol` (zero before its first candle).
  Decimal LastPrice(std::string_view symbol) const;

  // Fault injection, as the venue does it (maintenance, self-trade prevention, delisting): the
  // open order `client_order_id` (with its OCO sibling) ends EXPIRED or CANCELED by the
  // exchange, its balance is released and the reports are queued. kNotFound when no such order
  // is open.
  [[nodiscard]] Result<OrderState> ExpireOrder(std::string_view client_order_id);
  [[nodiscard]] Result<OrderState> CancelByExchange(std::string_view client_order_id);

  Result<SymbolInfo> GetSymbolInfo(std::string_view symbol) override;
  OrderAck PlaceOrder(const OrderRequest& request) override;
  OrderAck PlaceOco(const OcoRequest& request) override;
  OrderAck CancelOrder(std::string_view symbol, std::string_view client_order_id) override;
  Result<OrderState> QueryOrder(std::string_view symbol, std::string_view client_order_id) override;
  Result<std::vector<OrderState>> OpenOrders(std::string_view symbol) override;
  Result<AccountSnapshot> Account() override;
  Result<Decimal> FreeBalance(std::string_view asset) override;
  Result<Decimal> TotalBalance(std::string_view asset) override;
  std::vector<ExchangeEvent> PollEvents() override;

 private:
  struct Balance {
    Decimal free;
    Decimal locked;
  };
  struct RestingOrder {
    OrderState state;
    Decimal locked;  // what this order holds (an OCO's limit leg holds the list's lock)
    TimeMs due = 0;  // MARKET with latency: the instant it fills at
  };
  struct Market {
    SymbolInfo info;
    Decimal last_price;  // the last candle's close, low and high: market orders fill inside them
    Decimal last_low;
    Decimal last_high;
    Decimal last_budget;             // participation budget left in the last candle fed
    std::vector<RestingOrder> open;  // placement order
  };
  struct Bar {
    const Candle* candle;
    TimeMs fill_time;
    TimeMs hour_open;
    std::int64_t index;
    bool minute;  // a 1-minute bar of a replayed hour
  };
  struct FillAt {
    Decimal price;
    Decimal quantity;
    TimeMs time;
    TimeMs candle_open_time;
    std::int64_t candle_index;
  };

  static OrderAck Rejected(std::string_view reason);
  OrderAck Accepted(const OrderState& state) const;
  std::string CheckFilters(const Market& market, const OrderRequest& request, Decimal price,
                           Decimal quantity) const;
  std::string CheckImmediateTrigger(const Market& market, const OrderRequest& request) const;
  std::string Validate(const Market& market, const OrderRequest& request) const;
  RestingOrder NewOrder(const OrderRequest& request);
  OrderAck PlaceMarket(Market& market, const OrderRequest& request);
  // Fills market order `order` at `price` for at most `budget` (nullptr: unlimited), reporting
  // TRADE and, for an unfilled rest, EXPIRED. Returns the final state.
  OrderState ExecuteMarket(Market& market, RestingOrder order, Decimal price, Decimal* budget,
                           TimeMs time, TimeMs candle_open_time, std::int64_t candle_index);
  // What our orders may fill of `candle` together: its volume times the participation.
  Decimal Budget(const Candle& candle) const;
  Decimal Capped(const Market& market, Decimal quantity, const Decimal* budget) const;
  void MatchBar(Market& market, const Bar& bar);
  void FillDueMarkets(Market& market, const Bar& bar, Decimal* budget);
  // Applies one fill of resting order `i`: settles, updates the order and reports it; a filled
  // order leaves the book. Cancels its OCO sibling.
  void ApplyFill(Market& market, std::size_t i, const FillAt& fill);
  // Ends open order `i` (CANCELED / EXPIRED), releasing its lock, reporting, and removing it.
  void EndOrder(Market& market, std::size_t i, OrderStatus status, std::string_view reason,
                TimeMs time);
  // Moves the OCO list's lock onto open order `client_order_id` and cancels its other leg (the
  // exchange's cancel). Nothing when it has none.
  void CancelSibling(Market& market, std::string_view client_order_id, TimeMs time);
  Result<OrderState> EndByExchange(std::string_view client_order_id, OrderStatus status,
                                   std::string_view reason);
  void Settle(const Market& market, Side side, Decimal price, Decimal quantity, Decimal& commission,
              std::string& commission_asset);
  void Report(const OrderState& state, ExecutionType type, const FillAt* fill = nullptr,
              Decimal commission = {}, std::string commission_asset = {},
              std::int64_t trade_id = -1);
  void Retire(const OrderState& state);
  Balance& BalanceOf(std::string_view asset);
  Decimal Slipped(const Market& market, Side side, Decimal price) const;
  // The BNB price in `market`'s quote asset (zero when none is known).
  Decimal BnbPrice(const Market& market) const;
  // The fee of a fill of `notional` in BNB when BNB pays it (enabled, priced, enough held);
  // zero otherwise.
  Decimal BnbCommission(const Market& market, Decimal notional) const;
  // Whether a buy of `notional` owes its fee in the quote asset on top of the cost.
  bool QuoteFeeOnBuy(const Market& market, Decimal notional) const;
  // The -2010 text when BNB fees are on and no BNB price is known; empty otherwise.
  std::string CheckBnbPrice(const Market& market) const;

  const Clock& clock_;
  SimulatedExchangeOptions options_;
  SmallStringMap<Market> markets_;
  // Every market's base and quote asset is created up front, so references returned by
  // BalanceOf() for them stay valid (only Deposit() of a new asset inserts).
  SmallStringMap<Balance> balances_;
  // Every accepted order by client id: the open ones as placed (their live state is in
  // Market::open), the finished ones as they ended.
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };
  std::unordered_map<std::string, OrderState, IdHash, std::equal_to<>> orders_;
  std::vector<ExchangeEvent> events_;
  std::int64_t next_order_id_ = 1;
  std::int64_t next_trade_id_ = 1;
};

}  // namespace osprey
