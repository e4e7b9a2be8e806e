#pragma once
// TradingEngine: the spec's hourly cycle and position monitor, written once against the ports
// (Clock, MarketData, Analyst, Exchange, TradeStore, Logger) and unaware of the mode it runs in.
//
//   RunCycle():        snapshot (fresh symbols only) -> every analyst asked all its questions at
//                      once, answers gathered until ai.analyst_timeout_seconds (what did not
//                      arrive is logged as a warning and left out) -> consensus -> risk chain (spec
//                      order, every rejection logged and stored)
//                      -> sizing -> market entry + protective orders
//   MonitorPositions(): after a candle of a symbol closed: apply the exchange's fills, raise
//                      trailing stops
//   MarkEquity():      equity = quote balance + every base asset the bot has bought, at its last
//                      close; feeds the circuit breakers (state persisted whenever it changes)
//                      and the store (a snapshot row whenever equity, cash or positions changed)
// Start() restores the persisted risk state, so a restart never clears a tripped breaker.
// Single-threaded: one event at a time, in time order, on the caller's thread.

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
#include "exchange/exchange.hpp"
#include "market/market_data.hpp"
#include "risk/circuit_breakers.hpp"
#include "risk/position_sizer.hpp"
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

class TradingEngine {
 public:
  TradingEngine(const Settings& settings, const Clock& clock, MarketData& market,
                std::vector<Analyst*> analysts, Exchange& exchange, TradeStore& store,
                Logger& logger);

  // Restores the risk state from the store (or starts fresh at `starting_equity`).
  [[nodiscard]] Result<void> Start(Decimal starting_equity);
  void MonitorPositions(std::string_view symbol, const Candle& candle);
  void RunCycle();
  Decimal MarkEquity();

  const std::vector<Decision>& decisions() const { return decisions_; }
  const std::vector<TradeRecord>& closed_trades() const { return closed_; }
  const OrderManager& orders() const { return orders_; }
  const CircuitBreakers& breakers() const { return *breakers_; }
  std::int64_t rejections() const { return rejections_; }

 private:
  void Reject(const std::string& symbol, const std::string& code, const std::string& detail);
  void SaveRisk();
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
  KellyStats kelly_;
  ConsensusRules rules_;
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
