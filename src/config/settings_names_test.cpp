// Every config enum has one name table: each value's name parses back to the same value, the
// loader accepts exactly those names, and unknown text is refused.
#include <gtest/gtest.h>

#include "config/settings.hpp"

namespace osprey {
namespace {

template <typename E, std::size_t N, typename Name, typename Parse>
void ExpectRoundTrip(const std::array<EnumName<E>, N>& table, Name name_of, Parse parse) {
  for (std::size_t i = 0; i < N; ++i) {
    const auto value = static_cast<E>(i);
    const auto parsed = parse(name_of(value));
    ASSERT_TRUE(parsed.has_value()) << name_of(value);
    EXPECT_EQ(*parsed, value) << name_of(value);
    EXPECT_EQ(table[i].name, name_of(value));
  }
  EXPECT_FALSE(parse("").has_value());
  EXPECT_FALSE(parse("no_such_name").has_value());
}

TEST(SettingsNames, EveryConfigEnumRoundTrips) {
  ExpectRoundTrip(kModeTable, ModeName, ParseMode);
  ExpectRoundTrip(kSizingModeTable, SizingModeName, ParseSizingMode);
  ExpectRoundTrip(kTrailingActivationTable, TrailingActivationName, ParseTrailingActivation);
  ExpectRoundTrip(kGapFillTable, GapFillName, ParseGapFill);
  ExpectRoundTrip(kFeeAssetTable, FeeAssetName, ParseFeeAsset);
  ExpectRoundTrip(kTakeProfitFillTable, TakeProfitFillName, ParseTakeProfitFill);
}

TEST(SettingsNames, ConfigFileNamesAreUnchanged) {
  EXPECT_EQ(ModeName(Mode::kBacktest), "backtest");
  EXPECT_EQ(ModeName(Mode::kPaper), "paper");
  EXPECT_EQ(ModeName(Mode::kTestnet), "testnet");
  EXPECT_EQ(ModeName(Mode::kLive), "live");
  EXPECT_EQ(SizingModeName(SizingMode::kKelly), "kelly");
  EXPECT_EQ(SizingModeName(SizingMode::kFixedFraction), "fixed_fraction");
  EXPECT_EQ(TrailingActivationName(TrailingActivation::kAfterTp1), "after_tp1");
  EXPECT_EQ(TrailingActivationName(TrailingActivation::kImmediate), "immediate");
  EXPECT_EQ(GapFillName(GapFill::kOpen), "open");
  EXPECT_EQ(GapFillName(GapFill::kLevel), "level");
  EXPECT_EQ(FeeAssetName(FeeAsset::kQuote), "quote");
  EXPECT_EQ(FeeAssetName(FeeAsset::kBase), "base");
  EXPECT_FALSE(ParseMode("Backtest").has_value());  // case-sensitive, as the loader always was
}

}  // namespace
}  // namespace osprey
