#pragma once
// TradingListener: the typed events of the trading logic, for notifiers (Telegram, the
// dashboard, logs) to subscribe to. Every method has an empty default, so a listener overrides
// only what it shows. Called on the engine thread, synchronously, after the state they describe
// has been journaled (or the journal failed, which is itself an alert); a listener must return
// quickly and never call back into the engine (post a command instead).

#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/time.hpp"
#include "core/trade_record.hpp"
#include "trading/journal_types.hpp"

namespace osprey {

enum class AlertLevel { kWarning, kCritical };

// What one analysis cycle did.
struct CycleSummary {
  TimeMs time = 0;
  int symbols_analysed = 0;  // fresh symbols in the snapshot
  int analysts_answered = 0;
  int answers_missing = 0;  // (analyst, question) pairs that failed or missed the deadline
  int picks = 0;            // coins the consensus selected
  int entries = 0;          // orders sent
  int rejections = 0;       // picks the risk chain or the exchange refused
  int open_positions = 0;
  Decimal equity;
  std::string skipped;  // why the cycle did nothing ("paused", "no fresh candle", ...) or empty
};

struct Heartbeat {
  TimeMs time = 0;
  Decimal equity;
  int open_positions = 0;
  std::string status;  // ACTIVE / REDUCING / HALTED, plus PAUSED / NOT_BUYING / SAFE
};

class TradingListener {
 public:
  virtual ~TradingListener() = default;
  // The entry filled (in full or as far as it will) and the trade is OPEN.
  virtual void OnTradeOpened(const TradeRecord& /*trade*/) {}
  // A tranche (or part of one) was sold while the position stays OPEN.
  virtual void OnPartialExit(const TradeRecord& /*trade*/, const ExitFill& /*fill*/) {}
  // The last of the position was sold; `trade.pnl` is final.
  virtual void OnTradeClosed(const TradeRecord& /*trade*/) {}
  // Protective orders for `quantity` at `stop` are on the exchange.
  virtual void OnProtectionPlaced(const TradeRecord& /*trade*/, Decimal /*stop*/,
                                  Decimal /*quantity*/) {}
  // Protective orders could not be placed (the position is sold at market or retried).
  virtual void OnProtectionFailed(const TradeRecord& /*trade*/, std::string_view /*why*/) {}
  // A circuit breaker tripped (halted or reducing) or was cleared.
  virtual void OnBreaker(bool /*tripped*/, const RiskState& /*state*/) {}
  // The edge estimate fell to no edge (entered) or recovered (left).
  virtual void OnNoEdge(bool /*entered*/, double /*kelly_fraction*/) {}
  virtual void OnCycle(const CycleSummary& /*summary*/) {}
  virtual void OnHeartbeat(const Heartbeat& /*beat*/) {}
  // Something the owner must know now: the store failed (safe state), an emergency exit failed.
  virtual void OnAlert(AlertLevel /*level*/, std::string_view /*what*/) {}
};

}  // namespace osprey
