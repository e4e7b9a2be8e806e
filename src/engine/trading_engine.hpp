#pragma once
// TradingEngine: the spec's hourly cycle and position monitor, written once against the ports
// (Clock, MarketData, Analyst, Exchange, TradeStore, Logger) and unaware of the mode it runs in.
//
//   OnHour(t):         the hourly order, written once for backtest and live: for each symbol
//                      whose hourly candle closed since the last call, the candle hook (the
//                      backtest feeds the simulated exchange there), then the position monitor;
//                      then the analysis cycle; then the equity mark. `t` is the scheduler's
//                      time; the clock may read a little later (12:00:00.347).
//   RunCycle(t):       snapshot (fresh symbols only) -> every analyst asked all its questions at
//                      once, answers gathered until ai.analyst_timeout_seconds (what did not
//                      arrive is logged as a warning and left out) -> consensus -> risk chain (spec
//                      order, every rejection logged and stored)
//                      -> sizing -> market entry + protective orders
//   MonitorPositions(): after a candle of a symbol closed: apply the exchange's fills, raise
//                      trailing stops
//   MarkEquity():      equity = quote balance + every base asset the bot has bought, at its last
//                      close; feeds the circuit breakers (state persisted whenever it changes)
//                      and the store (a snapshot row whenever equity, cash or positions changed)
// A candle is fresh for a cycle at t when it closed at most kCandleTolerance before the cycle's
// minute (t rounded down to the minute): 12:00:00.347 uses the candles that closed at 12:00.
// Start() restores the persisted risk state and the open positions with their orders, so a
// restart never clears a tripped breaker, forgets a position or sends an order twice.
// Safe state: while the store fails no entry is sent: each entry is journaled before it is sent
// and a failed write refuses it (SAFE_STATE); OrderManager::JournalFailed() says so until a write
// succeeds again, so a store that heals ends the safe state with the next pick.
// Commands (pause, resume, stop buying, close a position, reset a breaker) are methods called on
// the engine thread: a runtime posts them into its loop; nothing else writes the store while
// the engine runs.
// Single-threaded: one event at a time, in time order, on the caller's thread.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analyst.hpp"
#include "analysis/analyst_panel.hpp"
#include "analysis/consensus.hpp"
#include "analysis/snapshot_builder.hpp"
#include "config/settings.hpp"
#include "core/clock.hpp"
#include "core/logger.hpp"
#include "engine/shadow_book.hpp"
#include "exchange/exchange.hpp"
#include "market/market_data.hpp"
#include "risk/circuit_breakers.hpp"
#include "risk/edge_estimate.hpp"
#include "risk/position_sizer.hpp"
#include "risk/rejection_code.hpp"
#include "trading/order_manager.hpp"
#include "trading/trade_store.hpp"

namespace osprey {

// One decision of a cycle: what was bought or why not. Kept for the bias check and reports.
struct Decision {
  TimeMs time = 0;
  std::string symbol;
  std::string action;  // "BUY" or the rejection reason code
  Decimal quantity;
  Decimal price;
  bool operator==(const Decision&) const = default;
};

// How stale a candle may be, against the minute a cycle runs in, and still count as fresh.
inline constexpr TimeMs kCandleTolerance = 5 * kMinuteMs;

// What the owner can ask of a running engine.
struct EngineCommand {
  enum class Kind {
    kPause,          // no new entries and no analysis; positions stay protected and monitored
    kResume,         // undoes pause and stop-buying
    kStopBuying,     // no new entries; analysis goes on (its picks are logged)
    kClosePosition,  // sell `trade_id` at market
    kResetBreaker,   // clear a tripped circuit breaker
  };
  Kind kind = Kind::kPause;
  std::string trade_id;
  std::string reason;  // who asked and why, for the journal
};

class TradingEngine {
 public:
  using CandleHook =
      std::function<void(std::string_view symbol, const Candle& candle, std::int64_t index)>;

  TradingEngine(const Settings& settings, const Clock& clock, MarketData& market,
                std::vector<Analyst*> analysts, Exchange& exchange, TradeStore& store,
                Logger& logger);

