#include "trading/order_manager.hpp"

#include <fmt/format.h>

#include "risk/stop_price.hpp"

namespace osprey {
namespace {

const Decimal kHundred = Decimal::FromInt(100);
const Decimal kOne = Decimal::FromInt(1);

ExitReason TakeProfitReason(int level) {
  switch (level) {
    case 1: return ExitReason::kTakeProfit1;
    case 2: return ExitReason::kTakeProfit2;
    default: return ExitReason::kTakeProfit3;
  }
}

}  // namespace

OrderManager::OrderManager(Exchange& exchange, TradeStore& store, Logger& logger,
                           const Clock& clock, const ExitSettings& exits, bool apply_filters)
    : exchange_(exchange),
      store_(store),
      logger_(logger),
      clock_(clock),
      exits_(exits),
      apply_filters_(apply_filters) {}

bool OrderManager::Holds(std::string_view symbol) const {
  for (const auto& [id, p] : active_) {
    if (p.record.symbol == symbol) return true;
  }
  return false;
}

bool OrderManager::Transition(Position& p, PositionState to, const std::string& event,
                              const std::string& detail) {
  if (!TransitionAllowed(p.state, to)) {
    logger_.Log(LogLevel::kCritical,
                fmt::format("illegal transition {} -> {} ({}) refused for trade {}",
                            PositionStateName(p.state), PositionStateName(to), event, p.record.id));
    return false;
  }
  PositionEvent e{p.record.id,
                  p.record.symbol,
                  clock_.Now(),
                  std::string(PositionStateName(p.state)),
                  std::string(PositionStateName(to)),
                  event,
                  detail};
  p.state = to;
  if (to == PositionState::kPending || to == PositionState::kNotOwned) {
    // No trade row exists before the entry fills: the event alone is the journal.
    if (auto r = store_.AppendEvent(e); !r) {
      logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
    }
  } else {
    Persist(p, e);
  }
  if (logger_.Enabled(LogLevel::kInfo)) {
    logger_.Log(LogLevel::kInfo, fmt::format("{} {} {} -> {}: {} {}", p.record.id, p.record.symbol,
                                             e.from_state, e.to_state, event, detail));
  }
  return true;
}

void OrderManager::Persist(const Position& p, const std::optional<PositionEvent>& event) {
  if (auto r = store_.SaveTrade(p.record, event); !r) {
    logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
  }
}

Result<std::string> OrderManager::OpenPosition(const EntryPlan& plan) {
  auto info = exchange_.GetSymbolInfo(plan.symbol);
  if (!info) return std::unexpected(info.error());
  Position p;
  p.symbol = *info;
  p.record.id = fmt::format("{}-{}", plan.symbol, clock_.Now() / 1000);
  p.record.symbol = plan.symbol;
  p.record.signal_candle_open_time = plan.signal_candle_open_time;
  p.record.entry_index = plan.signal_index;
  p.record.confidence = plan.confidence;
  p.record.analysts = plan.analysts;
  p.entry_client_id = p.record.id + "-e";
  if (active_.contains(p.record.id)) {
    return Fail(ErrorCode::kInvalidArgument, "trade id " + p.record.id + " already active");
  }
  // Journal first: the PENDING event names the client order id a restart would reconcile.
  if (!Transition(p, PositionState::kPending, "ENTRY_SUBMITTED",
                  fmt::format("MARKET BUY {} {} client id {}", plan.quantity.ToString(),
                              plan.symbol, p.entry_client_id))) {
    return Fail(ErrorCode::kInternal, "entry transition refused");
  }
  OrderRequest req;
  req.client_order_id = p.entry_client_id;
  req.symbol = plan.symbol;
  req.side = Side::kBuy;
  req.type = OrderType::kMarket;
  req.quantity = plan.quantity;
  auto placed = exchange_.PlaceOrder(req);
  std::string failure;
  if (!placed) {
    failure = placed.error().ToString();
  } else if (placed->status == OrderStatus::kRejected) {
    failure = placed->reject_reason;
  }
  if (!failure.empty()) {
    Transition(p, PositionState::kNotOwned, "ENTRY_REJECTED", failure);
    if (auto r = store_.AppendRejection({clock_.Now(), plan.symbol, "EXCHANGE_REJECTED", failure});
        !r) {
      logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
    }
    return Fail(ErrorCode::kRejected, plan.symbol + ": " + failure);
  }
  orders_[p.entry_client_id] = {p.record.id, -1};
  std::string id = p.record.id;
  active_.emplace(id, std::move(p));
  return id;
}

Decimal OrderManager::RoundPrice(const Position& p, Decimal price) const {
  if (apply_filters_ && p.symbol.tick_size.IsPositive()) {
    return price.RoundToStep(p.symbol.tick_size, Rounding::kUp);
  }
  return price;
}

ExitReason OrderManager::StopReason(const Position& p) const {
  return p.trailing_active && p.stop > p.initial_stop ? ExitReason::kTrailingStop
                                                      : ExitReason::kStopLoss;
}

void OrderManager::OnEntryFill(Position& p, const Fill& fill) {
  if (p.state != PositionState::kPending) {
    logger_.Log(LogLevel::kCritical,
                fmt::format("{}: entry fill after the position opened; not supported, position "
                            "protection covers only the first fill",
                            p.record.id));
    return;
  }
  TradeRecord& r = p.record;
  const Decimal notional = Decimal::Mul(fill.price, fill.quantity);
  r.entry_time = fill.time;
  r.entry_price = fill.price;
  r.quantity = fill.quantity;
  r.net_quantity = fill.quantity;
  if (fill.commission_asset == p.symbol.base_asset) {
    r.net_quantity = fill.quantity - fill.commission;
    r.entry_fee = Decimal::Mul(fill.commission, fill.price, Rounding::kUp);
    p.cash_out = notional;
  } else {
    r.entry_fee = fill.commission;
    p.cash_out = notional + fill.commission;
  }
  p.initial_stop =
      InitialStopPrice(r.entry_price, exits_.stop_loss_percent, p.symbol, apply_filters_);
  p.stop = p.initial_stop;
  r.stop_loss = p.initial_stop;
  r.take_profits.clear();
  std::vector<Decimal> tp_prices;
  for (std::size_t k = 0; k < exits_.take_profit_percents.size(); ++k) {
    const Decimal pct = exits_.take_profit_percents[k];
    const Decimal price = RoundPrice(
        p, Decimal::Mul(r.entry_price, kOne + Decimal::Div(pct, kHundred), Rounding::kUp));
    tp_prices.push_back(price);
    r.take_profits.push_back({price, pct, exits_.take_profit_fractions[k]});
  }
  p.trailing_active = exits_.trailing_activation == TrailingActivation::kImmediate;
  Decimal sellable = r.net_quantity;
  if (apply_filters_ && p.symbol.step_size.IsPositive()) {
    sellable = sellable.RoundToStep(p.symbol.step_size, Rounding::kDown);
  }
  p.remaining = sellable;
  p.legs.clear();
  for (const Tranche& t : PlanTranches(sellable, exits_.take_profit_fractions, tp_prices, p.stop,
                                       p.symbol, apply_filters_)) {
    p.legs.push_back(Position::Leg{t, {}, {}, {}, false});
  }
  std::string detail = fmt::format("bought {} at {} fee {} {}; stop {}", r.quantity.ToString(),
                                   r.entry_price.ToString(), fill.commission.ToString(),
                                   fill.commission_asset, p.stop.ToString());
  if (sellable != r.net_quantity) {
    detail +=
        fmt::format("; {} below one step stays as dust", (r.net_quantity - sellable).ToString());
  }
  detail += "; protection client ids " + ProtectionListIds(p);
  if (!Transition(p, PositionState::kOpen, "ENTRY_FILLED", detail)) return;
  if (p.initial_stop >= r.entry_price) {
    // A tick coarse for this price rounded the stop up to the fill: no stop can protect it.
    EmergencyExit(p, fmt::format("stop {} is not below the fill price {} after rounding to the "
                                 "tick {}",
                                 p.initial_stop.ToString(), r.entry_price.ToString(),
                                 p.symbol.tick_size.ToString()));
    return;
  }
  if (!PlaceProtection(p)) EmergencyExit(p, "protective orders refused");
}

std::string OrderManager::ProtectionListId(const Position& p, const Position::Leg& leg) {
  return fmt::format("{}-{}g{}", p.record.id, leg.tranche.level, p.generation);
}

std::string OrderManager::ProtectionListIds(const Position& p) {
  // Journaled in the event written before the orders are sent: the LIMIT leg is <list>t, the
  // STOP_LOSS leg <list>s, so a restart can reconcile every protective order.
  std::string ids;
  for (const auto& leg : p.legs) {
    if (leg.done) continue;
    if (!ids.empty()) ids += ",";
    ids += ProtectionListId(p, leg);
  }
  return ids;
}

bool OrderManager::PlaceProtection(Position& p) {
  for (std::size_t k = 0; k < p.legs.size(); ++k) {
    Position::Leg& leg = p.legs[k];
    if (leg.done) continue;
    leg.list_id = ProtectionListId(p, leg);
    leg.limit_id = leg.list_id + "t";
    leg.stop_id = leg.list_id + "s";
    OrderRequest tp;
    tp.client_order_id = leg.limit_id;
    tp.symbol = p.record.symbol;
    tp.side = Side::kSell;
    tp.type = OrderType::kLimit;
    tp.quantity = leg.tranche.quantity;
    tp.price = leg.tranche.take_profit;
    tp.order_list_id = leg.list_id;
    OrderRequest sl = tp;
    sl.client_order_id = leg.stop_id;
    sl.type = OrderType::kStopLoss;
    sl.price = Decimal();
    sl.stop_price = p.stop;
    for (const OrderRequest* req : {&tp, &sl}) {
      auto placed = exchange_.PlaceOrder(*req);
      const std::string why = !placed                                    ? placed.error().ToString()
                              : placed->status == OrderStatus::kRejected ? placed->reject_reason
                                                                         : std::string();
      if (!why.empty()) {
        logger_.Log(LogLevel::kCritical, fmt::format("{}: protective {} order refused: {}",
                                                     p.record.id, OrderTypeName(req->type), why));
        if (auto r =
                store_.AppendRejection({clock_.Now(), p.record.symbol, "PROTECTION_REJECTED", why});
            !r) {
          logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
        }
        return false;
      }
      orders_[req->client_order_id] = {p.record.id, static_cast<int>(k)};
    }
  }
  return true;
}

void OrderManager::EmergencyExit(Position& p, const std::string& why) {
  for (auto& leg : p.legs) {
    if (leg.done || leg.limit_id.empty()) continue;
    (void)exchange_.CancelOrder(p.record.symbol, leg.limit_id);
    orders_.erase(leg.limit_id);
    orders_.erase(leg.stop_id);
  }
  // Sell what is left as one emergency leg at market.
  Position::Leg leg;
  leg.tranche.level = 0;
  leg.tranche.quantity = p.remaining;
  leg.stop_id = p.record.id + "-x" + std::to_string(p.generation);
  for (auto& l : p.legs) l.done = true;
  p.legs.push_back(leg);
  OrderRequest req;
  req.client_order_id = leg.stop_id;
  req.symbol = p.record.symbol;
  req.side = Side::kSell;
  req.type = OrderType::kMarket;
  req.quantity = p.remaining;
  orders_[req.client_order_id] = {p.record.id, static_cast<int>(p.legs.size() - 1)};
  logger_.Log(LogLevel::kCritical, p.record.id + ": emergency market exit: " + why);
  auto placed = exchange_.PlaceOrder(req);
  if (!placed || placed->status == OrderStatus::kRejected) {
    logger_.Log(LogLevel::kCritical,
                p.record.id +
                    ": EMERGENCY EXIT FAILED, position unprotected, manual action needed: " +
                    (placed ? placed->reject_reason : placed.error().ToString()));
  }
}

void OrderManager::ProcessEvents() {
  // Handling an event can place orders whose fills are reported at once (the emergency market
  // exit after refused protection): poll again until the exchange has nothing more to report.
  for (auto events = exchange_.PollEvents(); !events.empty(); events = exchange_.PollEvents()) {
    for (const ExecutionEvent& ev : events) {
      auto oit = orders_.find(ev.client_order_id);
      if (oit == orders_.end()) continue;  // e.g. the cancelled sibling of a replaced OCO
      auto pit = active_.find(oit->second.first);
      const int leg = oit->second.second;
      if (pit == active_.end()) {
        orders_.erase(oit);
        continue;
      }
      Position& p = pit->second;
      if (ev.kind != ExecutionEvent::Kind::kFill) {
        // An OCO sibling cancelled by the exchange after the other leg filled: nothing to do.
        orders_.erase(oit);
        continue;
      }
      if (leg < 0) {
        orders_.erase(oit);
        OnEntryFill(p, ev.fill);
      } else {
        const auto idx = static_cast<std::size_t>(leg);
        const bool by_stop = ev.client_order_id == p.legs[idx].stop_id;
        OnExitFill(p, idx, ev.fill, by_stop);
      }
    }
  }
}

void OrderManager::OnExitFill(Position& p, std::size_t leg_index, const Fill& fill, bool by_stop) {
  Position::Leg& leg = p.legs[leg_index];
  leg.done = true;
  orders_.erase(leg.limit_id);
  orders_.erase(leg.stop_id);
  TradeRecord& r = p.record;
  ExitReason reason = ExitReason::kEmergency;
  if (leg.tranche.level > 0) reason = by_stop ? StopReason(p) : TakeProfitReason(leg.tranche.level);
  const Decimal fee_quote = fill.commission_asset == p.symbol.base_asset
                                ? Decimal::Mul(fill.commission, fill.price, Rounding::kUp)
                                : fill.commission;
  p.remaining -= fill.quantity;
  p.cash_in += Decimal::Mul(fill.price, fill.quantity) - fee_quote;
  // One stop hitting several tranches at one price is one exit, as a trader sees it.
  if (!r.exits.empty() && r.exits.back().reason == reason && r.exits.back().price == fill.price &&
      r.exits.back().candle_open_time == fill.candle_open_time &&
      r.exits.back().time == fill.time) {
    r.exits.back().quantity += fill.quantity;
    r.exits.back().fee += fee_quote;
  } else {
    r.exits.push_back({fill.time, fill.candle_open_time, fill.candle_index, fill.price,
                       fill.quantity, fee_quote, reason});
  }
  if (!by_stop && leg.tranche.level == 1 &&
      exits_.trailing_activation == TrailingActivation::kAfterTp1) {
    p.trailing_active = true;  // moves the stop from the next candle on (OnCandleClosed)
  }
  bool all_done = true;
  for (const auto& l : p.legs) all_done = all_done && l.done;
  const std::string detail = fmt::format("sold {} at {} fee {}", fill.quantity.ToString(),
                                         fill.price.ToString(), fee_quote.ToString());
  if (all_done) {
    Close(p);
  } else {
    Transition(p, PositionState::kOpen, std::string(ExitReasonName(reason)), detail);
  }
}

void OrderManager::Close(Position& p) {
  TradeRecord& r = p.record;
  Decimal sold;
  Decimal proceeds;
  for (const auto& e : r.exits) {
    sold += e.quantity;
    proceeds += Decimal::Mul(e.price, e.quantity);
  }
  const ExitFill& last = r.exits.back();
  r.exit_time = last.time;
  r.exit_index = last.candle_index;
  r.exit_reason = last.reason;
  r.exit_price = sold.IsPositive() ? Decimal::Div(proceeds, sold) : Decimal();
  r.pnl = p.cash_in - p.cash_out;
  const Decimal basis = Decimal::Mul(r.entry_price, r.quantity);
  r.pnl_percent = basis.IsPositive() ? 100.0 * r.pnl.ToDouble() / basis.ToDouble() : 0.0;
  r.status = TradeStatus::kClosed;
  const std::string detail = fmt::format("{} pnl {} ({:+.2f}%)", ExitReasonName(r.exit_reason),
                                         r.pnl.ToString(), r.pnl_percent);
  Transition(p, PositionState::kClosed, "CLOSED", detail);
  TradeRecord closed = r;
  active_.erase(r.id);
  if (on_closed_) on_closed_(closed);
}

void OrderManager::OnCandleClosed(std::string_view symbol, const Candle& candle) {
  for (auto& [id, p] : active_) {
    if (p.state != PositionState::kOpen || p.record.symbol != symbol) continue;
    if (candle.open_time < p.record.entry_time) continue;  // the entry candle itself
    if (candle.high > p.highest_high) p.highest_high = candle.high;
    if (!p.trailing_active) continue;
    const Decimal trail = RoundPrice(
        p, Decimal::Mul(p.highest_high, kOne - Decimal::Div(exits_.trailing_stop_percent, kHundred),
                        Rounding::kUp));
    const Decimal next = Max(p.initial_stop, trail);
    if (next <= p.stop) continue;
    // Replace each open OCO pair with one carrying the higher stop.
    for (auto& leg : p.legs) {
      if (leg.done) continue;
      auto cancelled = exchange_.CancelOrder(p.record.symbol, leg.limit_id);
      if (!cancelled || cancelled->status == OrderStatus::kRejected) {
        logger_.Log(
            LogLevel::kWarning,
            fmt::format("{}: could not cancel {} to move the stop: {}", id, leg.limit_id,
                        cancelled ? cancelled->reject_reason : cancelled.error().ToString()));
        continue;
      }
      orders_.erase(leg.limit_id);
      orders_.erase(leg.stop_id);
    }
    const Decimal old = p.stop;
    p.stop = next;
    ++p.generation;
    const std::string detail = fmt::format("stop {} -> {} (highest high {})", old.ToString(),
                                           next.ToString(), p.highest_high.ToString());
    Transition(p, PositionState::kOpen, "STOP_MOVED",
               detail + "; protection client ids " + ProtectionListIds(p));
    if (!PlaceProtection(p)) EmergencyExit(p, "replacement protective orders refused");
  }
}

}  // namespace osprey
