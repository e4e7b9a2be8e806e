#include "engine/trading_engine.hpp"

#include <fmt/format.h>

#include <chrono>
#include <limits>
#include <memory>

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
  return {};
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
}

void TradingEngine::OnTradeClosed(const TradeRecord& record) {
  closed_.push_back(record);
  kelly_.Add(record.pnl.ToDouble());
  const bool was_halted = breakers_->Halted();
  if (breakers_->OnTradeClosed(clock_.Now(), record.pnl)) SaveRisk();
  if (!was_halted && breakers_->Halted()) {
    logger_.Log(LogLevel::kCritical, "circuit breaker tripped: " + breakers_->state().halt_reason);
  }
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

Decimal TradingEngine::MarkEquity() {
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

void TradingEngine::Reject(const std::string& symbol, const std::string& code,
                           const std::string& detail) {
  ++rejections_;
  decisions_.push_back({clock_.Now(), symbol, code, {}, {}});
  if (logger_.Enabled(LogLevel::kInfo)) {
    logger_.Log(LogLevel::kInfo, fmt::format("rejected {}: {} ({})", symbol, code, detail));
  }
  if (auto r = store_.AppendRejection({clock_.Now(), symbol, code, detail}); !r) {
    logger_.Log(LogLevel::kCritical, "store: " + r.error().ToString());
  }
}

void TradingEngine::RunCycle() {
  const TimeMs now = clock_.Now();
  const TimeMs interval = settings_.timing.analysis_interval_minutes * kMinuteMs;
  if (interval > 0 && now % interval != 0) return;
  snapshot_builder_.Begin(now);
  for (const auto& symbol : universe_) {
    auto candles = market_.ClosedCandles(symbol, kHourMs, std::numeric_limits<std::size_t>::max());
    if (!candles || candles->empty()) continue;
    if (candles->back().open_time + kHourMs != now) continue;  // stale: no fresh candle
    snapshot_builder_.Add(symbol, 0, *candles);                // every closed candle: row 0 first
  }
  const std::shared_ptr<const MarketSnapshot> snapshot = snapshot_builder_.Finish();
  if (snapshot->symbols.empty()) return;
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
  if (!any) return;
  const std::vector<ConsensusPick> picks = BuildConsensus(gathered.reports, rules_);
  for (const ConsensusPick& pick : picks) {
    auto info = exchange_.GetSymbolInfo(pick.symbol);
    if (!info) {
      Reject(pick.symbol, "UNKNOWN_SYMBOL", info.error().message);
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
    RiskDecision d = RunEntryChain(c, p, *breakers_, sizer_, kelly_, settings_, *info);
    if (!d.approved) {
      Reject(pick.symbol, d.reason_code, d.detail);
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
    }
    auto opened = orders_.OpenPosition(plan);
    if (!opened) {
      Reject(pick.symbol, "ORDER_FAILED", opened.error().message);
      continue;
    }
    decisions_.push_back({now, pick.symbol, "BUY", d.size.quantity, c.entry_price});
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