  // Restores the risk state, the open positions and their orders from the store (or starts
  // fresh at `starting_equity`), then reconciles the orders with the exchange.
  [[nodiscard]] Result<void> Start(Decimal starting_equity);
  void SetCandleHook(CandleHook hook) { candle_hook_ = std::move(hook); }
  void SetListener(TradingListener* listener);
  // The hourly order (see above). Returns the marked equity.
  Decimal OnHour(TimeMs scheduled);
  // Between hours (live): applies the exchange's execution reports, re-protects what needs it.
  void OnMonitor(TimeMs scheduled);
  // Tells the listener the engine is alive, with equity, open positions and status.
  void OnHeartbeat(TimeMs scheduled);
  void MonitorPositions(std::string_view symbol, const Candle& candle);
  void RunCycle(TimeMs scheduled);
  Decimal MarkEquity(TimeMs scheduled);
  // Applies an owner's command; errors name what could not be done (unknown trade id, ...).
  [[nodiscard]] Result<void> Execute(const EngineCommand& command);
  bool paused() const { return paused_; }
  bool buying_stopped() const { return stop_buying_; }

  const std::vector<Decision>& decisions() const { return decisions_; }
  int restored_positions() const { return restored_; }
  const std::vector<TradeRecord>& closed_trades() const { return closed_; }
  const OrderManager& orders() const { return orders_; }
  const CircuitBreakers& breakers() const { return *breakers_; }
  const EdgeEstimate& edge() const { return kelly_; }
  const ShadowBook& shadows() const { return shadows_; }
  std::int64_t rejections() const { return rejections_; }

 private:
  void Reject(const std::string& symbol, RejectionCode reason, const std::string& detail);
  // The cycle's work once it is due and not paused; fills `summary`.
  void Cycle(TimeMs now, CycleSummary& summary);
  void SaveRisk();
  void NoteBreakerChange(bool was_halted, bool was_reducing);
  void SaveCommandState();
  // Feeds one R-multiple to the edge estimate, persists it, alerts on entering/leaving NO_EDGE.
  void AddEdge(double r_multiple, TradeKind kind);
  void OnTradeClosed(const TradeRecord& record);
  Decimal LastClose(std::string_view symbol);
  // Position of `symbol` in the universe (universe_.size() when absent).
  std::size_t IndexOf(std::string_view symbol);
  // Quote balance plus held base assets at their last close; the quote part into *cash if given.
  Decimal CurrentEquity(Decimal* cash);

  const Settings& settings_;
  const Clock& clock_;
  MarketData& market_;
  AnalystPanel panel_;
  Exchange& exchange_;
  TradeStore& store_;
  Logger& logger_;
  OrderManager orders_;
  PositionSizer sizer_;
  std::unique_ptr<CircuitBreakers> breakers_;
  EdgeEstimate kelly_{settings_.risk};  // fed the R-multiple of every close, real or shadow
  // NO_EDGE signals followed as if taken.
  ShadowBook shadows_{settings_.exits, settings_.exchange.fee_percent.ToDouble() / 100.0,
                      settings_.exchange.take_profit_fill};
  ConsensusRules rules_;
  CandleHook candle_hook_;
  TradingListener* listener_ = nullptr;
  std::vector<TimeMs> last_fed_;  // per universe symbol: open time of the last candle handled
  bool paused_ = false;
  bool stop_buying_ = false;
  int restored_ = 0;
  std::vector<std::string> universe_;
  std::vector<std::string> base_assets_;
  std::vector<Decimal> last_close_;  // per universe symbol
  std::vector<bool> traded_;         // per universe symbol: the bot has bought it
  std::size_t last_index_ = 0;
  std::vector<Decision> decisions_;
  std::vector<TradeRecord> closed_;
  SnapshotBuilder snapshot_builder_;
  std::int64_t rejections_ = 0;
  Decimal equity_;
  std::optional<EquitySnapshot> stored_equity_;  // the last row written to the store
};

}  // namespace osprey
