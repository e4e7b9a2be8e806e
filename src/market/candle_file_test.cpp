#include "market/candle_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/time.hpp"

namespace osprey {
namespace {

constexpr TimeMs kT0 = 1'609'459'200'000;  // 2021-01-01 00:00 UTC
constexpr char kHeader[] = "open_time_ms,open,high,low,close,volume,quote_volume,trades\n";

std::string Row(TimeMs t, std::string_view o = "100", std::string_view h = "110",
                std::string_view l = "90", std::string_view c = "105", std::string_view v = "7") {
  return std::to_string(t) + "," + std::string(o) + "," + std::string(h) + "," + std::string(l) +
         "," + std::string(c) + "," + std::string(v) + ",,\n";
}

// Files written by the current test, removed when it ends.
std::vector<std::string>& Written() {
  static std::vector<std::string> paths;
  return paths;
}

class CandleFileTest : public testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& path : Written()) std::remove(path.c_str());
    Written().clear();
  }
};

// A path in the test temp dir unique to this test and process (ctest runs tests in parallel).
std::string TempPath(const std::string& name) {
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string test = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& ch : test) {
    if (ch == '/') ch = '_';
  }
  std::string path =
      testing::TempDir() + "osprey_cf_" + std::to_string(::getpid()) + "_" + test + "_" + name;
  Written().push_back(path);
  return path;
}

