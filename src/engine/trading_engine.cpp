#include "engine/trading_engine.hpp"

#include <fmt/format.h>

#include <chrono>
#include <limits>
#include <memory>

#include "core/candle_time.hpp"
#include "risk/risk_chain.hpp"
#include "risk/stop_price.hpp"

namespace osprey {
TradingEngine::TradingEngine(const Settings& settings, const Clock& clock, MarketData& market,
                             std::vector<Analyst*> analysts, Exchange& exchange, TradeStore& store,
                             Logger& logger)
    : settings_(settings),
      clock_(clock),
      market_(market),
      panel_(std::move(analysts)),
      exchange_(exchange),
      store_(store),
      logger_(logger),
      orders_(exchange, store, logger, clock, settings.exits,
              settings.exchange.apply_symbol_filters),
      sizer_(settings.risk, settings.positions),
      snapshot_builder_(panel_.HistoryHours()) {
  rules_.min_confidence = settings.ai.min_confidence_score;
  rules_.min_agreements = settings.ai.min_consensus_agreements;
  rules_.max_candidates = settings.ai.max_candidates;
  rules_.risk_veto = settings.ai.risk_veto;
  orders_.SetOnTradeClosed([this](const TradeRecord& r) { OnTradeClosed(r); });
}

Result<void> TradingEngine::Start(Decimal starting_equity) {
  universe_ = market_.Symbols();
  base_assets_.clear();
  for (const auto& s : universe_) {
    auto info = exchange_.GetSymbolInfo(s);
    if (!info) return std::unexpected(info.error());
    base_assets_.push_back(info->base_asset);
  }
  traded_.assign(universe_.size(), false);
  for (std::size_t i = 0; i < universe_.size(); ++i) {
    // After a restart the account may already hold what earlier runs bought.
    auto held = exchange_.TotalBalance(base_assets_[i]);
    traded_[i] = held && held->IsPositive();
  }
  last_close_.assign(universe_.size(), Decimal());
  equity_ = starting_equity;
  breakers_ = std::make_unique<CircuitBreakers>(settings_.breakers, starting_equity, clock_.Now());
  auto saved = store_.LoadRiskState();
  if (!saved) return std::unexpected(saved.error());
  if (saved->has_value()) {
    const RiskState& state = saved->value();
    breakers_->Restore(state);
    logger_.Log(LogLevel::kInfo,
                fmt::format("risk state restored: {} {}", state.status, state.halt_reason));
  } else {
    SaveRisk();
  }
  if (auto edge = store_.LoadState("edge.state"); !edge) {
    return std::unexpected(edge.error());
  } else if (edge->has_value()) {
    auto state = DecodeEdgeState(**edge);
    if (!state) return std::unexpected(state.error());
    kelly_.Restore(std::move(*state));
    logger_.Log(LogLevel::kInfo, "edge estimate restored: " + kelly_.Describe());
  }
  for (const char* key : {"engine.paused", "engine.stop_buying"}) {
    auto v = store_.LoadState(key);
    if (!v) return std::unexpected(v.error());
    const bool on = v->has_value() && **v == "1";
    (std::string_view(key) == "engine.paused" ? paused_ : stop_buying_) = on;
  }
  // Positions and orders a previous run left open: rebuilt from the journal, then checked
  // against the exchange (orders whose outcome was unknown, fills while the bot was down).
  auto restored =
      orders_.Restore([this](std::string_view symbol) { return exchange_.GetSymbolInfo(symbol); });
  if (!restored) return std::unexpected(restored.error());
  restored_ = *restored;
  last_fed_.assign(universe_.size(), std::numeric_limits<TimeMs>::min());
  for (std::size_t i = 0; i < universe_.size(); ++i) {
    auto candles =
        market_.ClosedCandles(universe_[i], kHourMs, std::numeric_limits<std::size_t>::max());
    if (!candles || candles->empty()) continue;
    last_fed_[i] = candles->back().open_time;  // history: never fed to the exchange again
    last_close_[i] = candles->back().close;
    for (const auto& [id, p] : orders_.active()) {
      if (p.record.symbol != universe_[i]) continue;
      traded_[i] = true;
      Decimal high;
      for (auto c = candles->rbegin(); c != candles->rend() && c->open_time >= p.record.entry_time;
           ++c) {
        high = Max(high, c->high);
      }
      orders_.SeedHighestHigh(id, high);
    }
  }
  if (restored_ > 0) {
    logger_.Log(LogLevel::kWarning,
                fmt::format("restored {} open position(s) from the store; reconciling their "
                            "orders with the exchange",
                            restored_));
    orders_.Reconcile();
    orders_.ProcessEvents();
  }
  return {};
}

void TradingEngine::AddEdge(double r_multiple, TradeKind kind) {
  const EdgeTransition t = kelly_.Add(r_multiple, kind);
  if (auto r = store_.SaveState("edge.state", EncodeEdgeState(kelly_.state())); !r) {
    logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
  }
  if (t == EdgeTransition::kNone) return;
  const bool entered = t == EdgeTransition::kEnteredNoEdge;
  logger_.Log(LogLevel::kWarning,
              fmt::format("{} NO_EDGE: Kelly fraction {:.4f} ({}){}", entered ? "entered" : "left",
                          kelly_.KellyFraction(), kelly_.Describe(),
                          entered ? "; refused signals are followed as shadow trades"
                                  : "; trading resumes"));
  if (listener_ != nullptr) listener_->OnNoEdge(entered, kelly_.KellyFraction());
}

void TradingEngine::SetListener(TradingListener* listener) {
  listener_ = listener;
  orders_.SetListener(listener);
}

void TradingEngine::SaveCommandState() {
  for (const auto& [key, on] :
       {std::pair{"engine.paused", paused_}, std::pair{"engine.stop_buying", stop_buying_}}) {
    if (auto r = store_.SaveState(key, on ? "1" : "0"); !r) {
      logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
    }
  }
}

Result<void> TradingEngine::Execute(const EngineCommand& command) {
  const std::string who = command.reason.empty() ? "owner" : command.reason;
  switch (command.kind) {
    case EngineCommand::Kind::kPause: paused_ = true; break;
    case EngineCommand::Kind::kResume:
      paused_ = false;
      stop_buying_ = false;
      break;
    case EngineCommand::Kind::kStopBuying: stop_buying_ = true; break;
    case EngineCommand::Kind::kClosePosition: {
      auto closed = orders_.ClosePosition(command.trade_id, "asked by " + who);
      if (!closed) return closed;
      orders_.ProcessEvents();
      return {};
    }
    case EngineCommand::Kind::kResetBreaker: {
      const bool was_halted = breakers_->Halted();
      const bool was_reducing = breakers_->Reducing();
      breakers_->Reset(clock_.Now(), CurrentEquity(nullptr));
      SaveRisk();
      logger_.Log(LogLevel::kWarning, "circuit breakers reset by " + who);
      NoteBreakerChange(was_halted, was_reducing);
      return {};
    }
  }
  SaveCommandState();
  logger_.Log(LogLevel::kWarning,
              fmt::format("{} by {}: paused={} stop_buying={}",
                          command.kind == EngineCommand::Kind::kPause        ? "paused"
                          : command.kind == EngineCommand::Kind::kStopBuying ? "buying stopped"
                                                                             : "resumed",
                          who, paused_, stop_buying_));
  return {};
}

void TradingEngine::NoteBreakerChange(bool was_halted, bool was_reducing) {
  const bool halted = breakers_->Halted();
  const bool reducing = breakers_->Reducing();
  if (halted == was_halted && reducing == was_reducing) return;
  if (listener_ != nullptr) listener_->OnBreaker(halted || reducing, breakers_->state());
}

void TradingEngine::OnMonitor(TimeMs scheduled) {
  (void)scheduled;
  orders_.ProcessEvents();
}

void TradingEngine::OnHeartbeat(TimeMs scheduled) {
  if (listener_ == nullptr) return;
  Heartbeat beat;
  beat.time = scheduled;
  beat.equity = equity_;
  beat.open_positions = orders_.ActiveCount();
  beat.status = breakers_->state().status;
  if (paused_) beat.status += " PAUSED";
  if (stop_buying_) beat.status += " NOT_BUYING";
  if (orders_.JournalFailed()) beat.status += " SAFE";
  listener_->OnHeartbeat(beat);
}

Decimal TradingEngine::OnHour(TimeMs scheduled) {
  for (std::size_t i = 0; i < universe_.size(); ++i) {
    auto candles =
        market_.ClosedCandles(universe_[i], kHourMs, std::numeric_limits<std::size_t>::max());
    if (!candles || candles->empty()) continue;
    // Every candle that closed since the last call, oldest first (normally exactly one).
    std::size_t first = candles->size();
    while (first > 0 && (*candles)[first - 1].open_time > last_fed_[i]) --first;
    for (std::size_t k = first; k < candles->size(); ++k) {
      const Candle& candle = (*candles)[k];
      last_fed_[i] = candle.open_time;
      if (candle_hook_) candle_hook_(universe_[i], candle, static_cast<std::int64_t>(k));
      MonitorPositions(universe_[i], candle);
    }
  }
  RunCycle(scheduled);
  return MarkEquity(scheduled);
}

void TradingEngine::SaveRisk() {
  if (auto r = store_.SaveRiskState(breakers_->state()); !r) {
    logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
  }
}

std::size_t TradingEngine::IndexOf(std::string_view symbol) {
  // Candles arrive symbol after symbol in a fixed order: the next index is the likely one.
  const std::size_t n = universe_.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (last_index_ + k) % n;
    if (universe_[i] == symbol) return last_index_ = i;
  }
  return n;
}

