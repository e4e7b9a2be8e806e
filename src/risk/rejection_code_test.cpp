// RejectionCode: one name per code, unchanged from the strings stored before the enum existed,
// and name -> code -> name round-trips for every value.

#include "risk/rejection_code.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace osprey {
namespace {

TEST(RejectionCodeTest, EveryCodeRoundTripsThroughItsName) {
  std::set<std::string_view> names;
  for (RejectionCode code : kAllRejectionCodes) {
    const std::string_view name = RejectionCodeName(code);
    EXPECT_NE(name, "UNKNOWN");
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    const std::optional<RejectionCode> back = ParseRejectionCode(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, code) << name;
  }
  // kAllRejectionCodes lists every enumerator once (the last one closes the list).
  EXPECT_EQ(names.size(), static_cast<std::size_t>(RejectionCode::kSafeState) + 1);
}

TEST(RejectionCodeTest, NamesAreTheOnesStoredBefore) {
  EXPECT_EQ(RejectionCodeName(RejectionCode::kCircuitBreaker), "CIRCUIT_BREAKER");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kMaxPositions), "MAX_POSITIONS");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kAlreadyInPosition), "ALREADY_IN_POSITION");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kDailyLoss), "DAILY_LOSS");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kDailyLossPercent), "DAILY_LOSS_PERCENT");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kMaxDrawdown), "MAX_DRAWDOWN");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kMaxHeat), "MAX_HEAT");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kInsufficientBalance), "INSUFFICIENT_BALANCE");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kStopNotBelowEntry), "STOP_NOT_BELOW_ENTRY");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kNoEdge), "NO_EDGE");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kSizeTooSmall), "SIZE_TOO_SMALL");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kUnknownSymbol), "UNKNOWN_SYMBOL");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kOrderFailed), "ORDER_FAILED");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kExchangeRejected), "EXCHANGE_REJECTED");
  EXPECT_EQ(RejectionCodeName(RejectionCode::kProtectionRejected), "PROTECTION_REJECTED");
}

TEST(RejectionCodeTest, UnknownNameParsesToNothing) {
  EXPECT_FALSE(ParseRejectionCode("").has_value());
  EXPECT_FALSE(ParseRejectionCode("no_edge").has_value());
  EXPECT_FALSE(ParseRejectionCode("NO_EDGE ").has_value());
  EXPECT_FALSE(ParseRejectionCode("UNKNOWN").has_value());
}

}  // namespace
}  // namespace osprey
