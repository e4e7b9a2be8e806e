#include "core/decimal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace osprey {

inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }

namespace {

// --- Parse / ToString ------------------------------------------------------------------------

TEST(DecimalParseTest, ExchangeStringsRoundTripExactly) {
  for (const char* text : {"0.00000184", "46216.93", "-0.5", "0", "42", "123456789.123456789012",
                           "-0.000000000001", "0.1"}) {
    auto d = Decimal::Parse(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(d->ToString(), text);
  }
}

TEST(DecimalParseTest, TrailingZerosAreDroppedByToString) {
  EXPECT_EQ(Dec("9000.00000000").ToString(), "9000");
  EXPECT_EQ(Dec("-0.00012300").ToString(), "-0.000123");
  EXPECT_EQ(Dec("1.0000000000000").ToString(), "1");  // a 13th decimal that is zero is harmless
}

TEST(DecimalParseTest, AcceptsSignsAndBareDot) {
  EXPECT_EQ(Dec(".5"), Dec("0.5"));
  EXPECT_EQ(Dec("+5."), Decimal::FromInt(5));
  EXPECT_EQ(Dec("-0"), Decimal::Zero());
  EXPECT_EQ(Dec("0.00000184").raw(), 1'840'000);
  EXPECT_EQ(Dec("-1.5").raw(), -1'500'000'000'000);
}

TEST(DecimalParseTest, RejectsMalformedTextAndNamesIt) {
  for (const char* text : {"", "1e5", "1.2.3", "abc", "-", ".", " 1", "1 ", "1,000", "--1", "0x10",
                           "0.1234567890123"}) {
    auto d = Decimal::Parse(text);
    ASSERT_FALSE(d.has_value()) << "'" << text << "' parsed as " << d->ToString();
    EXPECT_EQ(d.error().code, ErrorCode::kParse) << text;
    EXPECT_NE(d.error().message.find("'" + std::string(text) + "'"), std::string::npos)
        << d.error().message;
  }
}

TEST(DecimalParseTest, RejectsThirteenSignificantDecimals) {
  auto d = Decimal::Parse("0.0000000000001");
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message.find("12 decimal places"), std::string::npos) << d.error().message;
}

TEST(DecimalParseTest, RejectsValuesOutOfRange) {
  // The largest representable value is 170141183460469231731687303.715884105727.
  EXPECT_TRUE(Decimal::Parse("170141183460469231731687303.715884105727").has_value());
  for (const char* text : {"999999999999999999999999999", "170141183460469231731687304",
                           "170141183460469231731687303.9", "-170141183460469231731687303.9"}) {
    auto d = Decimal::Parse(text);
    EXPECT_FALSE(d.has_value()) << text << " parsed as " << d->ToString();
  }
}

TEST(DecimalFromDoubleTest, ShortestDecimalNotBinaryExpansion) {
  auto d = Decimal::FromDouble(0.1);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, Dec("0.1"));
  EXPECT_EQ(*Decimal::FromDouble(46216.93), Dec("46216.93"));
  EXPECT_EQ(*Decimal::FromDouble(-0.00000184), Dec("-0.00000184"));
  EXPECT_EQ(*Decimal::FromDouble(1e-13), Decimal::Zero());  // rounded to 12 places
}

TEST(DecimalFromDoubleTest, RejectsNonFiniteAndHugeValues) {
  EXPECT_FALSE(Decimal::FromDouble(std::numeric_limits<double>::quiet_NaN()).has_value());
  EXPECT_FALSE(Decimal::FromDouble(std::numeric_limits<double>::infinity()).has_value());
  EXPECT_FALSE(Decimal::FromDouble(1e30).has_value());
}

TEST(DecimalToDoubleTest, NearestDouble) {
  EXPECT_EQ(Dec("46216.93").ToDouble(), 46216.93);
  EXPECT_EQ(Dec("-0.5").ToDouble(), -0.5);
}

// The correctly rounded double of the exact decimal, as strtod computes it from the text.
void ExpectNearest(Decimal d) {
  const std::string text = d.ToString();
  EXPECT_EQ(d.ToDouble(), std::strtod(text.c_str(), nullptr)) << text;
}