Decimal TradingEngine::LastClose(std::string_view symbol) {
  const std::size_t i = IndexOf(symbol);
  return i < universe_.size() ? last_close_[i] : Decimal();
}

void TradingEngine::MonitorPositions(std::string_view symbol, const Candle& candle) {
  const std::size_t i = IndexOf(symbol);
  if (i < universe_.size()) last_close_[i] = candle.close;
  orders_.ProcessEvents();
  if (orders_.ActiveCount() > 0) orders_.OnCandleClosed(symbol, candle);
  if (shadows_.size() > 0) {
    for (double r : shadows_.OnCandle(symbol, candle)) AddEdge(r, TradeKind::kShadow);
  }
}

void TradingEngine::OnTradeClosed(const TradeRecord& record) {
  closed_.push_back(record);
  if (const auto r = RMultiple(record)) AddEdge(*r, TradeKind::kReal);
  const bool was_halted = breakers_->Halted();
  const bool was_reducing = breakers_->Reducing();
  if (breakers_->OnTradeClosed(clock_.Now(), record.pnl)) SaveRisk();
  if (!was_halted && breakers_->Halted()) {
    logger_.Log(LogLevel::kCritical, "circuit breaker tripped: " + breakers_->state().halt_reason);
  }
  NoteBreakerChange(was_halted, was_reducing);
}

