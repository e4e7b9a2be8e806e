// Streams the first 2000 hourly BTCUSDT candles through the indicators and compares every value
// with TA-Lib's output for the same candles (tests/data, copied from the shared reference so a
// fresh clone is self-contained): defined exactly from TA-Lib's lookback index, and equal to
// 1e-9 relative (absolute near zero).

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/indicators/atr.hpp"
#include "analysis/indicators/bollinger.hpp"
#include "analysis/indicators/ema.hpp"
#include "analysis/indicators/indicator_set.hpp"
#include "analysis/indicators/macd.hpp"
#include "analysis/indicators/rsi.hpp"
#include "analysis/indicators/sma.hpp"

namespace osprey::analysis {
namespace {

using nlohmann::json;

struct TestCandle {
  int64_t open_time_ms;
  double high;
  double low;
  double close;
};

struct Sample {
  bool ready;
  double value;
};

constexpr double kRelTolerance = 1e-9;

std::string DataPath(const std::string& name) {
  return std::string(OSPREY_SOURCE_DIR) + "/tests/data/" + name;
}

// CSV columns: open_time_ms,open,high,low,close,volume,quote_volume,trades.
std::vector<TestCandle> LoadCandles(const std::string& path) {
  std::vector<TestCandle> candles;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return candles;  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream row(line);
    std::string field;
    while (std::getline(row, field, ',')) fields.push_back(field);
    if (fields.size() < 5) return {};
    candles.push_back(
        {std::stoll(fields[0]), std::stod(fields[2]), std::stod(fields[3]), std::stod(fields[4])});
  }
  return candles;
}

std::string ReadGzip(const std::string& path) {
  std::string out;
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return out;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file, buffer, static_cast<unsigned>(sizeof(buffer)))) > 0) {
    out.append(buffer, static_cast<std::size_t>(n));
  }
  gzclose(file);
  return out;
}

class TalibReferenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    candles_ = new std::vector<TestCandle>(LoadCandles(DataPath("BTCUSDT_1h_first2000.csv")));
    const std::string text = ReadGzip(DataPath("talib_BTCUSDT_1h_first2000.json.gz"));
    reference_ = new json(json::parse(text, nullptr, /*allow_exceptions=*/false));
  }
  static void TearDownTestSuite() {
    delete candles_;
    delete reference_;
    candles_ = nullptr;
    reference_ = nullptr;
  }

  void SetUp() override {
    ASSERT_EQ(candles_->size(), 2000u)
        << "missing or short " << DataPath("BTCUSDT_1h_first2000.csv");
    ASSERT_FALSE(reference_->is_discarded()) << "unreadable talib_BTCUSDT_1h_first2000.json.gz";
  }

  static const json& Indicator(const std::string& name) {
    return (*reference_)["indicators"][name];
  }

  // One sample per candle of `(set.*indicator)().*output`, read after each update of an
  // IndicatorSet with default parameters (those of the reference).
  template <typename Indicator>
  static std::vector<Sample> Stream(const Indicator& (IndicatorSet::*indicator)() const,
                                    double (Indicator::*output)() const) {
    IndicatorSet set;
    std::vector<Sample> samples;
    for (const TestCandle& c : *candles_) {
      set.Update(c.high, c.low, c.close);
      const Indicator& read = (set.*indicator)();
      samples.push_back({read.Ready(), (read.*output)()});
    }
    return samples;
  }

  static std::vector<TestCandle>* candles_;
  static json* reference_;
};

std::vector<TestCandle>* TalibReferenceTest::candles_ = nullptr;
json* TalibReferenceTest::reference_ = nullptr;

// Null in `expected` exactly where the sample is not ready (and NaN), values within tolerance.
// Records `<label>_max_rel_error` and `<label>_bit_identical` (defined values equal to TA-Lib's to
// the last bit) as test properties, visible with --gtest_output=json.
::testing::AssertionResult MatchesReference(const std::string& label, const json& expected,
                                            const std::vector<Sample>& actual) {
  if (!expected.is_array() || expected.size() != actual.size()) {
    return ::testing::AssertionFailure()
           << "reference has " << expected.size() << " values, got " << actual.size();
  }
  int failures = 0;
  int defined = 0;
  int bit_identical = 0;
  double max_rel_error = 0.0;
  std::ostringstream report;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const Sample& got = actual[i];
    if (expected[i].is_null()) {
      if (got.ready || !std::isnan(got.value)) {
        ++failures;
        if (failures <= 5) {
          report << "\n  index " << i << ": TA-Lib null, got ready=" << got.ready
                 << " value=" << got.value;
        }
      }
      continue;
    }
    const double want = expected[i].get<double>();
    ++defined;
    if (got.value == want) ++bit_identical;
    const double scale = std::max(1.0, std::fabs(want));
    const double error = std::fabs(got.value - want);
    if (!got.ready || !(error <= kRelTolerance * scale)) {
      ++failures;
      if (failures <= 5) {
        report.precision(17);
        report << "\n  index " << i << ": TA-Lib " << want << ", got " << got.value
               << " ready=" << got.ready;
      }
    } else {
      max_rel_error = std::max(max_rel_error, error / scale);
    }
  }
  std::ostringstream max_text;
  max_text << max_rel_error;
  ::testing::Test::RecordProperty(label + "_max_rel_error", max_text.str());
  ::testing::Test::RecordProperty(label + "_bit_identical",
                                  std::to_string(bit_identical) + "/" + std::to_string(defined));
  if (failures > 0) {
    return ::testing::AssertionFailure() << failures << " mismatches" << report.str();
  }
  return ::testing::AssertionSuccess() << "max relative error " << max_rel_error;
}