TEST(DecimalToDoubleTest, EqualsStrtodOfTheTextAtEveryScale) {
  using Raw = Decimal::Raw;
  // Each magnitude from 1e-12 to the largest raw value, with a few neighbours of each.
  Raw p = 1;
  for (int k = 0; k < 38; ++k, p *= 10) {
    for (Raw delta : {Raw{-1}, Raw{0}, Raw{1}, Raw{7}, Raw{123456789}}) {
      ExpectNearest(Decimal::FromRaw(p + delta));
      ExpectNearest(Decimal::FromRaw(-(p + delta)));
    }
  }
  const Raw max = std::numeric_limits<Raw>::max();
  ExpectNearest(Decimal::FromRaw(max));
  ExpectNearest(Decimal::FromRaw(-max));
  ExpectNearest(Decimal::FromRaw(Raw{1} << 53));
  ExpectNearest(Decimal::FromRaw((Raw{1} << 53) - 1));
  ExpectNearest(Decimal::FromRaw((Raw{1} << 53) + 1));
  ExpectNearest(Dec("0.1"));
  ExpectNearest(Dec("60123.456789012345"));
}

TEST(DecimalToDoubleTest, EqualsStrtodOfTheTextForRandomValues) {
  std::mt19937_64 gen(20261129);  // fixed seed: the same values every run
  for (int i = 0; i < 200000; ++i) {
    // A random bit length, so small, price-like and huge raw values are all covered.
    const int bits = static_cast<int>(gen() % 127) + 1;
    const auto hi = static_cast<unsigned __int128>(gen());
    const unsigned __int128 u = (hi << 64 | gen()) >> (128 - bits);
    const auto raw = static_cast<Decimal::Raw>(u);
    ExpectNearest(Decimal::FromRaw(gen() % 2 == 0 ? raw : -raw));
  }
}

TEST(DecimalToDoubleTest, HalfwayCasesRoundToEven) {
  // 2^53 + 1 and 2^53 + 3 units lie exactly halfway between two doubles once scaled by 10^12.
  const Decimal::Raw two53 = Decimal::Raw{1} << 53;
  for (Decimal::Raw k : {Decimal::Raw{1}, Decimal::Raw{3}}) {
    const Decimal d = Decimal::FromRaw((two53 + k) * Decimal::kOne);
    EXPECT_EQ(d.ToDouble(), std::strtod(d.ToString().c_str(), nullptr)) << d.ToString();
  }
  EXPECT_EQ(Decimal::FromRaw((two53 + 1) * Decimal::kOne).ToDouble(), 9007199254740992.0);
  EXPECT_EQ(Decimal::FromRaw((two53 + 3) * Decimal::kOne).ToDouble(), 9007199254740996.0);
}

// --- Rounding modes --------------------------------------------------------------------------

struct RoundingCase {
  Rounding mode;
  const char* name;
  const char* pos_odd_tie;   // 1.5e-12
  const char* pos_even_tie;  // 2.5e-12
  const char* neg_even_tie;  // -2.5e-12
  const char* neg_odd_tie;   // -1.5e-12
};

const std::vector<RoundingCase>& RoundingCases() {
  static const std::vector<RoundingCase> cases = {
      {Rounding::kHalfEven, "HalfEven", "0.000000000002", "0.000000000002", "-0.000000000002",
       "-0.000000000002"},
      {Rounding::kHalfUp, "HalfUp", "0.000000000002", "0.000000000003", "-0.000000000003",
       "-0.000000000002"},
      {Rounding::kDown, "Down", "0.000000000001", "0.000000000002", "-0.000000000002",
       "-0.000000000001"},
      {Rounding::kUp, "Up", "0.000000000002", "0.000000000003", "-0.000000000003",
       "-0.000000000002"},
      {Rounding::kFloor, "Floor", "0.000000000001", "0.000000000002", "-0.000000000003",
       "-0.000000000002"},
      {Rounding::kCeiling, "Ceiling", "0.000000000002", "0.000000000003", "-0.000000000002",
       "-0.000000000001"},
  };
  return cases;
}

TEST(DecimalRoundingTest, MulRoundsTiesInEveryMode) {
  const Decimal micro = Dec("0.000001");
  for (const auto& c : RoundingCases()) {
    EXPECT_EQ(Decimal::Mul(Dec("0.0000015"), micro, c.mode), Dec(c.pos_odd_tie)) << c.name;
    EXPECT_EQ(Decimal::Mul(Dec("0.0000025"), micro, c.mode), Dec(c.pos_even_tie)) << c.name;
    EXPECT_EQ(Decimal::Mul(Dec("-0.0000025"), micro, c.mode), Dec(c.neg_even_tie)) << c.name;
    EXPECT_EQ(Decimal::Mul(micro, Dec("-0.0000015"), c.mode), Dec(c.neg_odd_tie)) << c.name;
  }
}