std::string WritePlain(const std::string& name, const std::string& content) {
  std::string path = TempPath(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  EXPECT_TRUE(out.good()) << path;
  return path;
}

std::string WriteGzip(const std::string& name, const std::string& content) {
  std::string path = TempPath(name);
  gzFile f = gzopen(path.c_str(), "wb9");
  EXPECT_NE(f, nullptr) << path;
  if (f == nullptr) return path;
  EXPECT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  EXPECT_EQ(gzclose(f), Z_OK);
  return path;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Basename(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// Asserts a failure with `code` whose message names the file and `path:line:`.
void ExpectFailure(const Result<CandleSeries>& r, ErrorCode code, const std::string& path, int line,
                   const std::string& needle) {
  ASSERT_FALSE(r.has_value()) << "expected failure at line " << line;
  EXPECT_EQ(r.error().code, code) << r.error().ToString();
  EXPECT_NE(r.error().message.find(Basename(path)), std::string::npos) << r.error().message;
  if (line > 0) {
    EXPECT_NE(r.error().message.find(path + ":" + std::to_string(line) + ":"), std::string::npos)
        << r.error().message;
  }
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << "wanted '" << needle << "' in: " << r.error().message;
}

TEST_F(CandleFileTest, LoadsPlainFile) {
  const std::string path = WritePlain(
      "good.csv", std::string(kHeader) +
                      Row(kT0, "28923.63", "29031.34", "28690.17", "28995.13", "2311.811445") +
                      Row(kT0 + kHourMs, "28995.13", "29470", "28960.35", "29409.99", "0"));
  auto r = LoadCandleFile(path, "BTCUSDT", kHourMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->symbol, "BTCUSDT");
  EXPECT_EQ(r->interval_ms, kHourMs);
  ASSERT_EQ(r->candles.size(), 2U);
  EXPECT_TRUE(r->gaps.empty());
  const Candle& c = r->candles[0];
  EXPECT_EQ(c.open_time, kT0);
  EXPECT_EQ(c.open, Dec("28923.63"));
  EXPECT_EQ(c.high, Dec("29031.34"));
  EXPECT_EQ(c.low, Dec("28690.17"));
  EXPECT_EQ(c.close, Dec("28995.13"));
  EXPECT_EQ(c.volume, Dec("2311.811445"));
  EXPECT_EQ(r->candles[1].open_time, kT0 + kHourMs);
  EXPECT_EQ(r->candles[1].high, Dec("29470"));
  EXPECT_TRUE(r->candles[1].volume.IsZero());
}

TEST_F(CandleFileTest, GzipIsDetectedByMagicNotName) {
  std::string content = kHeader;
  for (int i = 0; i < 50; ++i) content += Row(kT0 + i * kHourMs, "1.5", "2", "1", "1.75", "3");
  const auto plain = LoadCandleFile(WritePlain("plain.csv.gz", content), "X", kHourMs);
  const auto gz = LoadCandleFile(WriteGzip("packed.csv", content), "X", kHourMs);
  ASSERT_TRUE(plain.has_value()) << plain.error().ToString();
  ASSERT_TRUE(gz.has_value()) << gz.error().ToString();
  ASSERT_EQ(gz->candles.size(), 50U);
  ASSERT_EQ(plain->candles.size(), 50U);
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(gz->candles[i].open_time, plain->candles[i].open_time);
    EXPECT_EQ(gz->candles[i].close, Dec("1.75"));
    EXPECT_EQ(plain->candles[i].close, Dec("1.75"));
  }
}

TEST_F(CandleFileTest, ConcatenatedGzipMembersFormOneFile) {
  const std::string a = WriteGzip("a.gz", std::string(kHeader) + Row(kT0));
  const std::string b = WriteGzip("b.gz", Row(kT0 + kHourMs) + Row(kT0 + 2 * kHourMs));
  const std::string both = WritePlain("both.csv.gz", ReadBytes(a) + ReadBytes(b));
  auto r = LoadCandleFile(both, "X", kHourMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->candles.size(), 3U);
}

TEST_F(CandleFileTest, ExactDecimalsRoundTrip) {
  const std::vector<std::string> values = {
      "0.00000184",
      "46216.93",
      "0.000000000001",
      "123456789012.123456789012",
      "1.0000000000000",  // 13 places, the extra one zero: exact, as Decimal::Parse accepts
      "9999999999999999999",
      "0.1234567890123",
      "+5",
      "5.",
      ".5",
      "00042.50"};
  // The last-but-one has 13 non-zero places and is rejected below; skip it here.
  std::string content = kHeader;
  std::vector<std::string> ok;
  for (const std::string& v : values) {
    if (v == "0.1234567890123") continue;
    ok.push_back(v);
  }
  for (std::size_t i = 0; i < ok.size(); ++i) {
    content += Row(kT0 + static_cast<TimeMs>(i) * kMinuteMs, ok[i], ok[i], ok[i], ok[i], ok[i]);
  }
  auto r = LoadCandleFile(WriteGzip("decimals.csv.gz", content), "X", kMinuteMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->candles.size(), ok.size());
  for (std::size_t i = 0; i < ok.size(); ++i) {
    const Decimal want = Dec(ok[i]);
    EXPECT_EQ(r->candles[i].open, want) << ok[i];
    EXPECT_EQ(r->candles[i].high, want) << ok[i];
    EXPECT_EQ(r->candles[i].low, want) << ok[i];
    EXPECT_EQ(r->candles[i].close, want) << ok[i];
    EXPECT_EQ(r->candles[i].volume, want) << ok[i];
  }
  EXPECT_EQ(r->candles[0].open.ToString(), "0.00000184");
  EXPECT_EQ(r->candles[1].open.ToString(), "46216.93");
}

// Every digit count 1..19 and every decimal count 0..12, at every alignment the 8-byte digit
// scanner can meet, must equal Decimal::Parse.
TEST_F(CandleFileTest, DigitScannerMatchesDecimalParse) {
  std::string content = kHeader;
  std::vector<std::string> texts;
  std::uint64_t seed = 88172645463325252ULL;
  const auto next = [&seed]() {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  for (int digits = 1; digits <= 19; ++digits) {
    for (int decimals = 0; decimals <= 12 && decimals <= digits; ++decimals) {
      std::string d;
      for (int k = 0; k < digits; ++k) d += static_cast<char>('0' + next() % 10);
      if (d.find_first_not_of('0') == std::string::npos) d.back() = '7';
      // Built with append(): GCC 12 reports false -Wrestrict warnings on operator+ and = here.
      const auto int_len = static_cast<std::size_t>(digits - decimals);
      std::string text;
      text.append(int_len == 0 ? std::string_view("0") : std::string_view(d).substr(0, int_len));
      if (decimals > 0) text.append(1, '.').append(std::string_view(d).substr(int_len));
      texts.push_back(text);
    }
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    content += Row(kT0 + static_cast<TimeMs>(i) * kMinuteMs, texts[i], texts[i], texts[i], texts[i],
                   texts[i]);
  }
  auto r = LoadCandleFile(WritePlain("scanner.csv", content), "X", kMinuteMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->candles.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(r->candles[i].close, Dec(texts[i])) << texts[i];
    EXPECT_EQ(r->candles[i].volume, Dec(texts[i])) << texts[i];
  }
}

TEST_F(CandleFileTest, AcceptsCrLfBomNoFinalNewlineAndTrailingBlankLines) {
  const std::string crlf =
      "\xEF\xBB\xBF"
      "open_time_ms,open,high,low,close,volume\r\n" +
      std::to_string(kT0) + ",1,2,0.5,1.5,10\r\n" + std::to_string(kT0 + kHourMs) +
      ",1,2,0.5,1.5,10\r\n\r\n";
  auto r = LoadCandleFile(WritePlain("crlf.csv", crlf), "X", kHourMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->candles.size(), 2U);
  EXPECT_EQ(r->candles[1].volume, Dec("10"));

  const std::string no_newline = std::string(kHeader) + std::to_string(kT0) + ",1,2,0.5,1.5,10,,";
  r = LoadCandleFile(WritePlain("no_nl.csv", no_newline), "X", kHourMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->candles.size(), 1U);
}

TEST_F(CandleFileTest, FileWithoutRowsIsRefused) {
  const std::string header_only = WritePlain("header_only.csv", kHeader);
  ExpectFailure(LoadCandleFile(header_only, "X", kHourMs), ErrorCode::kData, header_only, 0,
                "no candle rows");
  const std::string blank_after = WritePlain("blank_after.csv", std::string(kHeader) + "\n\n");
  ExpectFailure(LoadCandleFile(blank_after, "X", kHourMs), ErrorCode::kData, blank_after, 0,
                "no candle rows");
  const std::string empty = WritePlain("empty.csv", "");
  ExpectFailure(LoadCandleFile(empty, "X", kHourMs), ErrorCode::kParse, empty, 1, "header");
}

TEST_F(CandleFileTest, CarriageReturnOnlyLineEndingsAreRefused) {
  // Old Mac line endings: without the check the whole file is one header line and, with the
  // extra columns, every row vanishes into ignored columns.
  std::string rows = std::string(kHeader) + Row(kT0) + Row(kT0 + kHourMs);
  for (char& c : rows) {
    if (c == '\n') c = '\r';
  }
  const std::string path = WritePlain("cr_only.csv", rows);
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kParse, path, 1,
                "CR-only line endings");
}

TEST_F(CandleFileTest, MicrosecondTimestampsAreRefusedWithAHint) {
  // Binance's spot files from 2025 on count open times in microseconds; read as milliseconds
  // they land in the year 55970.
  const std::string path = WritePlain(
      "micros.csv", std::string(kHeader) + Row(kT0 * 1000) + Row((kT0 + kHourMs) * 1000));
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kData, path, 2,
                "looks like microseconds");
  auto r = LoadCandleFile(path, "X", kHourMs);
  EXPECT_NE(r.error().message.find("2021-01-01T00:00:00Z"), std::string::npos) << r.error().message;
}

TEST_F(CandleFileTest, OpenTimesOutsideTheMillisecondWindowAreRefused) {
  const std::string seconds = WritePlain("seconds.csv", std::string(kHeader) + Row(1'609'459'200));
  ExpectFailure(LoadCandleFile(seconds, "X", kMinuteMs), ErrorCode::kData, seconds, 2,
                "not a Unix time in milliseconds");
  // A jump far into the future after valid rows is caught too.
  const std::string jump =
      WritePlain("jump.csv", std::string(kHeader) + Row(kT0) + Row(kLatestCandleTimeMs + kHourMs));
  ExpectFailure(LoadCandleFile(jump, "X", kHourMs), ErrorCode::kData, jump, 3,
                "not a Unix time in milliseconds");
  // The last hour before the window's end is accepted.
  const std::string edge =
      WritePlain("edge.csv", std::string(kHeader) + Row(kLatestCandleTimeMs - kHourMs));
  EXPECT_TRUE(LoadCandleFile(edge, "X", kHourMs).has_value());
}

TEST_F(CandleFileTest, LinesLongerThanTheLimitAreRefused) {
  const std::string long_note(kMaxCandleLineBytes, 'x');
  const std::string row = std::to_string(kT0) + ",1,2,0.5,1.5,10," + long_note + ",\n";
  const std::string path = WritePlain("long_line.csv", std::string(kHeader) + row);
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kParse, path, 2,
                "line longer than 4096 bytes");
  const std::string header = WritePlain(
      "long_header.csv", "open_time_ms,open,high,low,close,volume," + long_note + "\n" + Row(kT0));
  ExpectFailure(LoadCandleFile(header, "X", kHourMs), ErrorCode::kParse, header, 1,
                "header line is longer");
}

TEST_F(CandleFileTest, GzipOutOfProportionIsRefusedBeforeItIsInflated) {
  // 64 MiB of one repeated character compress to about 64 KiB: far beyond the 64x ratio that
  // real kline files (3-4x) never approach. The inflater stops at the limit.
  std::string bomb = std::string(kHeader) + std::to_string(kT0) + ",1,2,0.5,1.5,10,";
  bomb += std::string(std::size_t{64} << 20, '7');
  const std::string path = WriteGzip("bomb.csv.gz", bomb);
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kData, path, 0, "out of proportion");
  // A small real-looking file inflating up to the 1 MiB floor is fine.
  std::string ok = kHeader;
  for (int i = 0; i < 10'000; ++i) ok += Row(kT0 + i * kHourMs);
  EXPECT_TRUE(LoadCandleFile(WriteGzip("ok.csv.gz", ok), "X", kHourMs).has_value());
}

TEST_F(CandleFileTest, OnlyRegularFilesAreReadAndNothingBlocks) {
  // A FIFO with no writer would block open() forever; it is refused at once.
  const std::string fifo = TempPath("fifo.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ExpectFailure(LoadCandleFile(fifo, "X", kHourMs), ErrorCode::kInvalidArgument, fifo, 0, "FIFO");
  auto dev = LoadCandleFile("/dev/zero", "X", kHourMs);
  ASSERT_FALSE(dev.has_value());
  EXPECT_EQ(dev.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(dev.error().message.find("character device"), std::string::npos);
  auto dir = LoadCandleFile(testing::TempDir(), "X", kHourMs);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(dir.error().message.find("directory"), std::string::npos);
}

TEST_F(CandleFileTest, AFileLargerThanTheLimitIsRefusedUnread) {
  // A sparse file: its size is past the limit, yet nothing is written to disk or read.
  const std::string path = TempPath("huge.csv");
  {
    std::ofstream out(path);
    out << kHeader;
  }
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(kMaxCandleFileBytes + 1)), 0);
  auto r = LoadCandleFile(path, "X", kHourMs);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kData);
  EXPECT_NE(r.error().message.find("more than the limit of 1073741824"), std::string::npos)
      << r.error().message;
}

TEST_F(CandleFileTest, BytesInMemoryParseLikeTheFile) {
  const std::string content = std::string(kHeader) + Row(kT0) + Row(kT0 + 3 * kHourMs);
  auto from_file = LoadCandleFile(WriteGzip("same.csv.gz", content), "X", kHourMs);
  auto from_bytes =
      ParseCandleBytes(ReadBytes(WriteGzip("same2.csv.gz", content)), "mem", "X", kHourMs);
  ASSERT_TRUE(from_file.has_value() && from_bytes.has_value());
  ASSERT_EQ(from_file->candles.size(), from_bytes->candles.size());
  EXPECT_EQ(from_file->candles[1].open_time, from_bytes->candles[1].open_time);
  EXPECT_EQ(from_file->gaps.size(), 1U);
  EXPECT_EQ(from_bytes->gaps.size(), 1U);
  auto bad = ParseCandleBytes(std::string(kHeader) + "x\n", "mem.csv", "X", kHourMs);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("mem.csv:2:"), std::string::npos) << bad.error().message;
}

