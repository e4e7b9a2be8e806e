#include "monitor/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "monitor/html_escape.hpp"
#include "monitor/svg_chart.hpp"

namespace osprey {
namespace {

constexpr std::size_t kMaxChartPoints = 2000;
constexpr const char* kWinColor = "#2e7d32";
constexpr const char* kLossColor = "#c62828";

constexpr const char* kStyle = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
margin:24px;color:#212121;background:#fafafa}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{border:1px solid #e0e0e0;padding:3px 8px;text-align:right;white-space:nowrap}
th{background:#f5f5f5}td.l,th.l{text-align:left}
.win{color:#2e7d32}.loss{color:#c62828}
svg.chart{display:block;margin:8px 0;font-size:11px;fill:#424242}
svg.chart .chart-title{font-size:13px;font-weight:600}
.scroll{max-height:600px;overflow:auto;display:inline-block}
</style>
)";

std::string Opt(const std::optional<double>& v, int decimals) {
  return v ? FormatFixed(*v, decimals) : "n/a";
}

std::string Cell(const std::string& text, const char* cls = nullptr) {
  return cls ? fmt::format("<td class=\"{}\">{}</td>", cls, HtmlEscape(text))
             : fmt::format("<td>{}</td>", HtmlEscape(text));
}

std::string HeaderRow(std::initializer_list<const char*> names) {
  std::string out = "<tr>";
  for (const char* n : names) out += fmt::format("<th>{}</th>", HtmlEscape(n));
  return out + "</tr>\n";
}

std::string SummaryTable(const HtmlReportInput& in) {
  std::string out = "<h2>Summary</h2>\n<table class=\"summary\">\n";
  for (const auto& [label, value] : in.summary) {
    out += "<tr>" + fmt::format("<th class=\"l\">{}</th>", HtmlEscape(label)) + Cell(value) +
           "</tr>\n";
  }
  return out + "</table>\n";
}

std::string EquityChart(const HtmlReportInput& in) {
  std::vector<ChartPoint> pts;
  pts.reserve(in.equity.size());
  for (const EquityPoint& p : in.equity) pts.push_back({static_cast<double>(p.time), p.equity});
  ChartStyle style;
  style.title = "Equity";
  return "<h2>Equity curve</h2>\n" + RenderLineChart(DownsampleMinMax(pts, kMaxChartPoints), style);
}

std::string DrawdownChart(const HtmlReportInput& in) {
  std::vector<ChartPoint> pts;
  pts.reserve(in.equity.size());
  double peak = 0;
  for (std::size_t i = 0; i < in.equity.size(); ++i) {
    const double e = in.equity[i].equity;
    peak = i == 0 ? e : std::max(peak, e);
    const double dd = peak > 0 ? -100.0 * (peak - e) / peak : 0.0;
    pts.push_back({static_cast<double>(in.equity[i].time), dd});
  }
  ChartStyle style;
  style.title = "Drawdown (% below peak)";
  style.stroke = kLossColor;
  style.fill = kLossColor;
  // Built, then moved: assigning a short literal trips GCC 12's false -Wrestrict (bug 105329).
  style.y_suffix = std::string("%");
  return "<h2>Drawdown</h2>\n" + RenderLineChart(DownsampleMinMax(pts, kMaxChartPoints), style);
}

std::string TradePnlChart(const HtmlReportInput& in) {
  std::vector<BarDatum> bars;
  for (const TradeRecord& t : in.trades) {
    if (t.status != TradeStatus::kClosed) continue;
    const bool win = t.pnl.IsPositive();
    bars.push_back({t.pnl.ToDouble(), win ? kWinColor : kLossColor,
                    fmt::format("{} {} {} pnl {} ({}%)", t.id, t.symbol, FormatIsoUtc(t.exit_time),
                                t.pnl.ToFixed(2), FormatFixed(t.pnl_percent, 2))});
  }
  ChartStyle style;
  style.title = "PnL per closed trade (quote asset)";
  style.x_axis = XAxis::kIndex;
  return "<h2>Trades</h2>\n" + RenderBarChart(bars, style);
}

std::string TradeTable(const HtmlReportInput& in) {
  std::string out = "<div class=\"scroll\"><table class=\"trades\">\n";
  out += HeaderRow({"#", "id", "symbol", "entry time", "entry price", "qty", "exit time",
                    "exit price", "exit reason", "pnl", "pnl %"});
  for (std::size_t i = 0; i < in.trades.size(); ++i) {
    const TradeRecord& t = in.trades[i];
    const bool closed = t.status == TradeStatus::kClosed;
    const char* cls = !closed ? nullptr : t.pnl.IsPositive() ? "win" : "loss";
    out += "<tr>" + Cell(fmt::format("{}", i + 1)) + Cell(t.id, "l") + Cell(t.symbol, "l") +
           Cell(FormatIsoUtc(t.entry_time)) + Cell(t.entry_price.ToString()) +
           Cell(t.quantity.ToString());
    if (closed) {
      out +=
          Cell(FormatIsoUtc(t.exit_time)) +
          Cell(
              t.exit_price.RoundToStep(Decimal::FromScaled(1, 8), Rounding::kHalfEven).ToString()) +
          Cell(std::string(ExitReasonName(t.exit_reason)), "l") + Cell(t.pnl.ToFixed(4), cls) +
          Cell(FormatFixed(t.pnl_percent, 2), cls);
    } else {
      out += Cell("open") + Cell("") + Cell("", "l") + Cell("") + Cell("");
    }
    out += "</tr>\n";
  }
  return out + "</table></div>\n";
}

std::string MonthlyTable(const HtmlReportInput& in) {
  std::string out = "<h2>Monthly</h2>\n<table class=\"monthly\">\n";
  out += HeaderRow({"month", "start equity", "end equity", "pnl", "pnl %", "trades", "wins",
                    "losses", "win rate %", "profit factor", "sharpe", "max DD %", "max cons. W",
                    "max cons. L", "largest win", "largest loss", "avg duration h"});
  for (const PeriodMetrics& m : in.monthly) {
    const char* cls = m.pnl > 0 ? "win" : m.pnl < 0 ? "loss" : nullptr;
    out += "<tr>" + Cell(m.period, "l") + Cell(FormatFixed(m.start_equity, 2)) +
           Cell(FormatFixed(m.end_equity, 2)) + Cell(FormatFixed(m.pnl, 2), cls) +
           Cell(FormatFixed(m.pnl_pct, 2), cls) + Cell(fmt::format("{}", m.n_trades)) +
           Cell(fmt::format("{}", m.wins)) + Cell(fmt::format("{}", m.losses)) +
           Cell(FormatFixed(m.win_rate, 1)) + Cell(Opt(m.profit_factor, 2)) +
           Cell(Opt(m.sharpe, 2)) + Cell(FormatFixed(m.max_drawdown_pct, 2)) +
           Cell(fmt::format("{}", m.max_consecutive_wins)) +
           Cell(fmt::format("{}", m.max_consecutive_losses)) + Cell(FormatFixed(m.largest_win, 2)) +
           Cell(FormatFixed(m.largest_loss, 2)) +
           Cell(FormatFixed(m.average_trade_duration_hours, 1)) + "</tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace

std::string RenderHtmlReport(const HtmlReportInput& in) {
  const std::string title = HtmlEscape(in.title);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n", title);
  out += kStyle;
  out += "</head>\n<body>\n";
  out += fmt::format("<h1>{}</h1>\n", title);
  out += SummaryTable(in);
  out += EquityChart(in);
  out += DrawdownChart(in);
  out += TradePnlChart(in);
  out += TradeTable(in);
  out += MonthlyTable(in);
  out += "</body>\n</html>\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> SummaryRows(const PerformanceMetrics& m) {
  const auto i = [](int v) { return fmt::format("{}", v); };
  return {
      {"Closed trades", i(m.n_trades)},
      {"Wins / losses", fmt::format("{} / {}", m.wins, m.losses)},
      {"Win rate %", FormatFixed(m.win_rate, 2)},
      {"Total pnl", FormatFixed(m.total_pnl, 2)},
      {"Return %", FormatFixed(m.return_pct, 2)},
      {"Final equity", FormatFixed(m.final_equity, 2)},
      {"Gross profit", FormatFixed(m.gross_profit, 2)},
      {"Gross loss", FormatFixed(m.gross_loss, 2)},
      {"Profit factor", Opt(m.profit_factor, 3)},
      {"Max drawdown %", FormatFixed(m.max_drawdown_pct, 2)},
      {"Max drawdown", FormatFixed(m.max_drawdown_abs, 2)},
      {"Max consecutive wins", i(m.max_consecutive_wins)},
      {"Max consecutive losses", i(m.max_consecutive_losses)},
      {"Largest win", FormatFixed(m.largest_win, 2)},
      {"Largest loss", FormatFixed(m.largest_loss, 2)},
      {"Average win", FormatFixed(m.average_win, 2)},
      {"Average loss", FormatFixed(m.average_loss, 2)},
      {"Expectancy per trade", FormatFixed(m.expectancy, 2)},
      {"Average trade duration h", FormatFixed(m.average_trade_duration_hours, 1)},
      {"Sharpe (annualised)", Opt(m.sharpe, 3)},
      {"Sortino (annualised)", Opt(m.sortino, 3)},
      {"Volatility (annual) %", FormatFixed(m.volatility_annual_pct, 2)},
      {"Annualised return %", Opt(m.annualized_return_pct, 2)},
      {"Calmar", Opt(m.calmar, 3)},
      {"Capital efficiency %", FormatFixed(m.capital_efficiency, 2)},
      {"Exposure %", FormatFixed(m.exposure_pct, 2)},
      {"Fees paid", FormatFixed(m.fees_paid, 2)},
  };
}

}  // namespace osprey