TEST_F(TalibReferenceTest, CandlesAlignWithReferenceRows) {
  const json& times = (*reference_)["open_time_ms"];
  ASSERT_EQ(times.size(), candles_->size());
  for (std::size_t i = 0; i < candles_->size(); ++i) {
    ASSERT_EQ((*candles_)[i].open_time_ms, times[i].get<int64_t>()) << "row " << i;
  }
}

TEST_F(TalibReferenceTest, Sma20) {
  const json& ref = Indicator("sma_20");
  EXPECT_EQ(Sma(20).Lookback(), ref["lookback"].get<int>());
  EXPECT_TRUE(MatchesReference("sma", ref["values"], Stream(&IndicatorSet::sma, &Sma::Value)));
}

TEST_F(TalibReferenceTest, Ema20) {
  const json& ref = Indicator("ema_20");
  EXPECT_EQ(Ema(20).Lookback(), ref["lookback"].get<int>());
  EXPECT_TRUE(MatchesReference("ema", ref["values"], Stream(&IndicatorSet::ema, &Ema::Value)));
}

TEST_F(TalibReferenceTest, Rsi14) {
  const json& ref = Indicator("rsi_14");
  EXPECT_EQ(Rsi(14).Lookback(), ref["lookback"].get<int>());
  EXPECT_TRUE(MatchesReference("rsi", ref["values"], Stream(&IndicatorSet::rsi, &Rsi::Value)));
}

TEST_F(TalibReferenceTest, Macd12_26_9) {
  const json& ref = Indicator("macd_12_26_9");
  EXPECT_EQ(Macd(12, 26, 9).Lookback(), ref["lookback"].get<int>());
  EXPECT_TRUE(MatchesReference("macd", ref["macd"], Stream(&IndicatorSet::macd, &Macd::Value)));
  EXPECT_TRUE(
      MatchesReference("signal", ref["signal"], Stream(&IndicatorSet::macd, &Macd::Signal)));
  EXPECT_TRUE(MatchesReference("hist", ref["hist"], Stream(&IndicatorSet::macd, &Macd::Hist)));
}

TEST_F(TalibReferenceTest, BollingerBands20_2_2) {
  const json& ref = Indicator("bbands_20_2");
  EXPECT_EQ(BollingerBands(20, 2.0, 2.0).Lookback(), ref["lookback"].get<int>());
  EXPECT_TRUE(MatchesReference("upper", ref["upper"],
                               Stream(&IndicatorSet::bollinger, &BollingerBands::Upper)));
  EXPECT_TRUE(MatchesReference("middle", ref["middle"],
                               Stream(&IndicatorSet::bollinger, &BollingerBands::Middle)));
  EXPECT_TRUE(MatchesReference("lower", ref["lower"],
                               Stream(&IndicatorSet::bollinger, &BollingerBands::Lower)));
}

TEST_F(TalibReferenceTest, Atr14) {
  const json& ref = Indicator("atr_14");
  EXPECT_EQ(Atr(14).Lookback(), ref["lookback"].get<int>());
  EXPECT_TRUE(MatchesReference("atr", ref["values"], Stream(&IndicatorSet::atr, &Atr::Value)));
}

// The set must be nothing more than its six members fed in lockstep, and the standalone defaults
// must be the set's defaults.
TEST_F(TalibReferenceTest, StandaloneDefaultsMatchTheSetBitForBit) {
  IndicatorSet set;
  EXPECT_EQ(set.Lookback(), 33);
  Rsi rsi;
  Macd macd;
  BollingerBands bb;
  Atr atr;
  for (std::size_t i = 0; i < candles_->size(); ++i) {
    const TestCandle& c = (*candles_)[i];
    set.Update(c.high, c.low, c.close);
    rsi.Update(c.close);
    macd.Update(c.close);
    bb.Update(c.close);
    atr.Update(c.high, c.low, c.close);
    EXPECT_EQ(set.Ready(), static_cast<int64_t>(i) >= set.Lookback());
    if (!set.Ready()) continue;
    ASSERT_EQ(rsi.Value(), set.rsi().Value()) << i;
    ASSERT_EQ(macd.Value(), set.macd().Value()) << i;
    ASSERT_EQ(macd.Signal(), set.macd().Signal()) << i;
    ASSERT_EQ(bb.Upper(), set.bollinger().Upper()) << i;
    ASSERT_EQ(atr.Value(), set.atr().Value()) << i;
  }
  EXPECT_EQ(set.Count(), 2000);
}

}  // namespace
}  // namespace osprey::analysis