TEST(DecimalRoundingTest, DivRoundsTiesInEveryMode) {
  const Decimal two = Decimal::FromInt(2);
  for (const auto& c : RoundingCases()) {
    EXPECT_EQ(Decimal::Div(Dec("0.000000000003"), two, c.mode), Dec(c.pos_odd_tie)) << c.name;
    EXPECT_EQ(Decimal::Div(Dec("0.000000000005"), two, c.mode), Dec(c.pos_even_tie)) << c.name;
    EXPECT_EQ(Decimal::Div(Dec("-0.000000000005"), two, c.mode), Dec(c.neg_even_tie)) << c.name;
    EXPECT_EQ(Decimal::Div(Dec("0.000000000003"), -two, c.mode), Dec(c.neg_odd_tie)) << c.name;
  }
}

TEST(DecimalRoundingTest, DivNonTiesRoundToNearestOrByDirection) {
  const Decimal one = Decimal::FromInt(1);
  const Decimal three = Decimal::FromInt(3);
  EXPECT_EQ(Decimal::Div(one, three), Dec("0.333333333333"));
  EXPECT_EQ(Decimal::Div(one, three, Rounding::kHalfUp), Dec("0.333333333333"));
  EXPECT_EQ(Decimal::Div(one, three, Rounding::kUp), Dec("0.333333333334"));
  EXPECT_EQ(Decimal::Div(Decimal::FromInt(2), three), Dec("0.666666666667"));
  EXPECT_EQ(Decimal::Div(Decimal::FromInt(2), three, Rounding::kDown), Dec("0.666666666666"));
  EXPECT_EQ(Decimal::Div(Decimal::FromInt(-2), three, Rounding::kFloor), Dec("-0.666666666667"));
  EXPECT_EQ(Decimal::Div(Decimal::FromInt(-2), three, Rounding::kCeiling), Dec("-0.666666666666"));
}

TEST(DecimalRoundingTest, ExactProductsAreNotRounded) {
  for (Rounding mode : {Rounding::kHalfEven, Rounding::kHalfUp, Rounding::kDown, Rounding::kUp,
                        Rounding::kFloor, Rounding::kCeiling}) {
    EXPECT_EQ(Decimal::Mul(Dec("46216.93"), Dec("0.00123"), mode), Dec("56.8468239"));
    EXPECT_EQ(Decimal::Mul(Dec("-46216.93"), Dec("0.00123"), mode), Dec("-56.8468239"));
    EXPECT_EQ(Decimal::Div(Dec("56.8468239"), Dec("0.00123"), mode), Dec("46216.93"));
  }
}

// --- RoundToStep / IsMultipleOf ---------------------------------------------------------------

TEST(DecimalStepTest, RoundToStepUpAndDown) {
  const Decimal step = Dec("0.001");
  EXPECT_EQ(Dec("0.123456").RoundToStep(step, Rounding::kDown), Dec("0.123"));
  EXPECT_EQ(Dec("0.123456").RoundToStep(step, Rounding::kUp), Dec("0.124"));
  EXPECT_EQ(Dec("0.123456").RoundToStep(step, Rounding::kHalfEven), Dec("0.123"));
  EXPECT_EQ(Dec("0.1235").RoundToStep(step, Rounding::kHalfEven), Dec("0.124"));
  EXPECT_EQ(Dec("0.1245").RoundToStep(step, Rounding::kHalfEven), Dec("0.124"));
  EXPECT_EQ(Dec("0.1245").RoundToStep(step, Rounding::kHalfUp), Dec("0.125"));
  EXPECT_EQ(Dec("-0.123456").RoundToStep(step, Rounding::kFloor), Dec("-0.124"));
  EXPECT_EQ(Dec("-0.123456").RoundToStep(step, Rounding::kCeiling), Dec("-0.123"));
  EXPECT_EQ(Dec("-0.123456").RoundToStep(step, Rounding::kDown), Dec("-0.123"));
  EXPECT_EQ(Dec("-0.123456").RoundToStep(step, Rounding::kUp), Dec("-0.124"));
  // Already on the grid: unchanged in every direction.
  EXPECT_EQ(Dec("0.124").RoundToStep(step, Rounding::kUp), Dec("0.124"));
  EXPECT_EQ(Dec("0.124").RoundToStep(step, Rounding::kDown), Dec("0.124"));
  // Steps that are not powers of ten.
  EXPECT_EQ(Dec("46216.937").RoundToStep(Dec("0.05"), Rounding::kUp), Dec("46216.95"));
  EXPECT_EQ(Dec("46216.937").RoundToStep(Dec("0.05"), Rounding::kDown), Dec("46216.9"));
}

