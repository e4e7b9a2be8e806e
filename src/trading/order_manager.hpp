#pragma once
// OrderManager: owns every position from entry to close and drives the position state machine
// (trading/position_state.hpp) against an Exchange shaped like a real venue. Promises:
//
// Journal before send. Every order is written to the orders journal (TradeStore::SaveOrder,
// status SENDING) and committed BEFORE its request is sent; when that write fails nothing is
// sent, the manager enters the safe state (JournalFailed(): the engine stops new entries) and a
// CRITICAL alert is raised. Every acknowledgement and execution report updates the row.
//
// Entries. A MARKET buy is sent after its PENDING event is journaled. Fills accumulate (a
// partially filled entry opens with what filled, at the volume-weighted price, once the order is
// done: FILLED, or EXPIRED/CANCELED with something filled); nothing filled -> NOT_OWNED. A
// rejected entry writes one rejection row (EXCHANGE_REJECTED). An entry whose outcome is unknown
// (timeout) stays PENDING until a query by client id resolves it: it is never re-sent blindly.
//
// Protection. On OPEN the stop-loss and take-profit levels are computed from the actual fill
// price (stop rounded UP to the tick: the loss never exceeds STOP_LOSS_PERCENT; take-profits
// UP), the sellable quantity (net of a fee charged in the base asset, rounded down to the step;
// what is below one step is dust, kept on the record, never booked as a loss) is split into
// tranches (trading/tranche_plan.hpp), and each tranche is protected by ONE OCO request (LIMIT
// at its take-profit, STOP_LOSS at the stop). Filled quantity is tracked per order: a tranche is
// done only when all of it has sold. A tranche whose cover is gone (the exchange cancelled or
// expired it, or the other leg was cancelled after a partial fill) is protected again for what
// is left. A refused cancel never leads to a second cover: the stop moves only after the old
// pair is known to be cancelled. A protective order the exchange refuses outright (e.g. "-2010
// Order would trigger immediately.") sells the position at market (EMERGENCY_EXIT); a request
// that was rate-limited, unavailable or journaled-not-sent is retried on the next pass.
//
// Trailing. The stop follows the highest high (after TP1 or from entry, trailing_activation) and
// is never placed at or above the last price: it is clamped one tick below it.
//
// Restart. Restore() rebuilds the open positions and their orders from the store; Reconcile()
// then queries every order whose state is not final, so no position is forgotten and no order is
// sent twice. A kResync event from the exchange triggers the same queries.
// Not thread-safe: the engine thread calls it.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "core/candle.hpp"
#include "core/clock.hpp"
#include "core/logger.hpp"
#include "exchange/exchange.hpp"
#include "trading/position_state.hpp"
#include "trading/trade_store.hpp"
#include "trading/trading_listener.hpp"
#include "trading/tranche_plan.hpp"

namespace osprey {

struct EntryPlan {
  std::string symbol;
  Decimal quantity;
  double confidence = 0;
  std::string analysts;
  TimeMs signal_candle_open_time = 0;
  std::int64_t signal_index = -1;
  // For the open risk while the entry is PENDING: the expected fill and the stop it will get.
  Decimal expected_price;
  Decimal stop_price;
};

struct Position {
  TradeRecord record;
  PositionState state = PositionState::kNotOwned;
  SymbolInfo symbol;
  std::string entry_client_id;
  // Entry fills so far.
  Decimal entry_filled;
  Decimal entry_quote;     // sum of price x quantity
  Decimal entry_fee_base;  // commission charged in the base asset
  Decimal entry_fee_quote;
  // How a tranche is covered on the exchange right now.
  enum class Cover {
    kNone,        // nothing open: needs protection
    kSending,     // an OCO request whose outcome is not yet known
    kLive,        // an OCO pair is open
    kCancelling,  // a cancel was sent; the replacement waits until the pair is gone
  };
  struct Leg {
    Tranche tranche;
    Decimal filled;  // sold by this tranche's orders so far
    std::string list_id;
    std::string limit_id;
    std::string stop_id;
    Cover cover = Cover::kNone;
    bool done = false;
    Decimal Left() const { return tranche.quantity - filled; }
  };
  std::vector<Leg> legs;
  Decimal initial_stop;
  Decimal stop;       // current stop price
  Decimal remaining;  // quantity still to sell (sum of the legs' Left())
  Decimal dust;       // bought but below one step: never sellable, never a loss
  Decimal cash_out;   // quote paid for the entry, fee included
  Decimal cash_in;    // quote received from exits, fees deducted
  Decimal highest_high;
  bool trailing_active = false;
  int generation = 0;          // bumps on each new cover (fresh client ids)
  std::string exit_client_id;  // the open market exit, if any
  int exit_attempts = 0;
  bool stranded = false;  // exits exhausted with something left: the owner has been alerted
};

// What the owner asked for or the risk logic decided about a market exit.
enum class ExitCause { kEmergency, kOwner };

class OrderManager {
 public:
  OrderManager(Exchange& exchange, TradeStore& store, Logger& logger, const Clock& clock,
               const ExitSettings& exits, bool apply_filters);

