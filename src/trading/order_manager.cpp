#include "trading/order_manager.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "risk/stop_price.hpp"

namespace osprey {
namespace {

const Decimal kHundred = Decimal::FromInt(100);
const Decimal kOne = Decimal::FromInt(1);
constexpr int kMaxExitAttempts = 3;
constexpr int kMaxPasses = 64;  // event batches handled per ProcessEvents() call

ExitReason TakeProfitReason(int level) {
  switch (level) {
    case 1: return ExitReason::kTakeProfit1;
    case 2: return ExitReason::kTakeProfit2;
    default: return ExitReason::kTakeProfit3;
  }
}

bool Unresolved(JournalStatus s) {
  return s == JournalStatus::kSending || s == JournalStatus::kUnknown;
}

bool IsRateLimit(const OrderAck& ack) { return ack.retry_after_ms > 0 || ack.reject_code == -1003; }

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

Decimal OrderManager::OpenRisk() const {
  Decimal risk;
  for (const auto& [id, p] : active_) {
    if (p.state != PositionState::kOpen) continue;
    if (p.stop < p.record.entry_price) {
      risk += Decimal::Mul(p.remaining, p.record.entry_price - p.stop, Rounding::kUp);
    }
  }
  for (const auto& [id, r] : planned_risk_) risk += r;
  return risk;
}

void OrderManager::Alert(AlertLevel level, const std::string& what) {
  logger_.Log(level == AlertLevel::kCritical ? LogLevel::kCritical : LogLevel::kWarning, what);
  if (listener_ != nullptr) listener_->OnAlert(level, what);
}

void OrderManager::StoreFailed(const Error& error) {
  journal_failed_ = true;
  Alert(AlertLevel::kCritical,
        "store: " + error.ToString() + "; safe state: no new entries until the journal works");
}

bool OrderManager::Journal(const OrderRecord& order, const std::optional<PositionEvent>& event) {
  if (auto r = store_.SaveOrder(order, event); !r) {
    StoreFailed(r.error());
    return false;
  }
  journal_failed_ = false;
  return true;
}

void OrderManager::Persist(const Position& p, const std::optional<PositionEvent>& event) {
  if (auto r = store_.SaveTrade(p.record, event); !r) StoreFailed(r.error());
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
    if (auto r = store_.AppendEvent(e); !r) StoreFailed(r.error());
  } else {
    Persist(p, e);
  }
  if (logger_.Enabled(LogLevel::kInfo)) {
    logger_.Log(LogLevel::kInfo, fmt::format("{} {} {} -> {}: {} {}", p.record.id, p.record.symbol,
                                             e.from_state, e.to_state, event, detail));
  }
  return true;
}

OrderRecord OrderManager::NewOrder(const Position& p, OrderRole role, int level,
                                   const std::string& id, OrderType type, Decimal quantity) const {
  OrderRecord o;
  o.client_id = id;
  o.trade_id = p.record.id;
  o.symbol = p.record.symbol;
  o.role = role;
  o.level = level;
  o.generation = p.generation;
  o.side = role == OrderRole::kEntry ? Side::kBuy : Side::kSell;
  o.type = type;
  o.quantity = quantity;
  o.status = JournalStatus::kSending;
  o.created = clock_.Now();
  o.updated = o.created;
  return o;
}

Position* OrderManager::Find(const OrderRecord& order) {
  auto it = active_.find(order.trade_id);
  return it == active_.end() ? nullptr : &it->second;
}

Position::Leg* OrderManager::LegOf(Position& p, const OrderRecord& order) {
  if (order.role != OrderRole::kTakeProfit && order.role != OrderRole::kStopLoss) return nullptr;
  for (auto& leg : p.legs) {
    if (leg.tranche.level == order.level) return &leg;
  }
  return nullptr;
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
  // Journal first: the order row and the PENDING event commit together before the request.
  const OrderRecord entry =
      NewOrder(p, OrderRole::kEntry, 0, p.entry_client_id, OrderType::kMarket, plan.quantity);
  const std::string detail = fmt::format("MARKET BUY {} {} client id {}", plan.quantity.ToString(),
                                         plan.symbol, p.entry_client_id);
  PositionEvent e{p.record.id,
                  p.record.symbol,
                  clock_.Now(),
                  std::string(PositionStateName(PositionState::kNotOwned)),
                  std::string(PositionStateName(PositionState::kPending)),
                  "ENTRY_SUBMITTED",
                  detail};
  if (!Journal(entry, e)) {
    return Fail(ErrorCode::kStore, plan.symbol + ": the entry could not be journaled; not sent");
  }
  p.state = PositionState::kPending;
  if (logger_.Enabled(LogLevel::kInfo)) {
    logger_.Log(LogLevel::kInfo, fmt::format("{} {} NOT_OWNED -> PENDING: ENTRY_SUBMITTED {}",
                                             p.record.id, p.record.symbol, detail));
  }
  const std::string id = p.record.id;
  orders_[p.entry_client_id] = entry;
  if (plan.stop_price < plan.expected_price) {
    planned_risk_[id] =
        Decimal::Mul(plan.quantity, plan.expected_price - plan.stop_price, Rounding::kUp);
  }
  active_.emplace(id, std::move(p));

  OrderRequest req;
  req.client_order_id = entry.client_id;
  req.symbol = plan.symbol;
  req.side = Side::kBuy;
  req.type = OrderType::kMarket;
  req.quantity = plan.quantity;
  const OrderAck ack = exchange_.PlaceOrder(req);
  OrderRecord& row = orders_[entry.client_id];
  Position& pos = active_.at(id);
  if (ack.accepted()) {
    row.exchange_order_id = ack.state.order_id;
    if (Unresolved(row.status)) row.status = JournalStatus::kNew;
    row.updated = clock_.Now();
    Journal(row);
    return id;
  }
  if (ack.unknown()) {
    row.status = JournalStatus::kUnknown;
    row.detail = ack.Why();
    Journal(row);
    Alert(AlertLevel::kWarning, fmt::format("{}: entry outcome unknown ({}); stays PENDING until "
                                            "a query by client id {} resolves it",
                                            id, ack.Why(), row.client_id));
    return id;
  }
  const std::string why = ack.Why();
  row.status = JournalStatus::kRejected;
  row.detail = why;
  Journal(row);
  Transition(pos, PositionState::kNotOwned, "ENTRY_REJECTED", why);
  if (auto r = store_.AppendRejection({clock_.Now(), plan.symbol, "EXCHANGE_REJECTED", why}); !r) {
    StoreFailed(r.error());
  }
  orders_.erase(entry.client_id);
  planned_risk_.erase(id);
  active_.erase(id);
  return Fail(ErrorCode::kRejected, plan.symbol + ": " + why);
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

void OrderManager::ProcessEvents() {
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    bool resync = false;
    std::vector<ExchangeEvent> events = exchange_.PollEvents();
    for (const ExchangeEvent& ev : events) {
      if (ev.kind == ExchangeEvent::Kind::kResync) {
        resync = true;
      } else {
        Apply(ev.report);
      }
    }
    if (resync) {
      logger_.Log(LogLevel::kWarning, "exchange asked for a resync: querying every open order");
      Reconcile();
    } else {
      // Orders whose request outcome is unknown are resolved by a query.
      if (std::any_of(orders_.begin(), orders_.end(),
                      [](const auto& entry) { return Unresolved(entry.second.status); })) {
        Reconcile();
      }
    }
    // Positions with nothing left close; the others get whatever protection they lack. Both can
    // produce new reports (a market exit fills at once), hence the next pass.
    std::vector<std::string> ids;
    for (const auto& [id, p] : active_) ids.push_back(id);
    for (const auto& id : ids) {
      auto it = active_.find(id);
      if (it == active_.end()) continue;
      CloseIfDone(it->second);
      it = active_.find(id);
      if (it != active_.end()) Protect(it->second);
    }
    if (events.empty()) return;
  }
  logger_.Log(LogLevel::kCritical,
              fmt::format("exchange events still arriving after {} passes; continuing next tick",
                          kMaxPasses));
}

void OrderManager::Apply(const ExecutionReport& report) {
  auto it = orders_.find(report.client_order_id);
  if (it == orders_.end()) return;  // not ours, or a finished order of a closed trade
  OrderRecord& o = it->second;
  // A fill is applied once: a report repeating what a query (or an earlier report) already
  // booked adds only what is new.
  const Decimal fresh = report.cumulative_quantity - o.executed_quantity;
  const bool was_unknown = o.status == JournalStatus::kUnknown;
  o.status = JournalStatusOf(report.status);
  o.executed_quantity = Max(o.executed_quantity, report.cumulative_quantity);
  o.cumulative_quote = Max(o.cumulative_quote, report.cumulative_quote);
  if (report.order_id != 0) o.exchange_order_id = report.order_id;
  o.updated = report.time;
  if (!report.reject_reason.empty()) o.detail = report.reject_reason;
  Journal(o);
  Position* p = Find(o);
  if (p == nullptr) return;
  const OrderRecord order = o;  // handlers may add orders (invalidating nothing, but be plain)
  if (!Unresolved(order.status) && !IsTerminal(order.status)) {
    // The exchange holds the current pair although the placement's acknowledgement was lost (or
    // predates a restart), or although a cancel of unknown outcome never took effect: it is a
    // live cover again, which the next stop move or an exit must cancel.
    Position::Leg* leg = LegOf(*p, order);
    if (leg != nullptr && (order.client_id == leg->limit_id || order.client_id == leg->stop_id) &&
        (leg->cover == Position::Cover::kSending ||
         (leg->cover == Position::Cover::kCancelling && was_unknown))) {
      leg->cover = Position::Cover::kLive;
    }
  }
  if (report.type == ExecutionType::kTrade && report.last_quantity.IsPositive() &&
      fresh.IsPositive()) {
    ExecutionReport fill = report;
    fill.last_quantity = Min(report.last_quantity, fresh);
    if (order.role == OrderRole::kEntry) {
      OnEntryFill(*p, fill);
    } else {
      OnExitFill(*p, order, fill);
    }
  }
  if (!IsTerminal(order.status)) return;
  switch (order.role) {
    case OrderRole::kEntry: OnEntryDone(*p, order); break;
    case OrderRole::kTakeProfit:
    case OrderRole::kStopLoss: OnCoverOrderDone(*p, order); break;
    case OrderRole::kExit:
      if (p->exit_client_id == order.client_id) p->exit_client_id.clear();
      if (order.status != JournalStatus::kFilled) {
        Alert(AlertLevel::kCritical,
              fmt::format("{}: market exit {} ended {} with {} sold: {}", p->record.id,
                          order.client_id, JournalStatusName(order.status),
                          order.executed_quantity.ToString(), order.detail));
      }
      break;
  }
}

void OrderManager::OnEntryFill(Position& p, const ExecutionReport& report) {
  if (p.state != PositionState::kPending) {
    logger_.Log(LogLevel::kCritical,
                fmt::format("{}: entry fill after the position opened ignored", p.record.id));
    return;
  }
  p.entry_filled += report.last_quantity;
  p.entry_quote += Decimal::Mul(report.last_price, report.last_quantity);
  if (report.commission_asset == p.symbol.base_asset) {
    p.entry_fee_base += report.commission;
  } else if (report.commission_asset == p.symbol.quote_asset || report.commission_asset.empty()) {
    p.entry_fee_quote += report.commission;
  } else if (report.commission.IsPositive()) {
    logger_.Log(LogLevel::kWarning,
                fmt::format("{}: entry fee {} {} paid in a third asset is not in the trade's P&L",
                            p.record.id, report.commission.ToString(), report.commission_asset));
  }
  if (p.entry_filled == report.last_quantity) {
    p.record.entry_price = report.last_price;  // one fill: its price exactly
  } else {
    p.record.entry_price = Decimal::Div(p.entry_quote, p.entry_filled);
  }
  p.record.entry_time = report.time;
}

void OrderManager::OnEntryDone(Position& p, const OrderRecord& order) {
  if (p.state != PositionState::kPending) return;
  planned_risk_.erase(p.record.id);
  if (p.entry_filled.IsPositive()) {
    Open(p);
    return;
  }
  const std::string event = order.status == JournalStatus::kRejected  ? "ENTRY_REJECTED"
                            : order.status == JournalStatus::kExpired ? "ENTRY_EXPIRED"
                                                                      : "ENTRY_CANCELED";
  const std::string why =
      order.detail.empty() ? std::string(JournalStatusName(order.status)) : order.detail;
  Transition(p, PositionState::kNotOwned, event, why);
  if (auto r = store_.AppendRejection(
          {clock_.Now(), p.record.symbol, "EXCHANGE_REJECTED", std::string(event) + ": " + why});
      !r) {
    StoreFailed(r.error());
  }
  orders_.erase(order.client_id);
  active_.erase(p.record.id);
}

void OrderManager::Open(Position& p) {
  TradeRecord& r = p.record;
  r.quantity = p.entry_filled;
  r.net_quantity = p.entry_filled - p.entry_fee_base;
  r.entry_fee = Decimal::Mul(p.entry_fee_base, r.entry_price, Rounding::kUp) + p.entry_fee_quote;
  p.cash_out = p.entry_quote + p.entry_fee_quote;
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
  p.dust = r.net_quantity - sellable;
  p.remaining = sellable;
  p.legs.clear();
  for (const Tranche& t : PlanTranches(sellable, exits_.take_profit_fractions, tp_prices, p.stop,
                                       p.symbol, apply_filters_)) {
    Position::Leg leg;
    leg.tranche = t;
    p.legs.push_back(leg);
  }
  std::string fee = fmt::format("{} {}", p.entry_fee_quote.ToString(), p.symbol.quote_asset);
  if (p.entry_fee_base.IsPositive()) {
    fee = fmt::format("{} {}", p.entry_fee_base.ToString(), p.symbol.base_asset);
  }
  std::string detail = fmt::format("bought {} at {} fee {}; stop {}", r.quantity.ToString(),
                                   r.entry_price.ToString(), fee, p.stop.ToString());
  if (p.dust.IsPositive()) {
    detail += fmt::format("; {} below one step stays as dust", p.dust.ToString());
  }
  if (!Transition(p, PositionState::kOpen, "ENTRY_FILLED", detail)) return;
  if (listener_ != nullptr) listener_->OnTradeOpened(r);
  if (p.initial_stop >= r.entry_price) {
    // A tick coarse for this price rounded the stop up to the fill: no stop can protect it.
    SendExit(p, ExitCause::kEmergency,
             fmt::format("stop {} is not below the fill price {} after rounding to the tick {}",
                         p.initial_stop.ToString(), r.entry_price.ToString(),
                         p.symbol.tick_size.ToString()));
    return;
  }
  Protect(p);
}

void OrderManager::Protect(Position& p) {
  if (p.state != PositionState::kOpen || !p.exit_client_id.empty()) return;
  for (auto& leg : p.legs) {
    if (leg.done || leg.cover != Position::Cover::kNone) continue;
    if (!PlaceCover(p, leg)) return;
  }
}

bool OrderManager::PlaceCover(Position& p, Position::Leg& leg) {
  const Decimal quantity = leg.Left();
  if (!quantity.IsPositive()) {
    leg.done = true;
    return true;
  }
  if (apply_filters_ &&
      (quantity < p.symbol.min_qty || Decimal::Mul(quantity, p.stop) < p.symbol.min_notional)) {
    // The exchange refuses any order this small, a market sell included: it is dust.
    logger_.Log(LogLevel::kWarning,
                fmt::format("{}: {} left of tranche {} is below the symbol's minimum order; kept "
                            "as dust",
                            p.record.id, quantity.ToString(), leg.tranche.level));
    leg.done = true;
    p.dust += quantity;
    p.remaining -= quantity;
    return true;
  }
  std::string list = fmt::format("{}-{}g{}", p.record.id, leg.tranche.level, p.generation);
  while (orders_.contains(list + "t") || orders_.contains(list + "s")) {
    ++p.generation;
    list = fmt::format("{}-{}g{}", p.record.id, leg.tranche.level, p.generation);
  }
  OrderRecord limit = NewOrder(p, OrderRole::kTakeProfit, leg.tranche.level, list + "t",
                               OrderType::kLimit, quantity);
  limit.price = leg.tranche.take_profit;
  limit.list_id = list;
  OrderRecord stop = NewOrder(p, OrderRole::kStopLoss, leg.tranche.level, list + "s",
                              OrderType::kStopLoss, quantity);
  stop.stop_price = p.stop;
  stop.list_id = list;
  if (!Journal(limit) || !Journal(stop)) {
    Alert(AlertLevel::kCritical,
          fmt::format("{}: tranche {} is UNPROTECTED: its orders could not be journaled, so none "
                      "was sent; retrying on the next pass",
                      p.record.id, leg.tranche.level));
    return false;
  }
  orders_[limit.client_id] = limit;
  orders_[stop.client_id] = stop;
  leg.list_id = list;
  leg.limit_id = limit.client_id;
  leg.stop_id = stop.client_id;
  leg.cover = Position::Cover::kSending;
  OcoRequest req;
  req.list_client_id = list;
  req.limit_client_id = limit.client_id;
  req.stop_client_id = stop.client_id;
  req.symbol = p.record.symbol;
  req.quantity = quantity;
  req.limit_price = limit.price;
  req.stop_price = stop.stop_price;
  const OrderAck ack = exchange_.PlaceOco(req);
  OrderRecord& lim_row = orders_.at(limit.client_id);
  OrderRecord& stop_row = orders_.at(stop.client_id);
  if (ack.accepted()) {
    for (const OrderState& s : ack.legs) {
      auto it = orders_.find(s.request.client_order_id);
      if (it != orders_.end()) it->second.exchange_order_id = s.order_id;
    }
    for (OrderRecord* row : {&lim_row, &stop_row}) {
      if (Unresolved(row->status)) row->status = JournalStatus::kNew;
      row->updated = clock_.Now();
      Journal(*row);
    }
    if (leg.cover == Position::Cover::kSending) leg.cover = Position::Cover::kLive;
    if (listener_ != nullptr) listener_->OnProtectionPlaced(p.record, p.stop, quantity);
    return true;
  }
  const std::string why = ack.Why();
  if (ack.unknown()) {
    for (OrderRecord* row : {&lim_row, &stop_row}) {
      row->status = JournalStatus::kUnknown;
      row->detail = why;
      Journal(*row);
    }
    Alert(AlertLevel::kWarning, fmt::format("{}: protective OCO {} outcome unknown ({}); querying",
                                            p.record.id, list, why));
    return true;
  }
  for (OrderRecord* row : {&lim_row, &stop_row}) {
    row->status = JournalStatus::kRejected;
    row->detail = why;
    Journal(*row);
  }
  leg.cover = Position::Cover::kNone;
  if (listener_ != nullptr) listener_->OnProtectionFailed(p.record, why);
  if (IsRateLimit(ack)) {
    Alert(AlertLevel::kCritical,
          fmt::format("{}: tranche {} is UNPROTECTED: the protective OCO was rate-limited ({}); "
                      "retrying on the next pass",
                      p.record.id, leg.tranche.level, why));
    return false;
  }
  logger_.Log(LogLevel::kCritical, fmt::format("{}: protective OCO refused: {}", p.record.id, why));
  if (auto r = store_.AppendRejection({clock_.Now(), p.record.symbol, "PROTECTION_REJECTED", why});
      !r) {
    StoreFailed(r.error());
  }
  // Only this tranche is sold when the others are protected (e.g. its take-profit is already
  // below the price after a partial fill, so its new pair is refused); otherwise everything.
  const bool others_live = std::any_of(p.legs.begin(), p.legs.end(), [&](const Position::Leg& l) {
    return &l != &leg && !l.done && l.cover == Position::Cover::kLive;
  });
  SendExit(p, ExitCause::kEmergency, "protective orders refused: " + why,
           others_live ? &leg : nullptr);
  return false;
}

void OrderManager::CancelCover(Position& p, Position::Leg& leg) {
  if (leg.cover != Position::Cover::kLive) return;
  const OrderAck ack = exchange_.CancelOrder(p.record.symbol, leg.limit_id);
  if (ack.accepted()) {
    // Re-cover at once only when the cancel shows no fill we have not seen; otherwise wait for
    // the reports so the new cover never exceeds what is left.
    bool settled = true;
    std::vector<OrderState> states = ack.legs;
    if (states.empty()) states.push_back(ack.state);
    for (const OrderState& s : states) {
      auto it = orders_.find(s.request.client_order_id);
      if (it == orders_.end()) continue;
      if (s.executed_quantity > it->second.executed_quantity) settled = false;
    }
    for (const std::string& id : {leg.limit_id, leg.stop_id}) {
      OrderRecord& row = orders_.at(id);
      if (!settled || IsTerminal(row.status)) continue;
      row.status = JournalStatus::kCanceled;
      row.updated = clock_.Now();
      Journal(row);
    }
    leg.cover = settled ? Position::Cover::kNone : Position::Cover::kCancelling;
    return;
  }
  if (ack.unknown()) {
    leg.cover = Position::Cover::kCancelling;
    for (const std::string& id : {leg.limit_id, leg.stop_id}) {
      OrderRecord& row = orders_.at(id);
      if (!IsTerminal(row.status)) row.status = JournalStatus::kUnknown;
    }
    logger_.Log(LogLevel::kWarning, fmt::format("{}: cancel of {} outcome unknown ({}); querying",
                                                p.record.id, leg.list_id, ack.Why()));
    return;
  }
  // Refused ("-2011 Unknown order sent."): the pair already filled or was cancelled. Keep the
  // cover as it is (never a second one) and learn its fate from the exchange.
  logger_.Log(LogLevel::kWarning, fmt::format("{}: could not cancel {}: {}; querying it",
                                              p.record.id, leg.list_id, ack.Why()));
  for (const std::string& id : {leg.limit_id, leg.stop_id}) {
    auto q = exchange_.QueryOrder(p.record.symbol, id);
    if (!q) continue;
    ApplyOrderState(orders_.at(id), *q);
  }
}

void OrderManager::ApplyOrderState(OrderRecord& order, const OrderState& state) {
  // A query can show fills whose reports were lost: report them (the fee is not in a query).
  if (state.executed_quantity > order.executed_quantity) {
    ExecutionReport fill;
    fill.type = ExecutionType::kTrade;
    fill.status = state.status;
    fill.client_order_id = order.client_id;
    fill.order_id = state.order_id;
    fill.symbol = order.symbol;
    fill.side = order.side;
    fill.order_type = order.type;
    fill.quantity = order.quantity;
    fill.cumulative_quantity = state.executed_quantity;
    fill.cumulative_quote = state.cumulative_quote;
    fill.last_quantity = state.executed_quantity - order.executed_quantity;
    fill.last_price =
        Decimal::Div(state.cumulative_quote - order.cumulative_quote, fill.last_quantity);
    fill.time = state.update_time != 0 ? state.update_time : clock_.Now();
    logger_.Log(
        LogLevel::kWarning,
        fmt::format("{}: a query shows {} filled that no report announced; booked at {} "
                    "without its fee",
                    order.client_id, fill.last_quantity.ToString(), fill.last_price.ToString()));
    Apply(fill);
    return;
  }
  const JournalStatus status = JournalStatusOf(state.status);
  if (status == order.status) return;
  ExecutionReport change;
  change.type = state.status == OrderStatus::kCanceled   ? ExecutionType::kCanceled
                : state.status == OrderStatus::kExpired  ? ExecutionType::kExpired
                : state.status == OrderStatus::kRejected ? ExecutionType::kRejected
                                                         : ExecutionType::kNew;
  change.status = state.status;
  change.client_order_id = order.client_id;
  change.order_id = state.order_id;
  change.symbol = order.symbol;
  change.cumulative_quantity = state.executed_quantity;
  change.cumulative_quote = state.cumulative_quote;
  change.reject_reason = state.reject_reason;
  change.time = state.update_time != 0 ? state.update_time : clock_.Now();
  Apply(change);
}

void OrderManager::Reconcile() {
  std::vector<std::string> ids;
  for (const auto& [id, o] : orders_) {
    if (!IsTerminal(o.status)) ids.push_back(id);
  }
  for (const auto& id : ids) {
    auto it = orders_.find(id);
    if (it == orders_.end() || IsTerminal(it->second.status)) continue;
    auto q = exchange_.QueryOrder(it->second.symbol, id);
    if (q) {
      ApplyOrderState(it->second, *q);
      continue;
    }
    if (q.error().code != ErrorCode::kNotFound) {
      logger_.Log(LogLevel::kWarning,
                  fmt::format("query of {} failed ({}); retrying later", id, q.error().ToString()));
      continue;
    }
    // The exchange never received it: a request journaled but not sent, or lost on the way.
    ExecutionReport gone;
    gone.type = ExecutionType::kRejected;
    gone.status = OrderStatus::kRejected;
    gone.client_order_id = id;
    gone.symbol = it->second.symbol;
    gone.reject_reason = "never reached the exchange (query: " + q.error().message + ")";
    gone.time = clock_.Now();
    Apply(gone);
  }
}

void OrderManager::OnCoverOrderDone(Position& p, const OrderRecord& order) {
  Position::Leg* leg = LegOf(p, order);
  if (leg == nullptr || leg->done) return;
  if (order.client_id != leg->limit_id && order.client_id != leg->stop_id) return;  // older pair
  auto lim = orders_.find(leg->limit_id);
  auto stp = orders_.find(leg->stop_id);
  const bool lim_done = lim == orders_.end() || IsTerminal(lim->second.status);
  const bool stop_done = stp == orders_.end() || IsTerminal(stp->second.status);
  if (lim_done && stop_done) {
    if (leg->cover == Position::Cover::kLive || leg->cover == Position::Cover::kSending) {
      logger_.Log(LogLevel::kWarning,
                  fmt::format("{}: the cover of tranche {} ended ({} {}) with {} left; "
                              "protecting it again",
                              p.record.id, leg->tranche.level, order.client_id,
                              JournalStatusName(order.status), leg->Left().ToString()));
    }
    leg->cover = Position::Cover::kNone;
    return;
  }
  // One leg of the pair ended while the other is still open (e.g. the stop was cancelled after
  // the take-profit partly filled): what is left is not fully protected. Replace the pair.
  if (leg->cover == Position::Cover::kLive) CancelCover(p, *leg);
}

void OrderManager::OnExitFill(Position& p, const OrderRecord& order,
                              const ExecutionReport& report) {
  Position::Leg* leg = LegOf(p, order);
  TradeRecord& r = p.record;
  ExitReason reason = ExitReason::kEmergency;
  if (order.role == OrderRole::kTakeProfit) reason = TakeProfitReason(order.level);
  if (order.role == OrderRole::kStopLoss) reason = StopReason(p);
  const Decimal fee_quote = report.commission_asset == p.symbol.base_asset
                                ? Decimal::Mul(report.commission, report.last_price, Rounding::kUp)
                                : report.commission;
  const Decimal qty = report.last_quantity;
  p.remaining -= qty;
  p.cash_in += Decimal::Mul(report.last_price, qty) - fee_quote;
  if (leg != nullptr) {
    leg->filled += qty;
    if (!leg->Left().IsPositive()) leg->done = true;
  }
  // One stop hitting several tranches at one price is one exit, as a trader sees it.
  if (!r.exits.empty() && r.exits.back().reason == reason &&
      r.exits.back().price == report.last_price &&
      r.exits.back().candle_open_time == report.candle_open_time &&
      r.exits.back().time == report.time) {
    r.exits.back().quantity += qty;
    r.exits.back().fee += fee_quote;
  } else {
    r.exits.push_back({report.time, report.candle_open_time, report.candle_index, report.last_price,
                       qty, fee_quote, reason});
  }
  if (order.role == OrderRole::kTakeProfit && order.level == 1 &&
      exits_.trailing_activation == TrailingActivation::kAfterTp1) {
    p.trailing_active = true;  // moves the stop from the next candle on (OnCandleClosed)
  }
  if (p.remaining.IsPositive()) {
    const std::string detail = fmt::format("sold {} at {} fee {}", qty.ToString(),
                                           report.last_price.ToString(), fee_quote.ToString());
    Transition(p, PositionState::kOpen, std::string(ExitReasonName(reason)), detail);
    if (listener_ != nullptr) listener_->OnPartialExit(r, r.exits.back());
  }
}

void OrderManager::SendExit(Position& p, ExitCause cause, const std::string& why,
                            Position::Leg* only) {
  Decimal quantity;
  if (only != nullptr) {
    quantity = only->Left();
    only->done = true;
  } else {
    for (auto& leg : p.legs) {
      if (!leg.done && leg.cover == Position::Cover::kLive) CancelCover(p, leg);
    }
    // Sell what no live cover still holds; a cover that could not be cancelled keeps protecting.
    for (auto& leg : p.legs) {
      if (leg.done || leg.cover != Position::Cover::kNone) continue;
      quantity += leg.Left();
      leg.done = true;
    }
  }
  if (p.legs.empty() ||
      std::all_of(p.legs.begin(), p.legs.end(), [](const Position::Leg& l) { return l.done; })) {
    quantity = p.remaining;
  }
  const bool owner = cause == ExitCause::kOwner;
  logger_.Log(owner ? LogLevel::kWarning : LogLevel::kCritical,
              fmt::format("{}: {} market exit of {}: {}", p.record.id,
                          owner ? "requested" : "emergency", quantity.ToString(), why));
  if (!quantity.IsPositive()) return;
  ++p.exit_attempts;
  const std::string id = fmt::format("{}-x{}", p.record.id, p.exit_attempts);
  const OrderRecord exit = NewOrder(p, OrderRole::kExit, 0, id, OrderType::kMarket, quantity);
  if (!Journal(exit)) {
    Alert(AlertLevel::kCritical,
          fmt::format("{}: market exit not sent: the journal failed; retrying", p.record.id));
    return;
  }
  orders_[id] = exit;
  p.exit_client_id = id;
  OrderRequest req;
  req.client_order_id = id;
  req.symbol = p.record.symbol;
  req.side = Side::kSell;
  req.type = OrderType::kMarket;
  req.quantity = quantity;
  const OrderAck ack = exchange_.PlaceOrder(req);
  OrderRecord& row = orders_.at(id);
  if (ack.accepted()) {
    if (Unresolved(row.status)) row.status = JournalStatus::kNew;
    row.exchange_order_id = ack.state.order_id;
    Journal(row);
    return;
  }
  row.status = ack.unknown() ? JournalStatus::kUnknown : JournalStatus::kRejected;
  row.detail = ack.Why();
  Journal(row);
  if (ack.rejected()) {
    p.exit_client_id.clear();
    Alert(AlertLevel::kCritical,
          fmt::format("{}: MARKET EXIT FAILED ({}), {} {} still held{}", p.record.id, ack.Why(),
                      p.remaining.ToString(), p.symbol.base_asset,
                      p.exit_attempts >= kMaxExitAttempts ? "; manual action needed"
                                                          : "; retrying on the next pass"));
  }
}

void OrderManager::CloseIfDone(Position& p) {
  if (p.state != PositionState::kOpen) return;
  const bool legs_done =
      std::all_of(p.legs.begin(), p.legs.end(), [](const Position::Leg& l) { return l.done; });
  if (p.remaining.IsPositive()) {
    // Everything is in an exit that ended short: try again (bounded).
    if (legs_done && p.exit_client_id.empty() && p.exit_attempts > 0 &&
        p.exit_attempts < kMaxExitAttempts) {
      SendExit(p, ExitCause::kEmergency, "the previous market exit did not sell everything");
    } else if (legs_done && p.exit_client_id.empty() && p.exit_attempts >= kMaxExitAttempts &&
               !p.stranded) {
      p.stranded = true;
      Alert(AlertLevel::kCritical,
            fmt::format("{}: {} {} is UNPROTECTED after {} market exits that did not sell it; "
                        "manual action needed",
                        p.record.id, p.remaining.ToString(), p.symbol.base_asset, p.exit_attempts));
    }
    return;
  }
  if (!legs_done || !p.exit_client_id.empty() || p.record.exits.empty()) return;
  Close(p);
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
  // Dust stays in the account at its cost: it is not a loss of the trade.
  r.pnl = p.cash_in - p.cash_out + Decimal::Mul(p.dust, r.entry_price);
  const Decimal basis = Decimal::Mul(r.entry_price, r.quantity);
  r.pnl_percent = basis.IsPositive() ? 100.0 * r.pnl.ToDouble() / basis.ToDouble() : 0.0;
  r.status = TradeStatus::kClosed;
  std::string detail = fmt::format("{} pnl {} ({:+.2f}%)", ExitReasonName(r.exit_reason),
                                   r.pnl.ToString(), r.pnl_percent);
  if (p.dust.IsPositive()) detail += fmt::format("; dust {} kept", p.dust.ToString());
  Transition(p, PositionState::kClosed, "CLOSED", detail);
  TradeRecord closed = r;
  for (auto it = orders_.begin(); it != orders_.end();) {
    it = it->second.trade_id == r.id ? orders_.erase(it) : std::next(it);
  }
  active_.erase(r.id);
  if (on_closed_) on_closed_(closed);
  if (listener_ != nullptr) listener_->OnTradeClosed(closed);
}

void OrderManager::OnCandleClosed(std::string_view symbol, const Candle& candle) {
  for (auto& [id, p] : active_) {
    if (p.state != PositionState::kOpen || p.record.symbol != symbol) continue;
    if (candle.open_time < p.record.entry_time) continue;  // the entry candle itself
    if (candle.high > p.highest_high) p.highest_high = candle.high;
    if (!p.trailing_active || !p.exit_client_id.empty()) continue;
    Decimal next = RoundPrice(
        p, Decimal::Mul(p.highest_high, kOne - Decimal::Div(exits_.trailing_stop_percent, kHundred),
                        Rounding::kUp));
    next = Max(p.initial_stop, next);
    if (exits_.trailing_below_last_price && next >= candle.close) {
      // A stop at or above the last price would trigger at once (Binance: -2010): clamp it one
      // tick below the last price, or keep the current stop when there is no tick to step by.
      if (!apply_filters_ || !p.symbol.tick_size.IsPositive()) continue;
      next = (candle.close - p.symbol.tick_size).RoundToStep(p.symbol.tick_size, Rounding::kDown);
    }
    if (next <= p.stop) continue;
    for (auto& leg : p.legs) {
      if (!leg.done) CancelCover(p, leg);
    }
    const Decimal old = p.stop;
    p.stop = next;
    ++p.generation;
    Transition(p, PositionState::kOpen, "STOP_MOVED",
               fmt::format("stop {} -> {} (highest high {})", old.ToString(), next.ToString(),
                           p.highest_high.ToString()));
    Protect(p);
  }
}

Result<void> OrderManager::ClosePosition(const std::string& trade_id, const std::string& why) {
  auto it = active_.find(trade_id);
  if (it == active_.end()) return Fail(ErrorCode::kNotFound, "no open trade " + trade_id);
  Position& p = it->second;
  if (p.state != PositionState::kOpen) {
    return Fail(ErrorCode::kInvalidArgument, trade_id + " is " +
                                                 std::string(PositionStateName(p.state)) +
                                                 ": only an OPEN position can be closed");
  }
  if (!p.exit_client_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument, trade_id + " is already being sold");
  }
  SendExit(p, ExitCause::kOwner, why);
  return {};
}