TEST_F(CandleFileTest, FindsColumnsByName) {
  const std::string content =
      "trades,volume,close,low,high,open,open_time_ms,note\n5,12.5,3,1,4,2," + std::to_string(kT0) +
      ",hello world\n";
  auto r = LoadCandleFile(WritePlain("reordered.csv", content), "X", kHourMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->candles.size(), 1U);
  EXPECT_EQ(r->candles[0].open_time, kT0);
  EXPECT_EQ(r->candles[0].open, Dec("2"));
  EXPECT_EQ(r->candles[0].high, Dec("4"));
  EXPECT_EQ(r->candles[0].low, Dec("1"));
  EXPECT_EQ(r->candles[0].close, Dec("3"));
  EXPECT_EQ(r->candles[0].volume, Dec("12.5"));
}

struct BadRow {
  const char* name;
  std::string row;  // written as line 3, after one good row
  ErrorCode code;
  const char* needle;
};

class MalformedRowTest : public CandleFileTest, public testing::WithParamInterface<BadRow> {};

TEST_P(MalformedRowTest, FailsNamingFileAndLine) {
  const BadRow& bad = GetParam();
  const std::string content = std::string(kHeader) + Row(kT0) + bad.row + Row(kT0 + 5 * kHourMs);
  for (const bool gz : {false, true}) {
    const std::string path = gz ? WriteGzip(std::string(bad.name) + ".csv.gz", content)
                                : WritePlain(std::string(bad.name) + ".csv", content);
    ExpectFailure(LoadCandleFile(path, "X", kHourMs), bad.code, path, 3, bad.needle);
  }
}

