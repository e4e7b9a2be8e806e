#pragma once
// The position state machine of the spec ("State Machine: Position Lifecycle"):
//
//   NOT_OWNED --entry submitted--> PENDING --entry filled--> OPEN --last exit--> CLOSED
//                                  PENDING --entry rejected--> NOT_OWNED
//   OPEN --partial exit (TP1, TP2) / stop moved--> OPEN
//
// Any other transition is illegal: TransitionAllowed() says so, and the order manager rejects
// and logs it instead of applying it. Pure functions.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/enum_table.hpp"

namespace osprey {

enum class PositionState { kNotOwned, kPending, kOpen, kClosed };

inline constexpr std::size_t kPositionStateCount =
    static_cast<std::size_t>(PositionState::kClosed) + 1;
inline constexpr std::array<EnumName<PositionState>, 4> kPositionStateTable{{
    {PositionState::kNotOwned, "NOT_OWNED"},
    {PositionState::kPending, "PENDING"},
    {PositionState::kOpen, "OPEN"},
    {PositionState::kClosed, "CLOSED"},
}};
static_assert(kPositionStateTable.size() == kPositionStateCount &&
              EnumTableComplete(kPositionStateTable));

std::string_view PositionStateName(PositionState s);  // "NOT_OWNED", "PENDING", "OPEN", "CLOSED"
// The state named exactly `name`; nullopt for any other text.
std::optional<PositionState> ParsePositionState(std::string_view name);
bool TransitionAllowed(PositionState from, PositionState to);

}  // namespace osprey