void OrderManager::SeedHighestHigh(const std::string& trade_id, Decimal high) {
  auto it = active_.find(trade_id);
  if (it != active_.end() && high > it->second.highest_high) it->second.highest_high = high;
}

Result<int> OrderManager::Restore(
    const std::function<Result<SymbolInfo>(std::string_view)>& symbol_info) {
  auto trades = store_.LoadTrades();
  if (!trades) return std::unexpected(trades.error());
  auto rows = store_.LoadActiveOrders();
  if (!rows) return std::unexpected(rows.error());
  std::map<std::string, std::vector<OrderRecord>> by_trade;
  for (const OrderRecord& o : *rows) by_trade[o.trade_id].push_back(o);
  int restored = 0;
  for (const TradeRecord& t : *trades) {
    if (t.status != TradeStatus::kOpen) continue;
    auto info = symbol_info(t.symbol);
    if (!info) return std::unexpected(info.error());
    Position p;
    p.record = t;
    p.symbol = *info;
    p.state = PositionState::kOpen;
    p.entry_client_id = t.id + "-e";
    p.entry_filled = t.quantity;
    p.entry_quote = Decimal::Mul(t.entry_price, t.quantity);
    p.entry_fee_base = t.quantity - t.net_quantity;
    p.entry_fee_quote = p.entry_fee_base.IsPositive() ? Decimal() : t.entry_fee;
    p.cash_out = p.entry_quote + p.entry_fee_quote;
    for (const ExitFill& e : t.exits) p.cash_in += Decimal::Mul(e.price, e.quantity) - e.fee;
    p.initial_stop = t.stop_loss;
    p.stop = t.stop_loss;
    p.trailing_active = exits_.trailing_activation == TrailingActivation::kImmediate;
    for (const ExitFill& e : t.exits) {
      if (e.reason == ExitReason::kTakeProfit1) p.trailing_active = true;
    }
    Decimal sellable = t.net_quantity;
    if (apply_filters_ && p.symbol.step_size.IsPositive()) {
      sellable = sellable.RoundToStep(p.symbol.step_size, Rounding::kDown);
    }
    p.dust = t.net_quantity - sellable;
    std::vector<Decimal> fractions;
    std::vector<Decimal> tps;
    for (const auto& level : t.take_profits) {
      fractions.push_back(level.fraction);
      tps.push_back(level.price);
    }
    for (const Tranche& tr :
         PlanTranches(sellable, fractions, tps, p.initial_stop, p.symbol, apply_filters_)) {
      Position::Leg leg;
      leg.tranche = tr;
      p.legs.push_back(leg);
    }
    Decimal sold;
    int max_generation = -1;
    const auto& own = by_trade[t.id];
    for (const OrderRecord& o : own) {
      orders_[o.client_id] = o;
      if (o.side == Side::kSell) sold += o.executed_quantity;
      max_generation = std::max(max_generation, o.generation);
      if (o.role == OrderRole::kStopLoss && o.status != JournalStatus::kRejected &&
          o.stop_price > p.stop) {
        p.stop = o.stop_price;
      }
      if (o.role == OrderRole::kExit) {
        ++p.exit_attempts;
        if (!IsTerminal(o.status)) p.exit_client_id = o.client_id;
        for (auto& leg : p.legs) leg.done = true;
      }
    }
    for (auto& leg : p.legs) {
      int gen = -1;
      for (const OrderRecord& o : own) {
        if (o.level != leg.tranche.level ||
            (o.role != OrderRole::kTakeProfit && o.role != OrderRole::kStopLoss)) {
          continue;
        }
        leg.filled += o.executed_quantity;
        if (o.generation >= gen && !IsTerminal(o.status)) {
          gen = o.generation;
          leg.list_id = o.list_id;
          if (o.role == OrderRole::kTakeProfit) leg.limit_id = o.client_id;
          if (o.role == OrderRole::kStopLoss) leg.stop_id = o.client_id;
          leg.cover = Unresolved(o.status) ? Position::Cover::kSending : Position::Cover::kLive;
        }
      }
      if (!leg.Left().IsPositive()) leg.done = true;
    }
    p.remaining = sellable - sold;
    p.generation = max_generation + 1;
    active_.emplace(t.id, std::move(p));
    ++restored;
  }
  // Entries journaled but not yet OPEN: PENDING until their order is resolved.
  for (const auto& [trade_id, own] : by_trade) {
    if (active_.contains(trade_id)) continue;
    for (const OrderRecord& o : own) {
      if (o.role != OrderRole::kEntry || IsTerminal(o.status)) continue;
      auto info = symbol_info(o.symbol);
      if (!info) return std::unexpected(info.error());
      Position p;
      p.symbol = *info;
      p.record.id = trade_id;
      p.record.symbol = o.symbol;
      p.state = PositionState::kPending;
      p.entry_client_id = o.client_id;
      orders_[o.client_id] = o;
      // Fills before the restart are learnt again from the query (Reconcile()).
      orders_[o.client_id].executed_quantity = Decimal();
      orders_[o.client_id].cumulative_quote = Decimal();
      active_.emplace(trade_id, std::move(p));
      ++restored;
    }
  }
  return restored;
}

}  // namespace osprey
