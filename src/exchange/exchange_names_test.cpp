// Every value of the port's enums has one name that parses back to it (one table per enum).

#include <gtest/gtest.h>

#include "exchange/exchange.hpp"

namespace osprey {
namespace {

TEST(ExchangeNames, EveryAckOutcomeRoundTrips) {
  for (AckOutcome o : {AckOutcome::kAccepted, AckOutcome::kRejected, AckOutcome::kUnknown}) {
    EXPECT_EQ(ParseAckOutcome(AckOutcomeName(o)), o) << AckOutcomeName(o);
  }
  EXPECT_FALSE(ParseAckOutcome("MAYBE").has_value());
}

TEST(ExchangeNames, EveryExecutionTypeRoundTripsUnderBinancesName) {
  for (ExecutionType t : {ExecutionType::kNew, ExecutionType::kTrade, ExecutionType::kCanceled,
                          ExecutionType::kRejected, ExecutionType::kExpired}) {
    EXPECT_EQ(ParseExecutionType(ExecutionTypeName(t)), t) << ExecutionTypeName(t);
  }
  EXPECT_EQ(ExecutionTypeName(ExecutionType::kTrade), "TRADE");
  EXPECT_FALSE(ParseExecutionType("REPLACED").has_value());
}

TEST(ExchangeNames, AckWhyNamesTheCodeOrTheError) {
  OrderAck rejected;
  rejected.outcome = AckOutcome::kRejected;
  rejected.reject_code = -2010;
  rejected.reject_message = "Order would trigger immediately.";
  EXPECT_EQ(rejected.Why(), "-2010 Order would trigger immediately.");
  OrderAck unknown;
  unknown.outcome = AckOutcome::kUnknown;
  unknown.error = Error{ErrorCode::kTimeout, "no answer in 10 s"};
  EXPECT_EQ(unknown.Why(), "TIMEOUT: no answer in 10 s");
  OrderAck accepted;
  accepted.outcome = AckOutcome::kAccepted;
  EXPECT_EQ(accepted.Why(), "");
}

}  // namespace
}  // namespace osprey