const TimeMs kT1 = kT0 + kHourMs;
const std::string kT1s = std::to_string(kT1);

INSTANTIATE_TEST_SUITE_P(
    CandleFile, MalformedRowTest,
    testing::Values(
        BadRow{"exponent_price", Row(kT1, "1e5", "2e5", "1", "1.5e5"), ErrorCode::kParse,
               "exponent"},
        BadRow{"exponent_upper", Row(kT1, "100", "110", "90", "1.05E2"), ErrorCode::kParse,
               "exponent"},
        BadRow{"exponent_time", "1.6094628e12,100,110,90,105,7,,\n", ErrorCode::kParse,
               "open_time_ms"},
        BadRow{"empty_open", Row(kT1, ""), ErrorCode::kParse, "empty field"},
        BadRow{"empty_volume", Row(kT1, "100", "110", "90", "105", ""), ErrorCode::kParse,
               "'volume': empty field"},
        BadRow{"empty_time", ",100,110,90,105,7,,\n", ErrorCode::kParse, "empty field"},
        BadRow{"text_price", Row(kT1, "abc"), ErrorCode::kParse, "not a decimal number: 'abc'"},
        BadRow{"two_dots", Row(kT1, "100", "110.0.1"), ErrorCode::kParse, "'110.0.1'"},
        BadRow{"space", Row(kT1, " 100"), ErrorCode::kParse, "not a decimal"},
        BadRow{"nan", Row(kT1, "100", "110", "90", "105", "NaN"), ErrorCode::kParse, "'NaN'"},
        BadRow{"lone_sign", Row(kT1, "-"), ErrorCode::kParse, "not a decimal"},
        BadRow{"too_many_places", Row(kT1, "100", "110", "0.1234567890123"), ErrorCode::kParse,
               "more than 12 decimal places"},
        BadRow{"text_time", "yesterday,100,110,90,105,7,,\n", ErrorCode::kParse,
               "not a non-negative integer"},
        BadRow{"negative_time", "-3600000,100,110,90,105,7,,\n", ErrorCode::kParse, "open_time_ms"},
        BadRow{"negative_low", Row(kT1, "100", "110", "-90"), ErrorCode::kData,
               "price must be positive"},
        BadRow{"negative_open", Row(kT1, "-100"), ErrorCode::kData,
               "'open': price must be positive"},
        BadRow{"zero_close", Row(kT1, "100", "110", "90", "0"), ErrorCode::kData,
               "'close': price must be positive"},
        BadRow{"negative_volume", Row(kT1, "100", "110", "90", "105", "-1"), ErrorCode::kData,
               "negative volume"},
        BadRow{"low_above_open", Row(kT1, "100", "110", "101", "105"), ErrorCode::kData,
               "low 101 is above min(open 100, close 105)"},
        BadRow{"low_above_close", Row(kT1, "100", "110", "96", "95"), ErrorCode::kData,
               "low 96 is above"},
        BadRow{"high_below_close", Row(kT1, "100", "104", "90", "105"), ErrorCode::kData,
               "high 104 is below max(open 100, close 105)"},
        BadRow{"high_below_open", Row(kT1, "106", "105.5", "90", "105"), ErrorCode::kData,
               "high 105.5 is below"},
        BadRow{"off_grid", Row(kT1 + 1), ErrorCode::kData, "not on the bar grid"},
        BadRow{"off_grid_minute", Row(kT1 + kMinuteMs), ErrorCode::kData, "not on the bar grid"},
        BadRow{"too_few_fields", kT1s + ",100,110,90,105\n", ErrorCode::kParse,
               "5 fields, the header has 8"},
        BadRow{"too_many_fields", kT1s + ",100,110,90,105,7,,,extra\n", ErrorCode::kParse,
               "more fields"},
        BadRow{"blank_line", "\n", ErrorCode::kParse, "blank line"},
        BadRow{"stray_cr", kT1s + ",100,110,90,105,7,,\rX\n", ErrorCode::kParse,
               "carriage return"}),
    [](const testing::TestParamInfo<BadRow>& p) { return std::string(p.param.name); });