  // Internal hook for the engine (breakers, edge estimate); `listener` is for notifiers.
  void SetOnTradeClosed(std::function<void(const TradeRecord&)> callback) {
    on_closed_ = std::move(callback);
  }
  void SetListener(TradingListener* listener) { listener_ = listener; }

  // Journals and sends the market buy. Returns the trade id when the order was sent (accepted,
  // or outcome unknown: PENDING until resolved). Errors: kRejected with the exchange's code and
  // message (the position returns to NOT_OWNED and one EXCHANGE_REJECTED row is stored), kStore
  // when the journal write failed (nothing was sent; JournalFailed() is now true).
  [[nodiscard]] Result<std::string> OpenPosition(const EntryPlan& plan);
  // Applies the exchange's execution reports, resolves orders of unknown outcome, re-protects
  // tranches whose cover is gone and closes positions with nothing left.
  void ProcessEvents();
  // After a closed candle of `symbol`: raises the highest high and, when trailing is active,
  // moves the stops. Candles that opened before the entry filled are ignored.
  void OnCandleClosed(std::string_view symbol, const Candle& candle);
  // Sells what is left of trade `trade_id` at market (its protection cancelled first).
  [[nodiscard]] Result<void> ClosePosition(const std::string& trade_id, const std::string& why);

  // Rebuilds the open positions and their orders from the store (call once, before trading).
  // `symbol_info` gives each symbol's rules. Then call Reconcile().
  [[nodiscard]] Result<int> Restore(
      const std::function<Result<SymbolInfo>(std::string_view)>& symbol_info);
  // Queries every order whose outcome or state is not final and applies the answers, then
  // protects what needs it. Safe to call at any time.
  void Reconcile();
  // Seeds the highest high of a restored position (from the candles since its entry).
  void SeedHighestHigh(const std::string& trade_id, Decimal high);

  // Positions that are PENDING or OPEN.
  int ActiveCount() const { return static_cast<int>(active_.size()); }
  bool Holds(std::string_view symbol) const;
  const std::map<std::string, Position>& active() const { return active_; }
  // What the open positions lose if every stop is hit now (quantity left x (entry - stop), zero
  // for a stop at or above the entry), in quote. PENDING entries count at their planned size
  // and the configured stop.
  Decimal OpenRisk() const;
  // A journal write failed since the last successful one: the engine must not open positions.
  bool JournalFailed() const { return journal_failed_; }
  // The orders the manager tracks, by client id (for tests and the restart check).
  const std::map<std::string, OrderRecord, std::less<>>& orders() const { return orders_; }
  // Applies a transition after checking it and journals it; false (and a log line) when
  // illegal. A failed journal write does not undo what happened: it raises the safe state.
  bool Transition(Position& p, PositionState to, const std::string& event,
                  const std::string& detail);

 private:
  void Apply(const ExecutionReport& report);
  void ApplyOrderState(OrderRecord& order, const OrderState& state);
  void OnEntryFill(Position& p, const ExecutionReport& report);
  void OnEntryDone(Position& p, const OrderRecord& order);
  void Open(Position& p);
  void OnExitFill(Position& p, const OrderRecord& order, const ExecutionReport& report);
  void OnCoverOrderDone(Position& p, const OrderRecord& order);
  void Protect(Position& p);
  bool PlaceCover(Position& p, Position::Leg& leg);
  void CancelCover(Position& p, Position::Leg& leg);
  // Sells at market what no live cover holds (cancelling the covers first), or only `leg` when
  // given (its cover was refused while the other tranches stay protected).
  void SendExit(Position& p, ExitCause cause, const std::string& why, Position::Leg* leg = nullptr);
  void CloseIfDone(Position& p);
  void Close(Position& p);
  void Resync();
  // Writes the order row (and event); false and the safe state when the store failed.
  bool Journal(const OrderRecord& order, const std::optional<PositionEvent>& event = {});
  void Persist(const Position& p, const std::optional<PositionEvent>& event);
  void StoreFailed(const Error& error);
  Decimal RoundPrice(const Position& p, Decimal price) const;
  ExitReason StopReason(const Position& p) const;
  Position* Find(const OrderRecord& order);
  Position::Leg* LegOf(Position& p, const OrderRecord& order);
  OrderRecord NewOrder(const Position& p, OrderRole role, int level, const std::string& id,
                       OrderType type, Decimal quantity) const;
  void Alert(AlertLevel level, const std::string& what);

  Exchange& exchange_;
  TradeStore& store_;
  Logger& logger_;
  const Clock& clock_;
  ExitSettings exits_;
  bool apply_filters_;
  std::function<void(const TradeRecord&)> on_closed_;
  TradingListener* listener_ = nullptr;
  std::map<std::string, Position> active_;                  // by trade id
  std::map<std::string, OrderRecord, std::less<>> orders_;  // tracked, by client id
  std::map<std::string, Decimal> planned_risk_;             // PENDING entries, by trade id
  bool journal_failed_ = false;
};

}  // namespace osprey
