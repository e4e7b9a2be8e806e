#include "exchange/simulated_exchange.hpp"

#include <algorithm>
#include <utility>

namespace osprey {
namespace {

constexpr const char* kLotSize = "-1013 Filter failure: LOT_SIZE";
constexpr const char* kPriceFilter = "-1013 Filter failure: PRICE_FILTER";
constexpr const char* kNotional = "-1013 Filter failure: NOTIONAL";
constexpr const char* kNoPrice = "-1013 Market has no price yet.";
constexpr const char* kBadSymbol = "-1121 Invalid symbol.";
constexpr const char* kInsufficient =
    "-2010 Account has insufficient balance for requested action.";
constexpr const char* kDuplicate = "-2010 Duplicate order sent.";
constexpr const char* kWouldTrigger = "-2010 Order would trigger immediately.";
constexpr const char* kOcoPrices =
    "-2010 The relationship of the prices for the orders is not correct.";
constexpr const char* kNoBnbPrice =
    "-2010 Fees in BNB need a BNB price: feed BNB candles of the quote asset or set a BNB "
    "price.";
constexpr const char* kUnknownOrder = "-2011 Unknown order sent.";
constexpr const char* kNoSuchOrder = "-2013 Order does not exist.";
constexpr const char* kBadParameters =
    "-1102 Mandatory parameter was not sent, was empty/null, or malformed.";
constexpr const char* kListIdNotAllowed =
    "-1106 Parameter 'orderListId' sent when not required (an OCO list is one PlaceOco request).";
constexpr const char* kOutOfLiquidity =
    "Market order expired: the bar's volume participation limit was reached.";
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

Decimal Percent(Decimal p) { return Decimal::Div(p, Decimal::FromInt(100)); }

// A fill price inside the bar it happens in. Slippage and tick rounding move a price against the
// taker, but never past what the bar traded: the history has no evidence of a trade there (and a
// tick coarse for the price could otherwise round a sell to zero).
Decimal WithinBar(Decimal price, Decimal low, Decimal high) { return Min(Max(price, low), high); }

// "-2010 Account has ..." -> code -2010 and the text after it.
OrderAck RejectAck(std::string_view reason) {
  OrderAck ack;
  ack.outcome = AckOutcome::kRejected;
  const auto space = reason.find(' ');
  int code = 0;
  std::size_t i = 0;
  bool negative = false;
  if (i < space && reason[i] == '-') {
    negative = true;
    ++i;
  }
  for (; i < space && i < reason.size(); ++i) code = code * 10 + (reason[i] - '0');
  ack.reject_code = negative ? -code : code;
  ack.reject_message = std::string(space == std::string_view::npos ? "" : reason.substr(space + 1));
  return ack;
}

// Index of the open order `id` in `open`, or kNone.
template <class Orders>
std::size_t IndexOf(const Orders& open, std::string_view id) {
  for (std::size_t i = 0; i < open.size(); ++i) {
    if (open[i].state.request.client_order_id == id) return i;
  }
  return kNone;
}

// Index of the other leg of the OCO list of open order `i`, or kNone.
template <class Orders>
std::size_t SiblingOf(const Orders& open, std::size_t i) {
  const std::string& list = open[i].state.request.order_list_id;
  if (list.empty()) return kNone;
  for (std::size_t j = 0; j < open.size(); ++j) {
    if (j != i && open[j].state.request.order_list_id == list) return j;
  }
  return kNone;
}

}  // namespace

SimulatedExchangeOptions SimulatedExchangeOptionsFrom(const ExchangeSettings& s) {
  SimulatedExchangeOptions o;
  o.fee_rate = Percent(s.fee_percent);
  o.buy_fee_asset = s.entry_fee_asset;
  o.slippage_rate = Percent(s.slippage_percent);
  o.gap_fill = s.gap_fill;
  o.apply_filters = s.apply_symbol_filters;
  o.take_profit_fill = s.take_profit_fill;
  o.volume_participation = Percent(s.volume_participation_percent);
  o.reject_immediate_trigger = s.reject_immediate_trigger;
  o.entry_latency_ms = TimeMs{s.entry_latency_seconds} * 1000;
  return o;
}

SimulatedExchange::SimulatedExchange(const Clock& clock, SimulatedExchangeOptions options,
                                     std::vector<SymbolInfo> symbols)
    : clock_(clock), options_(options) {
  for (auto& info : symbols) {
    std::string name = info.symbol;
    balances_.emplace(info.base_asset, Balance{});
    balances_.emplace(info.quote_asset, Balance{});
    Market m;
    m.info = std::move(info);
    markets_.emplace(std::move(name), std::move(m));
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

Result<AccountSnapshot> SimulatedExchange::Account() {
  AccountSnapshot snap;
  snap.time = clock_.Now();
  for (const auto& [asset, b] : balances_) {
    if (b.free.IsZero() && b.locked.IsZero()) continue;
    snap.balances.emplace(asset, AssetBalance{b.free, b.locked});
  }
  return snap;
}

std::vector<ExchangeEvent> SimulatedExchange::PollEvents() { return std::exchange(events_, {}); }

Result<OrderState> SimulatedExchange::QueryOrder(std::string_view symbol,
                                                 std::string_view client_order_id) {
  auto mit = markets_.find(symbol);
  if (mit != markets_.end()) {
    const auto& open = mit->second.open;
    if (const std::size_t i = IndexOf(open, client_order_id); i != kNone) return open[i].state;
  }
  auto it = orders_.find(client_order_id);
  if (it == orders_.end() || it->second.request.symbol != symbol) {
    return Fail(ErrorCode::kNotFound, std::string(kNoSuchOrder) + " (" + std::string(symbol) + " " +
                                          std::string(client_order_id) + ")");
  }
  return it->second;
}

Result<std::vector<OrderState>> SimulatedExchange::OpenOrders(std::string_view symbol) {
  std::vector<OrderState> out;
  for (const auto& [name, market] : markets_) {
    if (!symbol.empty() && name != symbol) continue;
    for (const auto& o : market.open) out.push_back(o.state);
  }
  // One market's orders are already in placement order; several interleave by order id.
  if (symbol.empty()) {
    std::sort(out.begin(), out.end(),
              [](const OrderState& a, const OrderState& b) { return a.order_id < b.order_id; });
  }
  return out;
}

OrderAck SimulatedExchange::Rejected(std::string_view reason) { return RejectAck(reason); }

OrderAck SimulatedExchange::Accepted(const OrderState& state) const {
  OrderAck ack;
  ack.outcome = AckOutcome::kAccepted;
  ack.state = state;
  return ack;
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

std::string SimulatedExchange::CheckImmediateTrigger(const Market& market,
                                                     const OrderRequest& request) const {
  if (!options_.reject_immediate_trigger || request.type != OrderType::kStopLoss) return {};
  if (!market.last_price.IsPositive()) return {};
  const bool sell = request.side == Side::kSell;
  const bool now =
      sell ? request.stop_price >= market.last_price : request.stop_price <= market.last_price;
  return now ? kWouldTrigger : std::string();
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

Decimal SimulatedExchange::BnbPrice(const Market& market) const {
  const std::string symbol = "BNB" + market.info.quote_asset;
  if (auto it = markets_.find(symbol); it != markets_.end() && it->second.last_price.IsPositive()) {
    return it->second.last_price;
  }
  return options_.bnb_price;
}

Decimal SimulatedExchange::BnbCommission(const Market& market, Decimal notional) const {
  if (!options_.fees_in_bnb) return {};
  const Decimal price = BnbPrice(market);
  if (!price.IsPositive()) return {};
  const Decimal in_quote = Decimal::Mul(Decimal::Mul(notional, options_.fee_rate, Rounding::kUp),
                                        Dec("0.75"), Rounding::kUp);
  const Decimal fee = Decimal::Div(in_quote, price, Rounding::kUp);
  const auto bnb = balances_.find("BNB");  // find, never insert: see balances_
  return bnb != balances_.end() && bnb->second.free >= fee && fee.IsPositive() ? fee : Decimal();
}

bool SimulatedExchange::QuoteFeeOnBuy(const Market& market, Decimal notional) const {
  return options_.buy_fee_asset == FeeAsset::kQuote && BnbCommission(market, notional).IsZero();
}

std::string SimulatedExchange::CheckBnbPrice(const Market& market) const {
  return options_.fees_in_bnb && !BnbPrice(market).IsPositive() ? kNoBnbPrice : std::string();
}

Decimal SimulatedExchange::Budget(const Candle& candle) const {
  if (options_.volume_participation.IsZero()) return {};  // unlimited: no budget is kept
  return Decimal::Mul(candle.volume, options_.volume_participation, Rounding::kDown);
}

Decimal SimulatedExchange::Capped(const Market& market, Decimal quantity,
                                  const Decimal* budget) const {
  if (budget == nullptr) return quantity;
  Decimal q = Min(quantity, Max(*budget, Decimal()));
  if (options_.apply_filters && market.info.step_size.IsPositive()) {
    q = q.RoundToStep(market.info.step_size, Rounding::kDown);
  }
  return q;
}

SimulatedExchange::RestingOrder SimulatedExchange::NewOrder(const OrderRequest& request) {
  RestingOrder r;
  r.state.request = request;
  r.state.order_id = next_order_id_++;
  r.state.status = OrderStatus::kNew;
  r.state.update_time = clock_.Now();
  orders_.insert_or_assign(request.client_order_id, r.state);
  return r;
}

void SimulatedExchange::Retire(const OrderState& state) {
  orders_.insert_or_assign(state.request.client_order_id, state);
}

void SimulatedExchange::Report(const OrderState& state, ExecutionType type, const FillAt* fill,
                               Decimal commission, std::string commission_asset,
                               std::int64_t trade_id) {
  ExchangeEvent e;
  e.kind = ExchangeEvent::Kind::kExecution;
  ExecutionReport& r = e.report;
  const OrderRequest& q = state.request;
  r.type = type;
  r.status = state.status;
  r.client_order_id = q.client_order_id;
  r.list_client_id = q.order_list_id;
  r.order_id = state.order_id;
  r.symbol = q.symbol;
  r.side = q.side;
  r.order_type = q.type;
  r.quantity = q.quantity.IsPositive() ? q.quantity : state.executed_quantity;
  r.cumulative_quantity = state.executed_quantity;
  r.cumulative_quote = state.cumulative_quote;
  r.reject_reason = state.reject_reason;
  r.time = state.update_time;
  if (fill != nullptr) {
    r.last_quantity = fill->quantity;
    r.last_price = fill->price;
    r.commission = commission;
    r.commission_asset = std::move(commission_asset);
    r.trade_id = trade_id;
    r.time = fill->time;
    r.candle_open_time = fill->candle_open_time;
    r.candle_index = fill->candle_index;
  }
  events_.push_back(std::move(e));
}

OrderAck SimulatedExchange::PlaceOrder(const OrderRequest& request) {
  auto mit = markets_.find(request.symbol);
  if (mit == markets_.end()) return Rejected(kBadSymbol);
  Market& market = mit->second;
  if (request.client_order_id.empty()) return Rejected(kBadParameters);
  if (orders_.contains(request.client_order_id)) return Rejected(kDuplicate);
  if (!request.order_list_id.empty()) return Rejected(kListIdNotAllowed);
  if (request.type == OrderType::kMarket) return PlaceMarket(market, request);
  const Decimal trigger = request.type == OrderType::kLimit ? request.price : request.stop_price;
  if (!trigger.IsPositive()) return Rejected(kBadParameters);
  if (std::string why = CheckFilters(market, request, trigger, request.quantity); !why.empty()) {
    return Rejected(why);
  }
  if (std::string why = CheckImmediateTrigger(market, request); !why.empty()) return Rejected(why);
  if (std::string why = CheckBnbPrice(market); !why.empty()) return Rejected(why);
  // What the order reserves: base asset for sells, quote (notional + fee) for buys.
  const bool sell = request.side == Side::kSell;
  const Decimal need = sell ? request.quantity
                            : Decimal::Mul(Decimal::Mul(trigger, request.quantity, Rounding::kUp),
                                           Decimal::FromInt(1) + options_.fee_rate, Rounding::kUp);
  Balance& bal = BalanceOf(sell ? market.info.base_asset : market.info.quote_asset);
  if (bal.free < need) return Rejected(kInsufficient);
  bal.free -= need;
  bal.locked += need;
  RestingOrder r = NewOrder(request);
  r.locked = need;
  market.open.push_back(r);
  Report(r.state, ExecutionType::kNew);
  return Accepted(r.state);
}

OrderAck SimulatedExchange::PlaceOco(const OcoRequest& request) {
  auto mit = markets_.find(request.symbol);
  if (mit == markets_.end()) return Rejected(kBadSymbol);
  Market& market = mit->second;
  if (request.list_client_id.empty() || request.limit_client_id.empty() ||
      request.stop_client_id.empty() || request.limit_client_id == request.stop_client_id ||
      !request.limit_price.IsPositive() || !request.stop_price.IsPositive()) {
    return Rejected(kBadParameters);
  }
  if (orders_.contains(request.limit_client_id) || orders_.contains(request.stop_client_id)) {
    return Rejected(kDuplicate);
  }
  OrderRequest limit;
  limit.client_order_id = request.limit_client_id;
  limit.symbol = request.symbol;
  limit.side = Side::kSell;
  limit.type = OrderType::kLimit;
  limit.quantity = request.quantity;
  limit.price = request.limit_price;
  limit.order_list_id = request.list_client_id;
  OrderRequest stop = limit;
  stop.client_order_id = request.stop_client_id;
  stop.type = OrderType::kStopLoss;
  stop.price = Decimal();
  stop.stop_price = request.stop_price;
  for (const OrderRequest* leg : {&limit, &stop}) {
    const Decimal level = leg->type == OrderType::kLimit ? leg->price : leg->stop_price;
    if (std::string why = CheckFilters(market, *leg, level, leg->quantity); !why.empty()) {
      return Rejected(why);
    }
  }
  if (options_.reject_immediate_trigger && market.last_price.IsPositive() &&
      !(request.limit_price > market.last_price && market.last_price > request.stop_price)) {
    return Rejected(kOcoPrices);
  }
  if (std::string why = CheckBnbPrice(market); !why.empty()) return Rejected(why);
  Balance& bal = BalanceOf(market.info.base_asset);
  if (bal.free < request.quantity) return Rejected(kInsufficient);
  bal.free -= request.quantity;
  bal.locked += request.quantity;
  RestingOrder l = NewOrder(limit);
  l.locked = request.quantity;  // the list's one lock, moved to whichever leg executes
  RestingOrder s = NewOrder(stop);
  market.open.push_back(l);
  market.open.push_back(s);
  Report(l.state, ExecutionType::kNew);
  Report(s.state, ExecutionType::kNew);
  OrderAck ack = Accepted(l.state);
  ack.legs = {l.state, s.state};
  return ack;
}

void SimulatedExchange::Settle(const Market& market, Side side, Decimal price, Decimal quantity,
                               Decimal& commission, std::string& commission_asset) {
  const Decimal notional = Decimal::Mul(price, quantity);
  const Decimal bnb_fee = BnbCommission(market, notional);
  Balance& base = BalanceOf(market.info.base_asset);
  Balance& quote = BalanceOf(market.info.quote_asset);
  if (bnb_fee.IsPositive()) {
    commission = bnb_fee;
    commission_asset = "BNB";
    BalanceOf("BNB").free -= bnb_fee;  // exists: BnbCommission() found it
    if (side == Side::kBuy) {
      quote.free -= notional;
      base.free += quantity;
    } else {
      base.free -= quantity;
      quote.free += notional;
    }
  } else if (side == Side::kBuy) {
    if (options_.buy_fee_asset == FeeAsset::kBase) {
      commission = Decimal::Mul(quantity, options_.fee_rate, Rounding::kUp);
      commission_asset = market.info.base_asset;
      quote.free -= notional;
      base.free += quantity - commission;
    } else {
      commission = Decimal::Mul(notional, options_.fee_rate, Rounding::kUp);
      commission_asset = market.info.quote_asset;
      quote.free -= notional + commission;
      base.free += quantity;
    }
  } else {
    commission = Decimal::Mul(notional, options_.fee_rate, Rounding::kUp);
    commission_asset = market.info.quote_asset;
    base.free -= quantity;
    quote.free += notional - commission;
  }
  OSPREY_CHECK(!base.free.IsNegative() && !quote.free.IsNegative(),
               "SimulatedExchange: a balance went negative");
}

OrderAck SimulatedExchange::PlaceMarket(Market& market, const OrderRequest& request) {
  if (!market.last_price.IsPositive()) return Rejected(kNoPrice);
  // The price it would fill at now; with latency, the estimate its balance is checked against.
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
    return Rejected(why);
  }
  if (std::string why = CheckBnbPrice(market); !why.empty()) return Rejected(why);
  const bool buy = request.side == Side::kBuy;
  const Decimal notional = Decimal::Mul(price, qty, Rounding::kUp);
  Decimal need = buy ? notional : qty;
  if (buy && QuoteFeeOnBuy(market, notional)) {
    need += Decimal::Mul(notional, options_.fee_rate, Rounding::kUp);
  }
  Balance& bal = BalanceOf(buy ? market.info.quote_asset : market.info.base_asset);
  if (bal.free < need) return Rejected(kInsufficient);
  RestingOrder r = NewOrder(request);
  Report(r.state, ExecutionType::kNew);
  if (options_.entry_latency_ms > 0) {
    // Held until the bar holding the fill instant is fed.
    bal.free -= need;
    bal.locked += need;
    r.locked = need;
    r.due = clock_.Now() + options_.entry_latency_ms;
    market.open.push_back(r);
    return Accepted(r.state);
  }
  Decimal* budget = options_.volume_participation.IsZero() ? nullptr : &market.last_budget;
  return Accepted(ExecuteMarket(market, std::move(r), price, budget, clock_.Now(), -1, -1));
}

OrderState SimulatedExchange::ExecuteMarket(Market& market, RestingOrder order, Decimal price,
                                            Decimal* budget, TimeMs time, TimeMs candle_open_time,
                                            std::int64_t candle_index) {
  OrderState& s = order.state;
  const OrderRequest& req = s.request;
  const bool buy = req.side == Side::kBuy;
  Balance& held = BalanceOf(buy ? market.info.quote_asset : market.info.base_asset);
  held.locked -= order.locked;
  held.free += order.locked;
  Decimal qty = req.quantity;
  if (req.quote_quantity) {
    qty = Decimal::Div(*req.quote_quantity, price, Rounding::kDown);
    if (options_.apply_filters && market.info.step_size.IsPositive()) {
      qty = qty.RoundToStep(market.info.step_size, Rounding::kDown);
    }
  }
  const Decimal fill_qty = Capped(market, qty, budget);
  s.update_time = time;
  const Decimal notional = Decimal::Mul(price, fill_qty);
  Decimal need = buy ? notional : fill_qty;
  if (buy && QuoteFeeOnBuy(market, notional)) {
    need += Decimal::Mul(notional, options_.fee_rate, Rounding::kUp);
  }
  if (held.free < need) {
    // Only a delayed order can get here: its price moved beyond what the account holds.
    s.status = OrderStatus::kExpired;
    s.reject_reason = kInsufficient;
    Report(s, ExecutionType::kExpired);
    Retire(s);
    return s;
  }
  if (fill_qty.IsPositive()) {
    if (budget != nullptr) *budget -= fill_qty;
    FillAt fill{price, fill_qty, time, candle_open_time, candle_index};
    Decimal commission;
    std::string asset;
    Settle(market, req.side, price, fill_qty, commission, asset);
    s.executed_quantity = fill_qty;
    s.cumulative_quote = notional;
    s.status = fill_qty == qty ? OrderStatus::kFilled : OrderStatus::kPartiallyFilled;
    Report(s, ExecutionType::kTrade, &fill, commission, std::move(asset), next_trade_id_++);
  }
  if (fill_qty < qty) {
    s.status = OrderStatus::kExpired;
    s.reject_reason = kOutOfLiquidity;
    Report(s, ExecutionType::kExpired);
  }
  Retire(s);
  return s;
}

void SimulatedExchange::EndOrder(Market& market, std::size_t i, OrderStatus status,
                                 std::string_view reason, TimeMs time) {
  RestingOrder o = std::move(market.open[i]);
  market.open.erase(market.open.begin() + static_cast<std::ptrdiff_t>(i));
  if (o.locked.IsPositive()) {
    const bool sell = o.state.request.side == Side::kSell;
    Balance& bal = BalanceOf(sell ? market.info.base_asset : market.info.quote_asset);
    bal.locked -= o.locked;
    bal.free += o.locked;
  }
  o.state.status = status;
  o.state.update_time = time;
  o.state.reject_reason = std::string(reason);
  Report(o.state,
         status == OrderStatus::kExpired ? ExecutionType::kExpired : ExecutionType::kCanceled);
  Retire(o.state);
}

void SimulatedExchange::CancelSibling(Market& market, std::string_view client_order_id,
                                      TimeMs time) {
  const std::size_t i = IndexOf(market.open, client_order_id);
  if (i == kNone) return;
  const std::size_t j = SiblingOf(market.open, i);
  if (j == kNone) return;
  market.open[i].locked += std::exchange(market.open[j].locked, Decimal());
  EndOrder(market, j, OrderStatus::kCanceled, {}, time);
}

void SimulatedExchange::ApplyFill(Market& market, std::size_t i, const FillAt& fill) {
  RestingOrder& o = market.open[i];
  // The list's lock moves onto the leg that executes; the sibling is cancelled after the trade
  // is reported (Binance: TRADE on the leg, then CANCELED on the other).
  if (const std::size_t j = SiblingOf(market.open, i); j != kNone) {
    o.locked += std::exchange(market.open[j].locked, Decimal());
  }
  const OrderRequest& req = o.state.request;
  const bool sell = req.side == Side::kSell;
  const Decimal remaining = req.quantity - o.state.executed_quantity;
  const bool last = fill.quantity == remaining;
  Decimal release = fill.quantity;
  if (!sell) {
    const Decimal level = req.type == OrderType::kLimit ? req.price : req.stop_price;
    release = Decimal::Mul(Decimal::Mul(level, fill.quantity, Rounding::kUp),
                           Decimal::FromInt(1) + options_.fee_rate, Rounding::kUp);
  }
  if (last || release > o.locked) release = o.locked;
  o.locked -= release;
  Balance& bal = BalanceOf(sell ? market.info.base_asset : market.info.quote_asset);
  bal.locked -= release;
  bal.free += release;
  Decimal commission;
  std::string asset;
  Settle(market, req.side, fill.price, fill.quantity, commission, asset);
  o.state.executed_quantity += fill.quantity;
  o.state.cumulative_quote += Decimal::Mul(fill.price, fill.quantity);
  o.state.status = last ? OrderStatus::kFilled : OrderStatus::kPartiallyFilled;
  o.state.update_time = fill.time;
  Report(o.state, ExecutionType::kTrade, &fill, commission, std::move(asset), next_trade_id_++);
  const std::string id = req.client_order_id;
  CancelSibling(market, id, fill.time);
  if (last) {
    const std::size_t k = IndexOf(market.open, id);
    Retire(market.open[k].state);
    market.open.erase(market.open.begin() + static_cast<std::ptrdiff_t>(k));
  }
}

OrderAck SimulatedExchange::CancelOrder(std::string_view symbol, std::string_view client_order_id) {
  auto mit = markets_.find(symbol);
  if (mit == markets_.end()) return Rejected(kBadSymbol);
  Market& market = mit->second;
  const std::size_t i = IndexOf(market.open, client_order_id);
  // A MARKET order waiting out its latency is already executing: it cannot be cancelled.
  if (i == kNone || market.open[i].state.request.type == OrderType::kMarket) {
    return Rejected(kUnknownOrder);
  }
  const TimeMs now = clock_.Now();
  // Cancelling one leg of an OCO cancels the list (Binance semantics): the named leg first.
  std::string sibling;
  if (const std::size_t j = SiblingOf(market.open, i); j != kNone) {
    sibling = market.open[j].state.request.client_order_id;
  }
  EndOrder(market, i, OrderStatus::kCanceled, {}, now);
  OrderAck ack = Accepted(orders_.find(client_order_id)->second);
  if (!sibling.empty()) {
    EndOrder(market, IndexOf(market.open, sibling), OrderStatus::kCanceled, {}, now);
    ack.legs = {ack.state, orders_.find(sibling)->second};
  }
  return ack;
}

Result<OrderState> SimulatedExchange::EndByExchange(std::string_view client_order_id,
                                                    OrderStatus status, std::string_view reason) {
  for (auto& [name, market] : markets_) {
    const std::size_t i = IndexOf(market.open, client_order_id);
    if (i == kNone) continue;
    const TimeMs now = clock_.Now();
    std::string sibling;
    if (const std::size_t j = SiblingOf(market.open, i); j != kNone) {
      sibling = market.open[j].state.request.client_order_id;
    }
    EndOrder(market, i, status, reason, now);
    if (!sibling.empty()) {
      EndOrder(market, IndexOf(market.open, sibling), status, reason, now);
    }
    return orders_.find(client_order_id)->second;
  }
  return Fail(ErrorCode::kNotFound,
              "no open order '" + std::string(client_order_id) + "' to end by the exchange");
}

Result<OrderState> SimulatedExchange::ExpireOrder(std::string_view client_order_id) {
  return EndByExchange(client_order_id, OrderStatus::kExpired, "Order expired by the exchange.");
}

Result<OrderState> SimulatedExchange::CancelByExchange(std::string_view client_order_id) {
  return EndByExchange(client_order_id, OrderStatus::kCanceled,
                       "Order canceled by the exchange (maintenance).");
}

void SimulatedExchange::FillDueMarkets(Market& market, const Bar& bar, Decimal* budget) {
  const Candle& c = *bar.candle;
  for (std::size_t i = 0; i < market.open.size();) {
    RestingOrder& o = market.open[i];
    if (o.state.request.type != OrderType::kMarket || o.due >= bar.fill_time) {
      ++i;
      continue;
    }
    const bool buy = o.state.request.side == Side::kBuy;
    // An hour: its open. A minute: its open when the fill instant is the minute's start, else
    // the worse of its open and close for the taker (the minute does not say which came first).
    Decimal price = c.open;
    if (bar.minute && o.due > c.open_time)
      price = buy ? Max(c.open, c.close) : Min(c.open, c.close);
    price = WithinBar(Slipped(market, o.state.request.side, price), c.low, c.high);
    const TimeMs time = std::max(o.due, c.open_time);
    RestingOrder order = std::move(o);
    market.open.erase(market.open.begin() + static_cast<std::ptrdiff_t>(i));
    ExecuteMarket(market, std::move(order), price, budget, time, bar.hour_open, bar.index);
  }
}

void SimulatedExchange::MatchBar(Market& market, const Bar& bar) {
  const Candle& c = *bar.candle;
  // The participation budget (nullptr: unlimited), computed on the bar's first fill only.
  Decimal budget_left;
  bool budget_known = false;
  const auto Budgeted = [&]() -> Decimal* {
    if (options_.volume_participation.IsZero()) return nullptr;
    if (!std::exchange(budget_known, true)) budget_left = Budget(c);
    return &budget_left;
  };
  if (options_.entry_latency_ms > 0) FillDueMarkets(market, bar, Budgeted());
  const bool at_level = options_.gap_fill == GapFill::kLevel;
  // The range a fill may take: the bar's, or in the reference's "level" mode the bar's widened
  // to the order's own level (R6 fills a gapped order at its level, outside the bar).
  const auto BarLow = [&](Decimal level) { return at_level ? Min(c.low, level) : c.low; };
  const auto BarHigh = [&](Decimal level) { return at_level ? Max(c.high, level) : c.high; };
  // 1. Stops first: the pessimistic assumption when the bar does not say which came first. A
  // triggered stop is a market order: it fills what the bar allows, the rest expires.
  for (std::size_t i = 0; i < market.open.size();) {
    const OrderRequest& r = market.open[i].state.request;
    if (r.type != OrderType::kStopLoss) {
      ++i;
      continue;
    }
    const bool sell = r.side == Side::kSell;
    if (!(sell ? c.low <= r.stop_price : c.high >= r.stop_price)) {
      ++i;
      continue;
    }
    Decimal price = r.stop_price;
    if (!at_level && (sell ? c.open < r.stop_price : c.open > r.stop_price)) price = c.open;
    price = WithinBar(Slipped(market, r.side, price), BarLow(r.stop_price), BarHigh(r.stop_price));
    const std::string id = r.client_order_id;
    Decimal* budget = Budgeted();
    const Decimal qty = Capped(market, r.quantity - market.open[i].state.executed_quantity, budget);
    if (qty.IsPositive()) {
      if (budget != nullptr) *budget -= qty;
      ApplyFill(market, i, FillAt{price, qty, bar.fill_time, bar.hour_open, bar.index});
    } else {
      CancelSibling(market, id, bar.fill_time);
    }
    if (const std::size_t k = IndexOf(market.open, id); k != kNone) {
      EndOrder(market, k, OrderStatus::kExpired, kOutOfLiquidity, bar.fill_time);
    }
    i = 0;  // the list changed (OCO siblings removed): rescan
  }
  // 2. Limits reached by the bar, nearest price first (TP1 before TP2 before TP3 for sells).
  const bool through = options_.take_profit_fill == TakeProfitFillRule::kThrough;
  std::vector<std::pair<Decimal, std::string>> reached;  // (sort key, client id)
  for (const RestingOrder& o : market.open) {
    const OrderRequest& r = o.state.request;
    if (r.type != OrderType::kLimit) continue;
    const bool sell = r.side == Side::kSell;
    const bool hit = sell ? (through ? c.high > r.price : c.high >= r.price)
                          : (through ? c.low < r.price : c.low <= r.price);
    if (hit) reached.emplace_back(sell ? r.price : -r.price, r.client_order_id);
  }
  std::stable_sort(reached.begin(), reached.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, id] : reached) {
    const std::size_t i = IndexOf(market.open, id);
    if (i == kNone) continue;
    const OrderRequest& r = market.open[i].state.request;
    Decimal* budget = Budgeted();
    const Decimal qty = Capped(market, r.quantity - market.open[i].state.executed_quantity, budget);
    if (!qty.IsPositive()) break;  // the bar's participation is used up
    if (budget != nullptr) *budget -= qty;
    Decimal price = r.price;
    const bool sell = r.side == Side::kSell;
    if (!at_level && (sell ? c.open > r.price : c.open < r.price)) price = c.open;
    price = WithinBar(price, BarLow(r.price), BarHigh(r.price));
    ApplyFill(market, i, FillAt{price, qty, bar.fill_time, bar.hour_open, bar.index});
  }
}

void SimulatedExchange::OnCandle(std::string_view symbol, const Candle& candle, std::int64_t index,
                                 std::span<const Candle> minutes) {
  auto it = markets_.find(symbol);
  if (it == markets_.end()) return;
  Market& market = it->second;
  if (!market.open.empty()) {
    if (minutes.empty()) {
      MatchBar(market, Bar{&candle, candle.open_time + options_.candle_interval_ms,
                           candle.open_time, index, false});
    } else {
      for (const Candle& m : minutes) {
        MatchBar(market, Bar{&m, m.open_time + kMinuteMs, candle.open_time, index, true});
        if (market.open.empty()) break;
      }
    }
  }
  market.last_price = candle.close;
  market.last_low = candle.low;
  market.last_high = candle.high;
  market.last_budget = Budget(candle);
}

}  // namespace osprey
