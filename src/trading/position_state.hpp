#pragma once
// The position state machine of the spec ("State Machine: Position Lifecycle"):
//
//   NOT_OWNED --entry submitted--> PENDING --entry filled--> OPEN --last exit--> CLOSED
//                                  PENDING --entry rejected--> NOT_OWNED
//   OPEN --partial exit (TP1, TP2) / stop moved--> OPEN
//
// Any other transition is illegal: TransitionAllowed() says so, and the order manager rejects
// and logs it instead of applying it. Pure functions.

#include <string_view>

namespace osprey {

enum class PositionState { kNotOwned, kPending, kOpen, kClosed };

std::string_view PositionStateName(PositionState s);  // "NOT_OWNED", "PENDING", "OPEN", "CLOSED"
bool TransitionAllowed(PositionState from, PositionState to);

}  // namespace osprey