TEST(DecimalStepTest, IsMultipleOf) {
  EXPECT_TRUE(Dec("46216.93").IsMultipleOf(Dec("0.01")));
  EXPECT_FALSE(Dec("46216.935").IsMultipleOf(Dec("0.01")));
  EXPECT_TRUE(Dec("0.00123").IsMultipleOf(Dec("0.00001")));
  EXPECT_FALSE(Dec("0.000123").IsMultipleOf(Dec("0.00001")));
  EXPECT_TRUE(Dec("-0.02").IsMultipleOf(Dec("0.01")));
  EXPECT_TRUE(Decimal::Zero().IsMultipleOf(Dec("0.01")));
  EXPECT_TRUE(Dec("0.15").IsMultipleOf(Dec("0.05")));
  EXPECT_FALSE(Dec("0.16").IsMultipleOf(Dec("0.05")));
}

// --- Overflow, division by zero, the 256-bit slow path ----------------------------------------

TEST(DecimalOverflowTest, CheckedMulReportsOverflow) {
  const Decimal huge = Dec("100000000000000000000");  // 1e20
  auto r = Decimal::CheckedMul(huge, huge, Rounding::kHalfEven);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kOverflow);
  EXPECT_NE(r.error().message.find("100000000000000000000"), std::string::npos);
  EXPECT_FALSE(Decimal::CheckedMul(-huge, huge, Rounding::kDown).has_value());
  // Just above the range: the 128-bit quotient fits but exceeds the signed maximum.
  EXPECT_FALSE(Decimal::CheckedMul(Dec("100000000000000000000000000"), Dec("1.8"), Rounding::kDown)
                   .has_value());
  EXPECT_TRUE(Decimal::CheckedMul(Dec("100000000000000000000000000"), Dec("1.7"), Rounding::kDown)
                  .has_value());
}

TEST(DecimalOverflowTest, CheckedDivReportsOverflowAndDivisionByZero) {
  auto over =
      Decimal::CheckedDiv(Dec("100000000000000000000"), Dec("0.000000000001"), Rounding::kHalfEven);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, ErrorCode::kOverflow);
  // Slow path (dividend above 1.7e14) with a quotient that does not fit.
  EXPECT_FALSE(Decimal::CheckedDiv(Dec("1000000000000000"), Dec("0.000000000001"), Rounding::kDown)
                   .has_value());

  auto zero = Decimal::CheckedDiv(Decimal::FromInt(1), Decimal::Zero(), Rounding::kHalfEven);
  ASSERT_FALSE(zero.has_value());
  EXPECT_EQ(zero.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(zero.error().message.find("division by zero"), std::string::npos);
}

TEST(DecimalOverflowDeathTest, MulAndDivAbortOnOverflow) {
  const Decimal huge = Dec("100000000000000000000");
  EXPECT_DEATH((void)Decimal::Mul(huge, huge), "overflow");
  EXPECT_DEATH((void)Decimal::Div(Decimal::FromInt(1), Decimal::Zero()), "division by zero");
}

TEST(DecimalSlowPathTest, MulOfLargeOperandsIsExact) {
  const Decimal a = Dec("123456789012.123456789012");  // raw above 2^63: 256-bit path
  const Decimal b = Dec("98765432.1");
  // Exact product: 12193263112460905348.3124487120852 (13 decimals).
  EXPECT_EQ(Decimal::Mul(a, b), Dec("12193263112460905348.312448712085"));
  EXPECT_EQ(Decimal::Mul(a, b, Rounding::kUp), Dec("12193263112460905348.312448712086"));
  EXPECT_EQ(Decimal::Mul(-a, b, Rounding::kFloor), Dec("-12193263112460905348.312448712086"));
  EXPECT_EQ(Decimal::Mul(-a, b, Rounding::kCeiling), Dec("-12193263112460905348.312448712085"));
  EXPECT_EQ(Decimal::Mul(b, a), Decimal::Mul(a, b));
}

