#include "monitor/html_report.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "monitor/html_escape.hpp"
#include "monitor/svg_chart.hpp"

namespace osprey {
namespace {

TradeRecord Trade(std::string id, std::string symbol, TimeMs entry, TimeMs exit,
                  std::string_view pnl) {
  TradeRecord t;
  t.id = std::move(id);
  t.symbol = std::move(symbol);
  t.entry_time = entry;
  t.exit_time = exit;
  t.entry_price = Dec("42000.5");
  t.quantity = Dec("0.01");
  t.exit_price = Dec("42100");
  t.exit_reason = ExitReason::kTakeProfit1;
  t.pnl = Dec(pnl);
  t.pnl_percent = 1.25;
  t.status = TradeStatus::kClosed;
  return t;
}

HtmlReportInput SampleInput() {
  const TimeMs start = ParseIsoUtc("2024-03-01").value();
  HtmlReportInput in;
  in.title = "Backtest <BTC> & \"friends\"";
  for (int h = 0; h < 24 * 60; ++h) {
    in.equity.push_back({start + h * kHourMs, 10000.0 + 50.0 * ((h * 7919) % 23) - 2.0 * h});
  }
  in.trades = {Trade("t1", "BTCUSDT", start + kHourMs, start + 5 * kHourMs, "12.5"),
               Trade("t2", "<script>alert('x')</script>", start + 10 * kHourMs,
                     start + 20 * kHourMs, "-7.25")};
  TradeRecord open = Trade("t3", "ETHUSDT", start + 30 * kHourMs, 0, "0");
  open.status = TradeStatus::kOpen;
  in.trades.push_back(open);
  const PerformanceMetrics m = ComputeMetrics(in.trades, in.equity, 10000);
  in.summary = SummaryRows(m);
  in.monthly = ComputePeriods(in.trades, in.equity, 10000, Period::kMonth);
  return in;
}

TEST(HtmlEscapeTest, EscapesAllFiveCharacters) {
  EXPECT_EQ(HtmlEscape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(HtmlEscape("plain"), "plain");
}

TEST(HtmlEscapeTest, FixedFormatting) {
  EXPECT_EQ(FormatFixed(1.005, 1), "1.0");
  EXPECT_EQ(FormatFixed(-0.0001, 2), "0.00");
  EXPECT_EQ(FormatFixed(-1.5, 2), "-1.50");
  EXPECT_EQ(FormatFixed(1.0 / 0.0, 2), "n/a");
}

TEST(SvgChartTest, NiceTicks) {
  const std::vector<double> ticks = NiceTicks(0.0, 100.0, 5);
  ASSERT_EQ(ticks.size(), 6u);
  EXPECT_DOUBLE_EQ(ticks[0], 0);
  EXPECT_DOUBLE_EQ(ticks[1], 20);
  EXPECT_DOUBLE_EQ(ticks[5], 100);
  EXPECT_TRUE(NiceTicks(1, 1, 5).empty());
}

TEST(SvgChartTest, DownsampleKeepsSpikesAndEnds) {
  std::vector<ChartPoint> pts;
  for (int i = 0; i < 100000; ++i) pts.push_back({static_cast<double>(i), 1.0});
  pts[31337].y = 500.0;
  pts[77777].y = -300.0;
  const std::vector<ChartPoint> out = DownsampleMinMax(pts, 2000);
  EXPECT_LE(out.size(), 2000u);
  EXPECT_EQ(out.front().x, 0);
  EXPECT_EQ(out.back().x, 99999);
  bool high = false;
  bool low = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    high = high || out[i].y == 500.0;
    low = low || out[i].y == -300.0;
    if (i > 0) {
      EXPECT_LT(out[i - 1].x, out[i].x);
    }
  }
  EXPECT_TRUE(high);
  EXPECT_TRUE(low);
  EXPECT_EQ(DownsampleMinMax(std::span(pts).first(10), 2000).size(), 10u);
}

TEST(HtmlReportTest, ContainsChartsAndTables) {
  const std::string html = RenderHtmlReport(SampleInput());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("class=\"line\""), std::string::npos);
  EXPECT_NE(html.find("class=\"area\""), std::string::npos);        // drawdown fill
  EXPECT_NE(html.find("fill=\"#2e7d32\""), std::string::npos);      // a winning bar
  EXPECT_NE(html.find("fill=\"#c62828\""), std::string::npos);      // a losing bar
  EXPECT_NE(html.find("2024-03-01T01:00:00Z"), std::string::npos);  // entry time, ISO
  EXPECT_NE(html.find("TAKE_PROFIT_1"), std::string::npos);
  EXPECT_NE(html.find("42000.5"), std::string::npos);
  EXPECT_NE(html.find(">12.5000<"), std::string::npos);
  EXPECT_NE(html.find(">2024-03<"), std::string::npos);     // monthly row
  EXPECT_NE(html.find(">2024-03-14<"), std::string::npos);  // a date tick on the x axis
  EXPECT_NE(html.find("Max drawdown %"), std::string::npos);
  EXPECT_NE(html.find(">open<"), std::string::npos);
}

TEST(HtmlReportTest, EscapesInsertedText) {
  const std::string html = RenderHtmlReport(SampleInput());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Backtest &lt;BTC&gt; &amp; &quot;friends&quot;"), std::string::npos);
}

TEST(HtmlReportTest, SelfContained) {
  const std::string html = RenderHtmlReport(SampleInput());
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
}

TEST(HtmlReportTest, Deterministic) {
  EXPECT_EQ(RenderHtmlReport(SampleInput()), RenderHtmlReport(SampleInput()));
}

TEST(HtmlReportTest, EquityChartIsDownsampled) {
  HtmlReportInput in;
  for (int h = 0; h < 50000; ++h) in.equity.push_back({h * kHourMs, 1000.0 + h % 97});
  const std::string html = RenderHtmlReport(in);
  const std::size_t begin = html.find("class=\"line\" d=\"");
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = html.find('"', begin + 16);
  std::size_t vertices = 0;
  for (std::size_t i = begin; i < end; ++i) vertices += html[i] == ',' ? 1u : 0u;
  EXPECT_LE(vertices, 2000u);
  EXPECT_GT(vertices, 1000u);
}

TEST(HtmlReportTest, EmptyInputRenders) {
  const std::string html = RenderHtmlReport({});
  EXPECT_NE(html.find("no data"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

}  // namespace
}  // namespace osprey
