#include "trading/position_state.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace osprey {
namespace {

using S = PositionState;

constexpr std::array<S, 4> kAll = {S::kNotOwned, S::kPending, S::kOpen, S::kClosed};

struct Expected {
  S from;
  S to;
  bool allowed;
};

// The spec's lifecycle, all 16 (from, to) pairs spelled out.
constexpr std::array<Expected, 16> kTable = {{
    {S::kNotOwned, S::kNotOwned, false},
    {S::kNotOwned, S::kPending, true},  // entry submitted
    {S::kNotOwned, S::kOpen, false},    // cannot own without an entry order
    {S::kNotOwned, S::kClosed, false},
    {S::kPending, S::kNotOwned, true},  // entry rejected
    {S::kPending, S::kPending, false},
    {S::kPending, S::kOpen, true},  // entry filled
    {S::kPending, S::kClosed, false},
    {S::kOpen, S::kNotOwned, false},
    {S::kOpen, S::kPending, false},
    {S::kOpen, S::kOpen, true},         // partial exit (TP1, TP2) or stop moved
    {S::kOpen, S::kClosed, true},       // last exit
    {S::kClosed, S::kNotOwned, false},  // closed is final
    {S::kClosed, S::kPending, false},
    {S::kClosed, S::kOpen, false},
    {S::kClosed, S::kClosed, false},
}};

TEST(PositionStateTest, EveryPairOfTheTable) {
  for (const Expected& e : kTable) {
    EXPECT_EQ(TransitionAllowed(e.from, e.to), e.allowed)
        << PositionStateName(e.from) << " -> " << PositionStateName(e.to);
  }
}

TEST(PositionStateTest, TableCoversAllSixteenPairsOnce) {
  int seen[4][4] = {};
  for (const Expected& e : kTable) ++seen[static_cast<int>(e.from)][static_cast<int>(e.to)];
  for (S from : kAll) {
    for (S to : kAll) {
      EXPECT_EQ(seen[static_cast<int>(from)][static_cast<int>(to)], 1)
          << PositionStateName(from) << " -> " << PositionStateName(to);
    }
  }
}

TEST(PositionStateTest, ExactlyFiveTransitionsAreLegal) {
  int legal = 0;
  for (S from : kAll) {
    for (S to : kAll) legal += TransitionAllowed(from, to) ? 1 : 0;
  }
  EXPECT_EQ(legal, 5);
}

TEST(PositionStateTest, ClosedIsTerminal) {
  for (S to : kAll) EXPECT_FALSE(TransitionAllowed(S::kClosed, to)) << PositionStateName(to);
}

TEST(PositionStateTest, NamesAreTheSpecNames) {
  EXPECT_EQ(PositionStateName(S::kNotOwned), "NOT_OWNED");
  EXPECT_EQ(PositionStateName(S::kPending), "PENDING");
  EXPECT_EQ(PositionStateName(S::kOpen), "OPEN");
  EXPECT_EQ(PositionStateName(S::kClosed), "CLOSED");
}

TEST(PositionStateTest, EveryStateNameRoundTripsAndAnUnknownNameIsRefused) {
  for (std::size_t i = 0; i < kPositionStateCount; ++i) {
    const auto state = static_cast<S>(i);
    EXPECT_EQ(ParsePositionState(PositionStateName(state)), state) << PositionStateName(state);
  }
  EXPECT_EQ(PositionStateName(S::kNotOwned), "NOT_OWNED");
  EXPECT_EQ(PositionStateName(S::kClosed), "CLOSED");
  EXPECT_FALSE(ParsePositionState("open").has_value());
  EXPECT_FALSE(ParsePositionState("").has_value());
}

}  // namespace
}  // namespace osprey