TEST(DecimalSlowPathTest, DivOfLargeDividendIsExact) {
  const Decimal big = Dec("1234567890123456.789");  // * 10^12 no longer fits 127 bits
  EXPECT_EQ(Decimal::Div(big, Dec("7.5")), Dec("164609052016460.9052"));
  // 128-bit divisor (raw above 2^64): full long division.
  const Decimal divisor = Dec("98765432.123456789");
  EXPECT_EQ(Decimal::Div(big, divisor), Dec("12499999.88437500016"));
  EXPECT_EQ(Decimal::Div(big, divisor, Rounding::kDown), Dec("12499999.884375000159"));
  EXPECT_EQ(Decimal::Div(-big, divisor, Rounding::kCeiling), Dec("-12499999.884375000159"));
  // A tie on the slow path: half-even keeps the even quotient, half-up bumps it.
  const Decimal tie = Dec("200000000000000.000000000001");
  EXPECT_EQ(Decimal::Div(tie, Decimal::FromInt(2)), Dec("100000000000000"));
  EXPECT_EQ(Decimal::Div(tie, Decimal::FromInt(2), Rounding::kHalfUp),
            Dec("100000000000000.000000000001"));
}

TEST(DecimalArithmeticTest, AddSubAreExact) {
  EXPECT_EQ(Dec("0.1") + Dec("0.2"), Dec("0.3"));
  EXPECT_EQ(Dec("0.1") - Dec("0.2"), Dec("-0.1"));
  Decimal acc;
  for (int i = 0; i < 10; ++i) acc += Dec("0.1");
  EXPECT_EQ(acc, Decimal::FromInt(1));
  acc -= Dec("1.000000000001");
  EXPECT_EQ(acc, Dec("-0.000000000001"));
  EXPECT_EQ(-Dec("5"), Dec("-5"));
  EXPECT_EQ(Dec("-5").Abs(), Dec("5"));
  EXPECT_EQ(Decimal::FromScaled(184, 8), Dec("0.00000184"));
}

// --- ToFixed -----------------------------------------------------------------------------------

TEST(DecimalToFixedTest, PadsAndRoundsHalfEven) {
  EXPECT_EQ(Dec("42").ToFixed(8), "42.00000000");
  EXPECT_EQ(Dec("0.00000184").ToFixed(8), "0.00000184");
  EXPECT_EQ(Dec("46216.93").ToFixed(2), "46216.93");
  EXPECT_EQ(Dec("46216.93").ToFixed(0), "46217");
  EXPECT_EQ(Dec("1.005").ToFixed(2), "1.00");
  EXPECT_EQ(Dec("1.015").ToFixed(2), "1.02");
  EXPECT_EQ(Dec("1.0151").ToFixed(2), "1.02");
  EXPECT_EQ(Dec("2.5").ToFixed(0), "2");
  EXPECT_EQ(Dec("3.5").ToFixed(0), "4");
  EXPECT_EQ(Dec("-0.125").ToFixed(2), "-0.12");
  EXPECT_EQ(Dec("-0.5").ToFixed(2), "-0.50");
  EXPECT_EQ(Dec("-0.001").ToFixed(2), "0.00");
  EXPECT_EQ(Dec("0.123456789012").ToFixed(12), "0.123456789012");
}

// --- Comparisons ---------------------------------------------------------------------------------

TEST(DecimalCompareTest, OrderingAndEquality) {
  EXPECT_TRUE(Dec("1.5") < Dec("2"));
  EXPECT_TRUE(Dec("2") > Dec("1.999999999999"));
  EXPECT_TRUE(Dec("-1") < Dec("0.000000000001"));
  EXPECT_TRUE(Dec("-2") < Dec("-1"));
  EXPECT_TRUE(Dec("9000.00000000") == Dec("9000"));
  EXPECT_TRUE(Dec("9000") != Dec("9000.000000000001"));
  EXPECT_TRUE(Dec("3") <= Dec("3"));
  EXPECT_TRUE(Dec("3") >= Dec("3"));
  EXPECT_FALSE(Dec("3") < Dec("3"));
  EXPECT_EQ(Min(Dec("1"), Dec("-1")), Dec("-1"));
  EXPECT_EQ(Max(Dec("1"), Dec("-1")), Dec("1"));
  EXPECT_TRUE(Dec("0.1").IsPositive());
  EXPECT_TRUE(Dec("-0.1").IsNegative());
  EXPECT_TRUE(Dec("0.000").IsZero());
}

}  // namespace
}  // namespace osprey
