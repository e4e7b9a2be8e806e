#include "trading/position_state.hpp"

namespace osprey {

std::string_view PositionStateName(PositionState s) { return EnumNameOf(kPositionStateTable, s); }

std::optional<PositionState> ParsePositionState(std::string_view name) {
  return EnumParse(kPositionStateTable, name);
}

bool TransitionAllowed(PositionState from, PositionState to) {
  using S = PositionState;
  switch (from) {
    case S::kNotOwned: return to == S::kPending;
    case S::kPending: return to == S::kOpen || to == S::kNotOwned;
    case S::kOpen: return to == S::kOpen || to == S::kClosed;
    case S::kClosed: return false;
  }
  return false;
}

}  // namespace osprey