TEST_F(CandleFileTest, UnsortedRowIsAnError) {
  const std::string path =
      WritePlain("unsorted.csv",
                 std::string(kHeader) + Row(kT0) + Row(kT0 + 2 * kHourMs) + Row(kT0 + kHourMs));
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kData, path, 4, "line 3");
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kData, path, 4, "sorted ascending");
}

TEST_F(CandleFileTest, DuplicateRowNamesBothLines) {
  const std::string path = WriteGzip(
      "dup.csv.gz", std::string(kHeader) + Row(kT0) + Row(kT0 + kHourMs) +
                        Row(kT0 + kHourMs, "101", "111", "91", "106") + Row(kT0 + 2 * kHourMs));
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kData, path, 4,
                "duplicate open_time_ms");
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kData, path, 4, "same as line 3");
}

TEST_F(CandleFileTest, GapsAreReportedNotErrors) {
  const std::string path = WritePlain(
      "gaps.csv", std::string(kHeader) + Row(kT0) + Row(kT0 + kHourMs) + Row(kT0 + 4 * kHourMs) +
                      Row(kT0 + 5 * kHourMs) + Row(kT0 + 7 * kHourMs));
  auto r = LoadCandleFile(path, "X", kHourMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->candles.size(), 5U);
  ASSERT_EQ(r->gaps.size(), 2U);
  EXPECT_EQ(r->gaps[0].first_missing_open_time, kT0 + 2 * kHourMs);
  EXPECT_EQ(r->gaps[0].last_missing_open_time, kT0 + 3 * kHourMs);
  EXPECT_EQ(r->gaps[0].missing_bars, 2);
  EXPECT_EQ(r->gaps[1].first_missing_open_time, kT0 + 6 * kHourMs);
  EXPECT_EQ(r->gaps[1].last_missing_open_time, kT0 + 6 * kHourMs);
  EXPECT_EQ(r->gaps[1].missing_bars, 1);
}