Decimal TradingEngine::CurrentEquity(Decimal* cash) {
  auto quote = exchange_.TotalBalance(settings_.capital.account_currency);
  Decimal equity = quote ? *quote : Decimal();
  if (cash != nullptr) *cash = equity;
  for (std::size_t i = 0; i < universe_.size(); ++i) {
    if (!traded_[i]) continue;  // the bot's equity: quote plus the assets it has bought
    auto held = exchange_.TotalBalance(base_assets_[i]);
    if (held && held->IsPositive()) equity += Decimal::Mul(*held, last_close_[i]);
  }
  return equity;
}

Decimal TradingEngine::MarkEquity(TimeMs scheduled) {
  (void)scheduled;  // the mark is stamped with the clock's time, which the backtest sets exactly
  Decimal cash;
  const Decimal equity = CurrentEquity(&cash);
  equity_ = equity;
  const bool was_halted = breakers_->Halted();
  const bool was_reducing = breakers_->Reducing();
  if (breakers_->OnEquity(clock_.Now(), equity)) {
    SaveRisk();
    if (breakers_->Halted() != was_halted || breakers_->Reducing() != was_reducing) {
      logger_.Log(breakers_->Halted() ? LogLevel::kCritical : LogLevel::kWarning,
                  fmt::format("risk status {} -> {}{}",
                              was_halted ? "HALTED" : (was_reducing ? "REDUCING" : "ACTIVE"),
                              breakers_->state().status,
                              breakers_->state().halt_reason.empty()
                                  ? ""
                                  : " (" + breakers_->state().halt_reason + ")"));
    }
    NoteBreakerChange(was_halted, was_reducing);
  }
  // The store keeps equity as a step function: a row whenever equity, cash or the number of open
  // positions changed (flat hours repeat the previous row and are not written).
  const int open = orders_.ActiveCount();
  if (!stored_equity_ || stored_equity_->equity != equity || stored_equity_->cash != cash ||
      stored_equity_->open_positions != open) {
    stored_equity_ = EquitySnapshot{clock_.Now(), equity, cash, open};
    if (auto r = store_.AppendEquity(*stored_equity_); !r) {
      logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
    }
  }
  return equity;
}

