// The orders journal's enums: one table each, every value round-trips, unknown names refused.

#include "trading/journal_types.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

TEST(JournalNames, EveryOrderRoleRoundTrips) {
  for (OrderRole r :
       {OrderRole::kEntry, OrderRole::kTakeProfit, OrderRole::kStopLoss, OrderRole::kExit}) {
    auto parsed = ParseOrderRole(OrderRoleName(r));
    ASSERT_TRUE(parsed) << OrderRoleName(r);
    EXPECT_EQ(*parsed, r);
  }
  auto bad = ParseOrderRole("HEDGE");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "unknown order role 'HEDGE'");
}

TEST(JournalNames, EveryJournalStatusRoundTripsAndOnlyFinalOnesAreTerminal) {
  const JournalStatus all[] = {JournalStatus::kSending,  JournalStatus::kUnknown,
                               JournalStatus::kNew,      JournalStatus::kPartiallyFilled,
                               JournalStatus::kFilled,   JournalStatus::kCanceled,
                               JournalStatus::kRejected, JournalStatus::kExpired};
  int terminal = 0;
  for (JournalStatus s : all) {
    auto parsed = ParseJournalStatus(JournalStatusName(s));
    ASSERT_TRUE(parsed) << JournalStatusName(s);
    EXPECT_EQ(*parsed, s);
    terminal += IsTerminal(s) ? 1 : 0;
  }
  EXPECT_EQ(terminal, 4);
  EXPECT_FALSE(IsTerminal(JournalStatus::kUnknown));
  EXPECT_FALSE(ParseJournalStatus("PENDING_CANCEL"));
}

TEST(JournalNames, ExchangeStatusesMapOntoTheJournalsOwn) {
  EXPECT_EQ(JournalStatusOf(OrderStatus::kNew), JournalStatus::kNew);
  EXPECT_EQ(JournalStatusOf(OrderStatus::kPartiallyFilled), JournalStatus::kPartiallyFilled);
  EXPECT_EQ(JournalStatusOf(OrderStatus::kFilled), JournalStatus::kFilled);
  EXPECT_EQ(JournalStatusOf(OrderStatus::kCanceled), JournalStatus::kCanceled);
  EXPECT_EQ(JournalStatusOf(OrderStatus::kRejected), JournalStatus::kRejected);
  EXPECT_EQ(JournalStatusOf(OrderStatus::kExpired), JournalStatus::kExpired);
}

}  // namespace
}  // namespace osprey
