#include "exchange/simulated_exchange.hpp"

#include <algorithm>
#include <utility>

namespace osprey {
namespace {

constexpr const char* kLotSize = "-1013 Filter failure: LOT_SIZE";
constexpr const char* kPriceFilter = "-1013 Filter failure: PRICE_FILTER";
constexpr const char* kNotional = "-1013 Filter failure: NOTIONAL";
constexpr const char* kBadSymbol = "-1121 Invalid symbol.";
constexpr const char* kInsufficient =
    "-2010 Account has insufficient balance for requested action.";
constexpr const char* kDuplicate = "-2010 Duplicate order sent.";
constexpr const char* kUnknownOrder = "-2011 Unknown order sent.";
constexpr const char* kBadParameters =
    "-1102 Mandatory parameter was not sent, was empty/null, or malformed.";

Decimal Percent(Decimal p) { return Decimal::Div(p, Decimal::FromInt(100)); }

// A fill price inside the bar it happens in. Slippage and tick rounding move a price against the
// taker, but never past what the bar traded: the history has no evidence of a trade there (and a
// tick coarse for the price could otherwise round a sell to zero).
Decimal WithinBar(Decimal price, Decimal low, Decimal high) { return Min(Max(price, low), high); }

}  // namespace

SimulatedExchangeOptions SimulatedExchangeOptionsFrom(const ExchangeSettings& s) {
  SimulatedExchangeOptions o;
  o.fee_rate = Percent(s.fee_percent);
  o.buy_fee_asset = s.entry_fee_asset;
  o.slippage_rate = Percent(s.slippage_percent);
  o.gap_fill = s.gap_fill;
  o.apply_filters = s.apply_symbol_filters;
  return o;
}

SimulatedExchange::SimulatedExchange(const Clock& clock, SimulatedExchangeOptions options,
                                     std::vector<SymbolInfo> symbols)
    : clock_(clock), options_(options) {
  for (auto& info : symbols) {
    std::string name = info.symbol;
    balances_.emplace(info.base_asset, Balance{});
    balances_.emplace(info.quote_asset, Balance{});
    markets_.emplace(std::move(name), Market{std::move(info), Decimal(), Decimal(), Decimal(), {}});
  }
}

void SimulatedExchange::Deposit(std::string_view asset, Decimal amount) {
  OSPREY_CHECK(!amount.IsNegative(), "SimulatedExchange::Deposit: negative amount");
  BalanceOf(asset).free += amount;
}

SimulatedExchange::Balance& SimulatedExchange::BalanceOf(std::string_view asset) {
  auto it = balances_.find(asset);
  if (it == balances_.end()) it = balances_.emplace(std::string(asset), Balance{}).first;
  return it->second;
}

Decimal SimulatedExchange::LastPrice(std::string_view symbol) const {
  auto it = markets_.find(symbol);
  return it == markets_.end() ? Decimal() : it->second.last_price;
}

std::vector<OrderState> SimulatedExchange::OpenOrders(std::string_view symbol) const {
  std::vector<OrderState> out;
  auto it = markets_.find(symbol);
  if (it == markets_.end()) return out;
  for (const auto& o : it->second.open) out.push_back(o.state);
  return out;
}

Result<SymbolInfo> SimulatedExchange::GetSymbolInfo(std::string_view symbol) {
  auto it = markets_.find(symbol);
  if (it == markets_.end()) {
    return Fail(ErrorCode::kNotFound, "symbol '" + std::string(symbol) + "' is not listed");
  }
  return it->second.info;
}

Result<Decimal> SimulatedExchange::FreeBalance(std::string_view asset) {
  auto it = balances_.find(asset);
  return it == balances_.end() ? Decimal() : it->second.free;
}

Result<Decimal> SimulatedExchange::TotalBalance(std::string_view asset) {
  auto it = balances_.find(asset);
  return it == balances_.end() ? Decimal() : it->second.free + it->second.locked;
}

std::vector<ExecutionEvent> SimulatedExchange::PollEvents() { return std::exchange(events_, {}); }

OrderState SimulatedExchange::Reject(const OrderRequest& request, std::string reason) {
  OrderState s;
  s.request = request;
  s.status = OrderStatus::kRejected;
  s.update_time = clock_.Now();
  s.reject_reason = std::move(reason);
  return s;
}

std::string SimulatedExchange::CheckFilters(const Market& market, const OrderRequest& request,
                                            Decimal price, Decimal quantity) const {
  if (!quantity.IsPositive()) return kLotSize;
  if (!options_.apply_filters) return {};
  const SymbolInfo& f = market.info;
  if (request.type != OrderType::kMarket) {
    for (Decimal p : {request.price, request.stop_price}) {
      if (p.IsZero()) continue;
      if (f.tick_size.IsPositive() && !p.IsMultipleOf(f.tick_size)) return kPriceFilter;
    }
  }
  if (quantity < f.min_qty) return kLotSize;
  if (f.max_qty.IsPositive() && quantity > f.max_qty) return kLotSize;
  if (f.step_size.IsPositive() && !quantity.IsMultipleOf(f.step_size)) return kLotSize;
  if (Decimal::Mul(price, quantity) < f.min_notional) return kNotional;
  return {};
}

Decimal SimulatedExchange::Slipped(const Market& market, Side side, Decimal price) const {
  if (options_.slippage_rate.IsZero()) return price;
  const Decimal one = Decimal::FromInt(1);
  const bool buy = side == Side::kBuy;
  Decimal p = Decimal::Mul(price, buy ? one + options_.slippage_rate : one - options_.slippage_rate,
                           buy ? Rounding::kUp : Rounding::kDown);
  if (options_.apply_filters && market.info.tick_size.IsPositive()) {
    p = p.RoundToStep(market.info.tick_size, buy ? Rounding::kUp : Rounding::kDown);
  }
  return p;
}

Result<OrderState> SimulatedExchange::PlaceOrder(const OrderRequest& request) {
  auto mit = markets_.find(request.symbol);
  if (mit == markets_.end()) return Reject(request, kBadSymbol);
  Market& market = mit->second;
  if (request.client_order_id.empty()) return Reject(request, kBadParameters);
  if (used_client_ids_.contains(request.client_order_id)) return Reject(request, kDuplicate);
  if (request.type == OrderType::kMarket) {
    OrderState s = ExecuteMarket(market, request);
    if (s.status != OrderStatus::kRejected) used_client_ids_[request.client_order_id] = true;
    return s;
  }
  const Decimal trigger = request.type == OrderType::kLimit ? request.price : request.stop_price;
  if (!trigger.IsPositive()) return Reject(request, kBadParameters);
  if (std::string why = CheckFilters(market, request, trigger, request.quantity); !why.empty()) {
    return Reject(request, why);
  }
  // What the order reserves: base asset for sells, quote (notional + fee) for buys. The two
  // legs of an OCO share one reservation.
  const bool sell = request.side == Side::kSell;
  const std::string& asset = sell ? market.info.base_asset : market.info.quote_asset;
  Decimal need = sell ? request.quantity
                      : Decimal::Mul(Decimal::Mul(trigger, request.quantity, Rounding::kUp),
                                     Decimal::FromInt(1) + options_.fee_rate, Rounding::kUp);
  bool shares_lock = false;
  if (!request.order_list_id.empty()) {
    for (const auto& o : market.open) {
      if (o.state.request.order_list_id != request.order_list_id) continue;
      if (o.state.request.side != request.side || o.state.request.quantity != request.quantity ||
          o.state.request.type == request.type) {
        return Reject(request,
                      "-1106 Order list legs must be one LIMIT and one STOP_LOSS of the same side "
                      "and quantity.");
      }
      shares_lock = true;
    }
  }
  Balance& bal = BalanceOf(asset);
  if (!shares_lock) {
    if (bal.free < need) return Reject(request, kInsufficient);
    bal.free -= need;
    bal.locked += need;
  }
  RestingOrder r;
  r.state.request = request;
  r.state.order_id = next_order_id_++;
  r.state.status = OrderStatus::kNew;
  r.state.update_time = clock_.Now();
  r.locked = shares_lock ? Decimal() : need;
  if (shares_lock) {
    // Keep the reservation on whichever leg remains: move it to the new leg's sibling record.
    for (auto& o : market.open) {
      if (o.state.request.order_list_id == request.order_list_id) {
        r.locked = std::exchange(o.locked, Decimal());
      }
    }
  }
  used_client_ids_[request.client_order_id] = true;
  market.open.push_back(r);
  return r.state;
}

void SimulatedExchange::Settle(const Market& market, Side side, Decimal price, Decimal quantity,
                               Fill& fill) {
  const Decimal notional = Decimal::Mul(price, quantity);
  Balance& base = BalanceOf(market.info.base_asset);
  Balance& quote = BalanceOf(market.info.quote_asset);
  if (side == Side::kBuy) {
    if (options_.buy_fee_asset == FeeAsset::kBase) {
      fill.commission = Decimal::Mul(quantity, options_.fee_rate, Rounding::kUp);
      fill.commission_asset = market.info.base_asset;
      quote.free -= notional;
      base.free += quantity - fill.commission;
    } else {
      fill.commission = Decimal::Mul(notional, options_.fee_rate, Rounding::kUp);
      fill.commission_asset = market.info.quote_asset;
      quote.free -= notional + fill.commission;
      base.free += quantity;
    }
  } else {
    fill.commission = Decimal::Mul(notional, options_.fee_rate, Rounding::kUp);
    fill.commission_asset = market.info.quote_asset;
    base.free -= quantity;
    quote.free += notional - fill.commission;
  }
  OSPREY_CHECK(!base.free.IsNegative() && !quote.free.IsNegative(),
               "SimulatedExchange: a balance went negative");
}

OrderState SimulatedExchange::ExecuteMarket(Market& market, const OrderRequest& request) {
  if (!market.last_price.IsPositive()) return Reject(request, "-1013 Market has no price yet.");
  const Decimal price = WithinBar(Slipped(market, request.side, market.last_price), market.last_low,
                                  market.last_high);
  Decimal qty = request.quantity;
  if (request.quote_quantity) {
    qty = Decimal::Div(*request.quote_quantity, price, Rounding::kDown);
    if (options_.apply_filters && market.info.step_size.IsPositive()) {
      qty = qty.RoundToStep(market.info.step_size, Rounding::kDown);
    }
  }
  if (std::string why = CheckFilters(market, request, price, qty); !why.empty()) {
    return Reject(request, why);
  }
  const Decimal notional = Decimal::Mul(price, qty);
  if (request.side == Side::kBuy) {
    Decimal need = notional;
    if (options_.buy_fee_asset == FeeAsset::kQuote) {
      need += Decimal::Mul(notional, options_.fee_rate, Rounding::kUp);
    }
    if (BalanceOf(market.info.quote_asset).free < need) return Reject(request, kInsufficient);
  } else if (BalanceOf(market.info.base_asset).free < qty) {
    return Reject(request, kInsufficient);
  }
  Fill fill;
  fill.client_order_id = request.client_order_id;
  fill.symbol = request.symbol;
  fill.side = request.side;
  fill.price = price;
  fill.quantity = qty;
  fill.time = clock_.Now();
  fill.trade_id = next_trade_id_++;
  Settle(market, request.side, price, qty, fill);

  OrderState s;
  s.request = request;
  s.order_id = next_order_id_++;
  s.status = OrderStatus::kFilled;
  s.executed_quantity = qty;
  s.cumulative_quote = notional;
  s.update_time = fill.time;
  events_.push_back({ExecutionEvent::Kind::kFill, request.client_order_id, request.symbol, fill});
  return s;
}

Result<OrderState> SimulatedExchange::CancelOrder(std::string_view symbol,
                                                  std::string_view client_order_id) {
  auto mit = markets_.find(symbol);
  OrderRequest probe;
  probe.symbol = std::string(symbol);
  probe.client_order_id = std::string(client_order_id);
  if (mit == markets_.end()) return Reject(probe, kBadSymbol);
  Market& market = mit->second;
  auto it = std::find_if(market.open.begin(), market.open.end(), [&](const RestingOrder& o) {
    return o.state.request.client_order_id == client_order_id;
  });
  if (it == market.open.end()) return Reject(probe, kUnknownOrder);
  OrderState result = it->state;
  result.status = OrderStatus::kCanceled;
  result.update_time = clock_.Now();
  // Cancelling one leg of an OCO cancels the list (Binance semantics).
  const std::string list = it->state.request.order_list_id;
  for (auto o = market.open.begin(); o != market.open.end();) {
    const bool same = o->state.request.client_order_id == client_order_id ||
                      (!list.empty() && o->state.request.order_list_id == list);
    if (!same) {
      ++o;
      continue;
    }
    if (o->locked.IsPositive()) {
      const bool sell = o->state.request.side == Side::kSell;
      Balance& bal = BalanceOf(sell ? market.info.base_asset : market.info.quote_asset);
      bal.locked -= o->locked;
      bal.free += o->locked;
    }
    if (o->state.request.client_order_id != client_order_id) {
      events_.push_back({ExecutionEvent::Kind::kCanceled,
                         o->state.request.client_order_id,
                         std::string(symbol),
                         {}});
    }
    o = market.open.erase(o);
  }
  return result;
}

void SimulatedExchange::FillResting(Market& market, std::size_t i, Decimal price, TimeMs time,
                                    TimeMs hour_open, std::int64_t index) {
  RestingOrder order = market.open[i];
  const OrderRequest& req = order.state.request;
  // Release the reservation (this leg or its OCO sibling holds it), then settle the fill. The
  // filled leg itself is still in market.open, so its lock is taken from there exactly once.
  Decimal released;
  const std::string list = req.order_list_id;
  for (auto& o : market.open) {
    if (o.state.request.client_order_id == req.client_order_id ||
        (!list.empty() && o.state.request.order_list_id == list)) {
      released += std::exchange(o.locked, Decimal());
    }
  }
  Balance& bal =
      BalanceOf(req.side == Side::kSell ? market.info.base_asset : market.info.quote_asset);
  bal.locked -= released;
  bal.free += released;

  Fill fill;
  fill.client_order_id = req.client_order_id;
  fill.symbol = req.symbol;
  fill.side = req.side;
  fill.price = price;
  fill.quantity = req.quantity;
  fill.time = time;
  fill.candle_open_time = hour_open;
  fill.candle_index = index;
  fill.trade_id = next_trade_id_++;
  Settle(market, req.side, price, req.quantity, fill);
  events_.push_back({ExecutionEvent::Kind::kFill, req.client_order_id, req.symbol, fill});

  // Remove the filled order and cancel its OCO sibling.
  std::vector<RestingOrder> kept;
  kept.reserve(market.open.size());
  for (auto& o : market.open) {
    if (o.state.request.client_order_id == req.client_order_id) continue;
    if (!list.empty() && o.state.request.order_list_id == list) {
      events_.push_back({ExecutionEvent::Kind::kCanceled,
                         o.state.request.client_order_id,
                         o.state.request.symbol,
                         {}});
      continue;
    }
    kept.push_back(std::move(o));
  }
  market.open = std::move(kept);
}

void SimulatedExchange::MatchBar(Market& market, const Bar& bar, TimeMs hour_open,
                                 std::int64_t index) {
  const Candle& c = *bar.candle;
  const bool at_level = options_.gap_fill == GapFill::kLevel;
  // The range a fill may take: the bar's, or in the reference's "level" mode the bar's widened
  // to the order's own level (R6 fills a gapped order at its level, outside the bar).
  const auto BarLow = [&](const Candle& k, Decimal level) {
    return at_level ? Min(k.low, level) : k.low;
  };
  const auto BarHigh = [&](const Candle& k, Decimal level) {
    return at_level ? Max(k.high, level) : k.high;
  };
  // 1. Stops first: the pessimistic assumption when the bar does not say which came first.
  for (std::size_t i = 0; i < market.open.size();) {
    const OrderRequest& r = market.open[i].state.request;
    if (r.type != OrderType::kStopLoss) {
      ++i;
      continue;
    }
    const bool sell = r.side == Side::kSell;
    const bool hit = sell ? c.low <= r.stop_price : c.high >= r.stop_price;
    if (!hit) {
      ++i;
      continue;
    }
    Decimal price = r.stop_price;
    if (!at_level && (sell ? c.open < r.stop_price : c.open > r.stop_price)) price = c.open;
    price = WithinBar(Slipped(market, r.side, price), BarLow(c, r.stop_price),
                      BarHigh(c, r.stop_price));
    FillResting(market, i, price, bar.fill_time, hour_open, index);
    i = 0;  // the list changed (OCO siblings removed): rescan
  }
  // 2. Limits, nearest price first (TP1 before TP2 before TP3 for sells).
  for (;;) {
    std::size_t best = market.open.size();
    for (std::size_t i = 0; i < market.open.size(); ++i) {
      const OrderRequest& r = market.open[i].state.request;
      if (r.type != OrderType::kLimit) continue;
      const bool sell = r.side == Side::kSell;
      if (!(sell ? c.high >= r.price : c.low <= r.price)) continue;
      if (best == market.open.size()) {
        best = i;
        continue;
      }
      const Decimal bp = market.open[best].state.request.price;
      if (sell ? r.price < bp : r.price > bp) best = i;
    }
    if (best == market.open.size()) break;
    const OrderRequest& r = market.open[best].state.request;
    Decimal price = r.price;
    const bool sell = r.side == Side::kSell;
    if (!at_level && (sell ? c.open > r.price : c.open < r.price)) price = c.open;
    FillResting(market, best, WithinBar(price, BarLow(c, r.price), BarHigh(c, r.price)),
                bar.fill_time, hour_open, index);
  }
}

void SimulatedExchange::OnCandle(std::string_view symbol, const Candle& candle, std::int64_t index,
                                 std::span<const Candle> minutes) {
  auto it = markets_.find(symbol);
  if (it == markets_.end()) return;
  Market& market = it->second;
  if (!market.open.empty()) {
    if (minutes.empty()) {
      MatchBar(market, Bar{&candle, candle.open_time + options_.candle_interval_ms},
               candle.open_time, index);
    } else {
      for (const Candle& m : minutes) {
        MatchBar(market, Bar{&m, m.open_time + kMinuteMs}, candle.open_time, index);
        if (market.open.empty()) break;
      }
    }
  }
  market.last_price = candle.close;
  market.last_low = candle.low;
  market.last_high = candle.high;
}

}  // namespace osprey