void TradingEngine::Reject(const std::string& symbol, RejectionCode reason,
                           const std::string& detail) {
  const std::string code(RejectionCodeName(reason));
  ++rejections_;
  decisions_.push_back({clock_.Now(), symbol, code, {}, {}});
  if (logger_.Enabled(LogLevel::kInfo)) {
    logger_.Log(LogLevel::kInfo, fmt::format("rejected {}: {} ({})", symbol, code, detail));
  }
  if (auto r = store_.AppendRejection({clock_.Now(), symbol, code, detail}); !r) {
    logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
  }
}

void TradingEngine::RunCycle(TimeMs scheduled) {
  // The cycle belongs to the minute it was scheduled in; the clock may read a little later.
  const TimeMs now = scheduled - ((scheduled % kMinuteMs) + kMinuteMs) % kMinuteMs;
  const TimeMs interval = settings_.timing.analysis_interval_minutes * kMinuteMs;
  if (interval > 0 && now % interval != 0) return;
  CycleSummary summary;
  summary.time = now;
  const std::int64_t rejections_before = rejections_;
  if (paused_) {
    summary.skipped = "paused";
  } else {
    Cycle(now, summary);
  }
  summary.rejections = static_cast<int>(rejections_ - rejections_before);
  summary.open_positions = orders_.ActiveCount();
  summary.equity = equity_;
  if (listener_ != nullptr) listener_->OnCycle(summary);
}

