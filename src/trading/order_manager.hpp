#pragma once
// OrderManager: owns every position from entry to close and drives the position state machine
// (trading/position_state.hpp). For each position it
//   - journals the entry (PENDING) in the store BEFORE sending the market buy, and the client ids
//     of the protective orders in the OPEN / STOP_MOVED event before sending them, so a restart
//     can reconcile every order by client order id,
//   - on the entry fill (OPEN) computes the stop-loss and take-profit levels from the actual fill
//     price, splits the sellable quantity (net of a fee charged in the base asset) into tranches
//     (trading/tranche_plan.hpp) and protects each tranche on the exchange with an OCO pair:
//     LIMIT sell at its take-profit and STOP_LOSS sell at the stop, so the position stays
//     protected even if Osprey is down,
//   - moves the stops up as the trailing stop rises (cancel + replace the OCO pairs), after TP1 or
//     from entry depending on trailing_activation,
//   - records every exit fill, and closes the trade when nothing is left (CLOSED),
//   - writes every transition as a PositionEvent in the same transaction as the trade record.
// Rounding: the stop is rounded UP to the tick (the loss never exceeds STOP_LOSS_PERCENT), the
// take-profits UP as well (the gain is never less than the level).
// An illegal transition is refused and logged, never applied. If the protective orders cannot be
// placed, the position is sold at market (EMERGENCY exit): Osprey never holds an unprotected
// position. Not thread-safe: the engine thread calls it.

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
#include "trading/tranche_plan.hpp"

namespace osprey {

struct EntryPlan {
  std::string symbol;
  Decimal quantity;
  double confidence = 0;
  std::string analysts;
  TimeMs signal_candle_open_time = 0;
  std::int64_t signal_index = -1;
};

struct Position {
  TradeRecord record;
  PositionState state = PositionState::kNotOwned;
  SymbolInfo symbol;
  std::string entry_client_id;
  struct Leg {
    Tranche tranche;
    std::string list_id;
    std::string limit_id;
    std::string stop_id;
    bool done = false;
  };
  std::vector<Leg> legs;
  Decimal initial_stop;
  Decimal stop;       // current stop price
  Decimal remaining;  // quantity still protected by open legs
  Decimal cash_out;   // quote paid for the entry, fee included
  Decimal cash_in;    // quote received from exits, fees deducted
  Decimal highest_high;
  bool trailing_active = false;
  int generation = 0;  // bumps on each stop replacement (fresh client ids)
};

// Called when a trade closes (for the circuit breakers, Kelly statistics and the notifier).
using TradeClosedCallback = std::function<void(const TradeRecord&)>;

class OrderManager {
 public:
  OrderManager(Exchange& exchange, TradeStore& store, Logger& logger, const Clock& clock,
               const ExitSettings& exits, bool apply_filters);

  void SetOnTradeClosed(TradeClosedCallback callback) { on_closed_ = std::move(callback); }

  // Journals and sends the market buy. Returns the trade id when the exchange accepted it, or the
  // exchange's rejection text as an Error{kRejected} (the position returns to NOT_OWNED and the
  // rejection is stored). Store failures are errors too: nothing is sent unjournaled.
  [[nodiscard]] Result<std::string> OpenPosition(const EntryPlan& plan);
  // Applies the exchange's execution events (fills, OCO cancellations) to the positions.
  void ProcessEvents();
  // After a closed candle of `symbol`: raises the highest high and, when trailing is active,
  // moves the stops. Candles that opened before the entry filled are ignored.
  void OnCandleClosed(std::string_view symbol, const Candle& candle);

  // Positions that are PENDING or OPEN.
  int ActiveCount() const { return static_cast<int>(active_.size()); }
  bool Holds(std::string_view symbol) const;
  const std::map<std::string, Position>& active() const { return active_; }
  // Applies a transition after checking it; false (and a log line) when illegal.
  bool Transition(Position& p, PositionState to, const std::string& event,
                  const std::string& detail);

 private:
  void OnEntryFill(Position& p, const Fill& fill);
  void OnExitFill(Position& p, std::size_t leg, const Fill& fill, bool by_stop);
  bool PlaceProtection(Position& p);
  static std::string ProtectionListId(const Position& p, const Position::Leg& leg);
  static std::string ProtectionListIds(const Position& p);
  void EmergencyExit(Position& p, const std::string& why);
  void Close(Position& p);
  void Persist(const Position& p, const std::optional<PositionEvent>& event);
  Decimal RoundPrice(const Position& p, Decimal price) const;
  ExitReason StopReason(const Position& p) const;

  Exchange& exchange_;
  TradeStore& store_;
  Logger& logger_;
  const Clock& clock_;
  ExitSettings exits_;
  bool apply_filters_;
  TradeClosedCallback on_closed_;
  std::map<std::string, Position> active_;  // by trade id
  // client order id -> (trade id, leg index; -1 for the entry)
  std::map<std::string, std::pair<std::string, int>, std::less<>> orders_;
};

}  // namespace osprey
