#pragma once
// Why a candidate entry was not bought: the risk chain's reason codes (risk_chain.hpp, in the
// chain's order) and the engine's and order manager's own. Each code has exactly one name, the
// one logged and stored in the `rejections` table; RejectionCodeName and ParseRejectionCode are
// inverse for every value in kAllRejectionCodes. Pure functions; thread-safe.

#include <array>
#include <optional>
#include <string_view>

namespace osprey {

enum class RejectionCode {
  kCircuitBreaker,       // CIRCUIT_BREAKER: a breaker has halted new entries
  kMaxPositions,         // MAX_POSITIONS: MAX_CONCURRENT_POSITIONS reached
  kAlreadyInPosition,    // ALREADY_IN_POSITION: the symbol is already held
  kDailyLoss,            // DAILY_LOSS: today's loss >= DAILY_MAX_LOSS
  kDailyLossPercent,     // DAILY_LOSS_PERCENT: today's loss >= DAILY_MAX_LOSS_PERCENT
  kMaxDrawdown,          // MAX_DRAWDOWN: drawdown from the peak >= MAX_DRAWDOWN_PERCENT
  kMaxHeat,              // MAX_HEAT: open risk already at the heat cap, no room for a new trade
  kInsufficientBalance,  // INSUFFICIENT_BALANCE: the free balance buys nothing
  kStopNotBelowEntry,    // STOP_NOT_BELOW_ENTRY: the stop-loss is not below the entry
  kNoEdge,               // NO_EDGE: the edge estimate's Kelly fraction is <= 0
  kSizeTooSmall,         // SIZE_TOO_SMALL: below the symbol's minimum quantity or notional
  kUnknownSymbol,        // UNKNOWN_SYMBOL: the exchange does not know the symbol (engine)
  kOrderFailed,          // ORDER_FAILED: the entry order could not be sent (engine)
  kExchangeRejected,     // EXCHANGE_REJECTED: the exchange refused the entry (order manager)
  kProtectionRejected,   // PROTECTION_REJECTED: protective orders refused (order manager)
  kBuyingStopped,        // BUYING_STOPPED: the owner stopped new entries (engine command)
  kSafeState,            // SAFE_STATE: the store failed, no entry is sent until it works (engine)
};

inline constexpr std::array kAllRejectionCodes = {
    RejectionCode::kCircuitBreaker,
    RejectionCode::kMaxPositions,
    RejectionCode::kAlreadyInPosition,
    RejectionCode::kDailyLoss,
    RejectionCode::kDailyLossPercent,
    RejectionCode::kMaxDrawdown,
    RejectionCode::kMaxHeat,
    RejectionCode::kInsufficientBalance,
    RejectionCode::kStopNotBelowEntry,
    RejectionCode::kNoEdge,
    RejectionCode::kSizeTooSmall,
    RejectionCode::kUnknownSymbol,
    RejectionCode::kOrderFailed,
    RejectionCode::kExchangeRejected,
    RejectionCode::kProtectionRejected,
    RejectionCode::kBuyingStopped,
    RejectionCode::kSafeState,
};

// The stored name ("CIRCUIT_BREAKER", ...).
std::string_view RejectionCodeName(RejectionCode code);
// The code of a stored name; nullopt for a name no code has (names are case-sensitive).
std::optional<RejectionCode> ParseRejectionCode(std::string_view name);

}  // namespace osprey