void TradingEngine::Cycle(TimeMs now, CycleSummary& summary) {
  snapshot_builder_.Begin(now);
  for (const auto& symbol : universe_) {
    auto candles = market_.ClosedCandles(symbol, kHourMs, std::numeric_limits<std::size_t>::max());
    if (!candles || candles->empty()) continue;
    if (IsCandleStale(candles->back().open_time, kHourMs, now, kCandleTolerance)) continue;
    snapshot_builder_.Add(symbol, 0, *candles);  // every closed candle: row 0 first
  }
  const std::shared_ptr<const MarketSnapshot> snapshot = snapshot_builder_.Finish();
  summary.symbols_analysed = static_cast<int>(snapshot->symbols.size());
  if (snapshot->symbols.empty()) {
    summary.skipped = "no fresh candle";
    return;
  }
  const PanelResult gathered = panel_.Gather(
      snapshot, SteadyNow() + std::chrono::seconds(settings_.ai.analyst_timeout_seconds));
  for (const MissingAnswer& m : gathered.missing) {
    logger_.Log(LogLevel::kWarning,
                fmt::format("analyst {} gave no {} answer, left out of this cycle: {}", m.analyst,
                            QuestionName(m.question), m.reason));
  }
  bool any = false;
  for (const AnalystReport& r : gathered.reports) {
    for (const auto& a : r.answers) any = any || !a.coins.empty();
  }
  if (!any) {
    summary.skipped = "no analyst named a coin";
    return;
  }
  summary.analysts_answered = static_cast<int>(gathered.reports.size());
  summary.answers_missing = static_cast<int>(gathered.missing.size());
  const std::vector<ConsensusPick> picks = BuildConsensus(gathered.reports, rules_);
  summary.picks = static_cast<int>(picks.size());
  for (const ConsensusPick& pick : picks) {
    if (stop_buying_) {
      Reject(pick.symbol, RejectionCode::kBuyingStopped, "the owner stopped new entries");
      continue;
    }
    auto info = exchange_.GetSymbolInfo(pick.symbol);
    if (!info) {
      Reject(pick.symbol, RejectionCode::kUnknownSymbol, info.error().message);
      continue;
    }
    EntryCandidate c;
    c.symbol = pick.symbol;
    c.entry_price = LastClose(pick.symbol);
    // The stop as the protective order will carry it: rounded to the tick. A tick coarse for the
    // price rounds it up to the entry, and the chain refuses the entry (STOP_NOT_BELOW_ENTRY).
    c.stop_price = InitialStopPrice(c.entry_price, settings_.exits.stop_loss_percent, *info,
                                    settings_.exchange.apply_symbol_filters);
    c.confidence = pick.confidence;
    PortfolioView p;
    p.open_positions = orders_.ActiveCount();
    p.holds_symbol = orders_.Holds(pick.symbol);
    auto free = exchange_.FreeBalance(info->quote_asset);
    p.free_quote = free ? *free : Decimal();
    p.equity = CurrentEquity(nullptr);
    p.open_risk = orders_.OpenRisk();
    RiskDecision d = RunEntryChain(c, p, *breakers_, sizer_, kelly_, settings_, *info);
    if (!d.approved) {
      if (*d.reason == RejectionCode::kNoEdge) {
        shadows_.Open(pick.symbol, c.entry_price.ToDouble(), c.stop_price.ToDouble(), now);
      }
      Reject(pick.symbol, *d.reason, d.detail);
      continue;
    }
    EntryPlan plan;
    plan.symbol = pick.symbol;
    plan.quantity = d.size.quantity;
    plan.confidence = pick.confidence;
    for (const auto& v : pick.voters) plan.analysts += (plan.analysts.empty() ? "" : ",") + v;
    plan.signal_candle_open_time = now - kHourMs;
    if (const SymbolSnapshot* view = snapshot->Find(pick.symbol); view != nullptr) {
      plan.signal_index = view->hourly.LastIndex();
      plan.signal_candle_open_time = view->hourly.candles.back().open_time;
    }
    plan.expected_price = c.entry_price;
    plan.stop_price = c.stop_price;
    auto opened = orders_.OpenPosition(plan);
    if (!opened) {
      // The order manager has stored the exchange's refusal (EXCHANGE_REJECTED) or raised the
      // safe state (the journal failed): one row per refusal, never two. In the safe state every
      // pick still tries its journal write, which is what ends it once the store works again.
      ++rejections_;
      decisions_.push_back({now,
                            pick.symbol,
                            std::string(RejectionCodeName(opened.error().code == ErrorCode::kStore
                                                              ? RejectionCode::kSafeState
                                                              : RejectionCode::kExchangeRejected)),
                            {},
                            {}});
      logger_.Log(LogLevel::kWarning, "entry not made: " + opened.error().ToString());
      continue;
    }
    decisions_.push_back({now, pick.symbol, "BUY", d.size.quantity, c.entry_price});
    ++summary.entries;
    if (const std::size_t i = IndexOf(pick.symbol); i < traded_.size()) traded_[i] = true;
    if (logger_.Enabled(LogLevel::kInfo)) {
      logger_.Log(LogLevel::kInfo, fmt::format("BUY {} {} (confidence {:.2f}, {} agreements; {})",
                                               d.size.quantity.ToString(), pick.symbol,
                                               pick.confidence, pick.agreements, d.detail));
    }
    orders_.ProcessEvents();  // the market fill opens the position and places its protection
  }
}

}  // namespace osprey