TEST_F(CandleFileTest, MissingColumnNamesColumnAndFile) {
  const std::string path =
      WritePlain("no_volume.csv", "open_time_ms,open,high,low,close,quote_volume\n" +
                                      std::to_string(kT0) + ",1,2,0.5,1.5,10\n");
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kParse, path, 1,
                "header lacks column 'volume'");
  const std::string gz = WriteGzip("no_time.csv.gz", "time,open,high,low,close,volume\n");
  ExpectFailure(LoadCandleFile(gz, "X", kHourMs), ErrorCode::kParse, gz, 1, "'open_time_ms'");
  const std::string twice =
      WritePlain("twice.csv", "open_time_ms,open,high,low,close,volume,open\n");
  ExpectFailure(LoadCandleFile(twice, "X", kHourMs), ErrorCode::kParse, twice, 1, "twice");
  const std::string empty = WritePlain("empty.csv", "");
  ExpectFailure(LoadCandleFile(empty, "X", kHourMs), ErrorCode::kParse, empty, 1, "header");
}

TEST_F(CandleFileTest, MissingFileIsNotFound) {
  const std::string path = TempPath("does_not_exist.csv.gz");
  ExpectFailure(LoadCandleFile(path, "X", kHourMs), ErrorCode::kNotFound, path, 0, path);
  const std::string in_missing_dir = TempPath("no_such_dir") + "/BTCUSDT.csv.gz";
  ExpectFailure(LoadCandleFile(in_missing_dir, "X", kHourMs), ErrorCode::kNotFound, in_missing_dir,
                0, in_missing_dir);
}

