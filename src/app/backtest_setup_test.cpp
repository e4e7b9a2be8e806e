// One validation for `config check` and `backtest`: the flags are validated with the file, and a
// problem a flag causes names the flag; the data checks are the same function for both commands.
#include "app/backtest_setup.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "app/exit_codes.hpp"

namespace osprey {
namespace {

// The shipped default config with its data folder made absolute, written to a temp file.
class BacktestSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "osprey_setup_" + std::to_string(::getpid()) + ".toml";
    std::ifstream in(OSPREY_SOURCE_DIR "/config/osprey.toml");
    std::ofstream out(path_);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("dir = ")) line = "dir = \"" OSPREY_SOURCE_DIR "/data\"";
      out << line << "\n";
    }
  }
  void TearDown() override { std::remove(path_.c_str()); }

  BacktestArgs Args() const {
    BacktestArgs a;
    a.config = path_;
    return a;
  }

  std::string path_;
};

TEST_F(BacktestSetupTest, TheShippedConfigResolvesUnchangedWithoutFlags) {
  auto s = ResolveBacktestSettings(Args());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->data.symbols.size(), 10u);
}

TEST_F(BacktestSetupTest, FlagsOverrideTheFile) {
  BacktestArgs a = Args();
  a.symbols = "BTCUSDT, ETHUSDT";
  a.analyst = "reference";
  a.from = "2025-01-01";
  a.to = "2025-02-01";
  a.out = "elsewhere";
  auto s = ResolveBacktestSettings(a);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->data.symbols, (std::vector<std::string>{"BTCUSDT", "ETHUSDT"}));
  EXPECT_EQ(s->ai.analysts, std::vector<std::string>{"reference"});
  EXPECT_EQ(s->backtest.from, "2025-01-01");
  EXPECT_EQ(s->backtest.out_dir, "elsewhere");
}

TEST_F(BacktestSetupTest, AProblemAFlagCausesNamesTheFlagAndIsAConfigError) {
  struct Case {
    void (*set)(BacktestArgs&);
    const char* line;
  };
  const Case cases[] = {
      {[](BacktestArgs& a) { a.analyst = "gpt"; },
       "--analyst: unknown analyst \"gpt\"; known: \"technical\", \"reference\""},
      {[](BacktestArgs& a) { a.symbols = "BTCUSDT,BTCUSDT"; },
       "--symbols: \"BTCUSDT\" is listed twice"},
      {[](BacktestArgs& a) { a.symbols = ","; },
       "--symbols: must list at least one symbol, e.g. [\"BTCUSDT\"]"},
      {[](BacktestArgs& a) { a.symbols = "btcusdt"; },
       "--symbols: \"btcusdt\" is not a symbol name (upper-case letters and digits, e.g. BTCUSDT)"},
      {[](BacktestArgs& a) { a.symbols = "PEPEUSDT"; },
       "--symbols: \"PEPEUSDT\" has no [exchange.symbols.PEPEUSDT] table with its filters (needed "
       "while exchange.apply_symbol_filters = true)"},
      {[](BacktestArgs& a) { a.from = "2025-13-01"; }, "--from: not a UTC date"},
      // A cross-field rule on the file's other date is the flag's problem too.
      {[](BacktestArgs& a) { a.to = "2023-01-01"; },
       "--to: the period is empty: from 2024-01-01 is not before to 2023-01-01"},
      {[](BacktestArgs& a) { a.out = ""; }, "--out: must not be empty"},
      {[](BacktestArgs& a) { a.data = ""; }, "--data: must not be empty"},
  };
  for (const Case& c : cases) {
    BacktestArgs a = Args();
    c.set(a);
    auto s = ResolveBacktestSettings(a);
    ASSERT_FALSE(s) << c.line;
    EXPECT_EQ(s.error().code, ErrorCode::kConfig);
    EXPECT_EQ(ExitCodeFor(s.error().code), kExitUsage);
    EXPECT_TRUE(s.error().message.starts_with(c.line)) << s.error().message;
  }
}

