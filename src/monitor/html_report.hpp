#pragma once
// The run report as one self-contained HTML page: summary table, equity curve, drawdown, per-trade
// pnl chart and table, monthly table. No network reference of any kind (no CDN, fonts or
// scripts): CSS is inline and charts are inline SVG drawn here. Every inserted string is escaped.
// Deterministic: the same input gives byte-identical output (fixed number formats, no generation
// timestamp). Pure; thread-safe.

#include <string>
#include <utility>
#include <vector>

#include "core/trade_record.hpp"
#include "monitor/metrics.hpp"

namespace osprey {

struct HtmlReportInput {
  std::string title;
  std::vector<std::pair<std::string, std::string>> summary;  // label, value rows
  std::vector<EquityPoint> equity;                           // ascending time
  std::vector<TradeRecord> trades;                           // table in this order
  std::vector<PeriodMetrics> monthly;
};

// The drawdown chart measures each mark against the running peak of `equity`, starting at its
// first mark (the summary's max drawdown, per R9, also counts the starting capital).
std::string RenderHtmlReport(const HtmlReportInput& in);

// Label/value rows for HtmlReportInput::summary from whole-run metrics, formatted with fixed
// precision ("n/a" for an absent ratio).
std::vector<std::pair<std::string, std::string>> SummaryRows(const PerformanceMetrics& m);

}  // namespace osprey