TEST_F(CandleFileTest, CorruptOrTruncatedGzipIsAnError) {
  std::string content = kHeader;
  for (int i = 0; i < 2000; ++i) content += Row(kT0 + i * kHourMs, "1.5", "2", "1", "1.75", "3");
  const std::string good = ReadBytes(WriteGzip("whole.csv.gz", content));
  ASSERT_GT(good.size(), 100U);

  const std::string truncated = WritePlain("truncated.csv.gz", good.substr(0, good.size() / 2));
  ExpectFailure(LoadCandleFile(truncated, "X", kHourMs), ErrorCode::kData, truncated, 0,
                "truncated");

  std::string flipped = good;
  for (std::size_t i = 20; i < 60; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  const std::string corrupt = WritePlain("corrupt.csv.gz", flipped);
  ExpectFailure(LoadCandleFile(corrupt, "X", kHourMs), ErrorCode::kData, corrupt, 0,
                "corrupt gzip");

  const std::string garbage = WritePlain("garbage.csv.gz", "\x1f\x8bnot really gzip at all");
  ExpectFailure(LoadCandleFile(garbage, "X", kHourMs), ErrorCode::kData, garbage, 0, "gzip");

  const std::string trailing = WritePlain("trailing.csv.gz", good + "junk");
  ExpectFailure(LoadCandleFile(trailing, "X", kHourMs), ErrorCode::kData, trailing, 0,
                "trailing bytes");
}

TEST_F(CandleFileTest, RejectsNonPositiveInterval) {
  const std::string path = WritePlain("interval.csv", std::string(kHeader) + Row(kT0));
  EXPECT_EQ(LoadCandleFile(path, "X", 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(LoadCandleFile(path, "X", -kHourMs).error().code, ErrorCode::kInvalidArgument);
}

// The value of `column` in the row of data/manifest.csv (path,rows,first_key,last_key,bytes,
// sha256) whose path is `file`.
std::string ManifestField(const std::string& file, std::size_t column) {
  std::ifstream in(OSPREY_SOURCE_DIR "/data/manifest.csv");
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    if (fields.size() > column && fields[0] == file) return fields[column];
  }
  return "";
}

TEST_F(CandleFileTest, ShippedBtcHourlyDataLoadsWithManifestRowCountAndGaps) {
  const std::string rows = ManifestField("klines/1h/BTCUSDT.csv.gz", 1);
  ASSERT_FALSE(rows.empty()) << "no BTCUSDT 1h row in data/manifest.csv";
  auto r = LoadCandleFile(OSPREY_SOURCE_DIR "/data/klines/1h/BTCUSDT.csv.gz", "BTCUSDT", kHourMs);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->candles.size(), std::stoul(rows));
  EXPECT_EQ(FormatIsoUtc(r->candles.front().open_time).substr(0, 16),
            "2021-01-01T00:00");  // manifest first_key 2021-01-01 00:00
  const std::string last = ManifestField("klines/1h/BTCUSDT.csv.gz", 3);
  EXPECT_EQ(FormatIsoUtc(r->candles.back().open_time).substr(0, 16),
            last.substr(0, 10) + "T" + last.substr(11, 5));

  // Gaps equal the shipped gaps file's BTCUSDT rows.
  std::ifstream in(OSPREY_SOURCE_DIR "/data/klines/gaps_1h.csv");
  std::string line;
  std::vector<CandleGap> want;
  while (std::getline(in, line)) {
    if (line.rfind("BTCUSDT,", 0) != 0) continue;
    std::stringstream ss(line.substr(8));
    CandleGap g;
    char comma = 0;
    ss >> g.first_missing_open_time >> comma >> g.last_missing_open_time >> comma >> g.missing_bars;
    want.push_back(g);
  }
  ASSERT_EQ(r->gaps.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r->gaps[i].first_missing_open_time, want[i].first_missing_open_time);
    EXPECT_EQ(r->gaps[i].last_missing_open_time, want[i].last_missing_open_time);
    EXPECT_EQ(r->gaps[i].missing_bars, want[i].missing_bars);
  }
}

}  // namespace
}  // namespace osprey