TEST_F(BacktestSetupTest, AFlagValueCannotAddALineToTheProblems) {
  BacktestArgs a = Args();
  a.symbols = "BTC\nUSDT";
  auto s = ResolveBacktestSettings(a);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.find('\n'), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("\"BTC\\nUSDT\" is not a symbol name"), std::string::npos)
      << s.error().message;
}

TEST_F(BacktestSetupTest, ANegativeBiasCheckIsAnArgumentError) {
  BacktestArgs a = Args();
  a.bias_check = -1;
  auto s = ResolveBacktestSettings(a);
  ASSERT_FALSE(s);
  EXPECT_EQ(ExitCodeFor(s.error().code), kExitUsage);
}

TEST_F(BacktestSetupTest, PrepareLoadsTheUniverseAndClipsThePeriodToTheData) {
  BacktestArgs a = Args();
  a.symbols = "BTCUSDT";
  a.from = "2026-05-01";
  a.to = "9999-12-31";
  auto s = ResolveBacktestSettings(a);
  ASSERT_TRUE(s) << s.error().message;
  auto p = PrepareBacktest(*s, path_);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->hourly.size(), 1u);
  EXPECT_EQ(p->hourly[0].symbol, "BTCUSDT");
  EXPECT_EQ(p->minutes.size(), 1u);  // use_minute_candles = true in the default config
  EXPECT_EQ(FormatIsoUtc(p->plan.to), "2026-05-16T18:00:00Z");  // BTCUSDT's last candle closes
  ASSERT_EQ(p->plan.warnings.size(), 1u);
  EXPECT_GT(p->n_gaps, 0);
}

TEST_F(BacktestSetupTest, AMissingDataFileIsTheRequestsFault) {
  BacktestArgs a = Args();
  a.data = testing::TempDir() + "osprey_no_data_here";
  auto s = ResolveBacktestSettings(a);
  ASSERT_TRUE(s) << s.error().message;
  auto p = PrepareBacktest(*s, path_);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ExitCodeFor(p.error().code), kExitUsage);
  EXPECT_NE(p.error().message.find("osprey_no_data_here/klines/1h/BTCUSDT.csv.gz"),
            std::string::npos);
}

TEST(ExitCodes, TheRequestsFaultIsTwoAndEverythingElseOne) {
  for (ErrorCode c : {ErrorCode::kConfig, ErrorCode::kInvalidArgument, ErrorCode::kNotFound}) {
    EXPECT_EQ(ExitCodeFor(c), kExitUsage) << ErrorCodeName(c);
  }
  for (ErrorCode c :
       {ErrorCode::kParse, ErrorCode::kOutOfRange, ErrorCode::kOverflow, ErrorCode::kIo,
        ErrorCode::kData, ErrorCode::kRejected, ErrorCode::kStore, ErrorCode::kInternal,
        ErrorCode::kTimeout, ErrorCode::kUnavailable, ErrorCode::kRateLimited}) {
    EXPECT_EQ(ExitCodeFor(c), kExitFailure) << ErrorCodeName(c);
  }
}

TEST(ExitCodes, ReportedErrorsNeverShowASecret) {
  testing::internal::CaptureStderr();
  const int code = ReportError(
      "backtest", Error{ErrorCode::kParse, "bad value 'sk-ant-api03-AbCdEfGhIjKlMnOpQrSt0123'"});
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, kExitFailure);
  EXPECT_EQ(printed, "osprey backtest: bad value '<withheld: looks like a secret>'\n");
  testing::internal::CaptureStderr();
  ReportError("config check", Error{ErrorCode::kConfig, "a.toml: mode: bad\na.toml: x: bad"});
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "a.toml: mode: bad\na.toml: x: bad\n");
}

}  // namespace
}  // namespace osprey
