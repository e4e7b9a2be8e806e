// Every enum of core has one name table: each value's name parses back to the same value, and
// text that names no value is refused.
#include <gtest/gtest.h>

#include "core/order.hpp"
#include "core/trade_record.hpp"

namespace osprey {
namespace {

template <typename E, typename Name, typename Parse>
void ExpectRoundTrip(std::size_t count, Name name_of, Parse parse) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = static_cast<E>(i);
    const std::string_view name = name_of(value);
    ASSERT_FALSE(name.empty()) << "value " << i;
    ASSERT_NE(name, "?") << "value " << i;
    const auto parsed = parse(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, value) << name;
  }
  EXPECT_FALSE(parse("").has_value());
  EXPECT_FALSE(parse("NO_SUCH_NAME").has_value());
}

TEST(EnumNames, EveryExitReasonRoundTripsIncludingEmergency) {
  ExpectRoundTrip<ExitReason>(kExitReasonCount, ExitReasonName, ParseExitReason);
  EXPECT_EQ(ParseExitReason("EMERGENCY_EXIT"), ExitReason::kEmergency);
  EXPECT_FALSE(ParseExitReason("stop_loss").has_value());  // names are case-sensitive
}

TEST(EnumNames, StoredExitReasonNamesAreUnchanged) {
  EXPECT_EQ(ExitReasonName(ExitReason::kNone), "NONE");
  EXPECT_EQ(ExitReasonName(ExitReason::kStopLoss), "STOP_LOSS");
  EXPECT_EQ(ExitReasonName(ExitReason::kTakeProfit1), "TAKE_PROFIT_1");
  EXPECT_EQ(ExitReasonName(ExitReason::kTakeProfit2), "TAKE_PROFIT_2");
  EXPECT_EQ(ExitReasonName(ExitReason::kTakeProfit3), "TAKE_PROFIT_3");
  EXPECT_EQ(ExitReasonName(ExitReason::kTrailingStop), "TRAILING_STOP");
  EXPECT_EQ(ExitReasonName(ExitReason::kEmergency), "EMERGENCY_EXIT");
  EXPECT_EQ(ExitReasonShortName(ExitReason::kNone), "");
  EXPECT_EQ(ExitReasonShortName(ExitReason::kStopLoss), "SL");
  EXPECT_EQ(ExitReasonShortName(ExitReason::kTakeProfit1), "TP1");
  EXPECT_EQ(ExitReasonShortName(ExitReason::kTakeProfit3), "TP3");
  EXPECT_EQ(ExitReasonShortName(ExitReason::kTrailingStop), "TRAIL");
  EXPECT_EQ(ExitReasonShortName(ExitReason::kEmergency), "EMERGENCY");
}

TEST(EnumNames, EveryTradeStatusRoundTrips) {
  ExpectRoundTrip<TradeStatus>(kTradeStatusCount, TradeStatusName, ParseTradeStatus);
  EXPECT_EQ(TradeStatusName(TradeStatus::kOpen), "OPEN");
  EXPECT_EQ(TradeStatusName(TradeStatus::kClosed), "CLOSED");
}

TEST(EnumNames, EverySideOrderTypeAndOrderStatusRoundTrips) {
  ExpectRoundTrip<Side>(kSideCount, SideName, ParseSide);
  ExpectRoundTrip<OrderType>(kOrderTypeCount, OrderTypeName, ParseOrderType);
  ExpectRoundTrip<OrderStatus>(kOrderStatusCount, OrderStatusName, ParseOrderStatus);
  EXPECT_EQ(SideName(Side::kSell), "SELL");
  EXPECT_EQ(OrderTypeName(OrderType::kStopLoss), "STOP_LOSS");
  EXPECT_EQ(OrderStatusName(OrderStatus::kPartiallyFilled), "PARTIALLY_FILLED");
  EXPECT_EQ(OrderStatusName(OrderStatus::kExpired), "EXPIRED");
}

TEST(EnumNames, AValueOutsideTheTableHasNoName) {
  EXPECT_EQ(ExitReasonName(static_cast<ExitReason>(99)), "?");
  EXPECT_EQ(ExitReasonShortName(static_cast<ExitReason>(99)), "?");
}

enum class Toy { kA, kB };
TEST(EnumNames, ATableOutOfOrderOrWithADuplicateIsIncomplete) {
  constexpr std::array<EnumName<Toy>, 2> good{{{Toy::kA, "A"}, {Toy::kB, "B"}}};
  constexpr std::array<EnumName<Toy>, 2> swapped{{{Toy::kB, "B"}, {Toy::kA, "A"}}};
  constexpr std::array<EnumName<Toy>, 2> duplicate{{{Toy::kA, "A"}, {Toy::kB, "A"}}};
  constexpr std::array<EnumName<Toy>, 2> unnamed{{{Toy::kA, "A"}, {Toy::kB, ""}}};
  static_assert(EnumTableComplete(good));
  static_assert(!EnumTableComplete(swapped));
  static_assert(!EnumTableComplete(duplicate));
  static_assert(!EnumTableComplete(unnamed));
}

}  // namespace
}  // namespace osprey
