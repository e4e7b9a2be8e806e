#include "monitor/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/time.hpp"
#include "monitor/html_escape.hpp"

namespace osprey {
namespace {

constexpr double kLeft = 84;
constexpr double kRight = 24;
constexpr double kTop = 30;
constexpr double kBottom = 36;

std::string Num(double v) { return FormatFixed(v, 1); }

struct Range {
  double lo = 0;
  double hi = 0;
};

// Maps data coordinates to the plot area of a chart.
class Frame {
 public:
  Frame(const ChartStyle& style, Range x, Range y)
      : x0_(kLeft),
        x1_(std::max(kLeft + 1, style.width - kRight)),
        y0_(kTop),
        y1_(std::max(kTop + 1, style.height - kBottom)),
        x_(x),
        y_(y) {}

  double X(double x) const {
    if (x_.hi <= x_.lo) return (x0_ + x1_) / 2;
    return x0_ + (x - x_.lo) / (x_.hi - x_.lo) * (x1_ - x0_);
  }
  double Y(double y) const {
    if (y_.hi <= y_.lo) return (y0_ + y1_) / 2;
    return y1_ - (y - y_.lo) / (y_.hi - y_.lo) * (y1_ - y0_);
  }
  double left() const { return x0_; }
  double right() const { return x1_; }
  double top() const { return y0_; }
  double bottom() const { return y1_; }
  Range x() const { return x_; }
  Range y() const { return y_; }

 private:
  double x0_, x1_, y0_, y1_;
  Range x_, y_;
};

int DecimalsForStep(double step) {
  if (!(step > 0)) return 0;
  return std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 8);
}

// Data range widened by 5% (and to a non-empty interval) so lines do not touch the frame.
Range PaddedRange(double lo, double hi) {
  if (hi < lo) return {0, 1};
  if (hi == lo) {
    const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.01;
    return {lo - pad, hi + pad};
  }
  const double pad = (hi - lo) * 0.05;
  return {lo - pad, hi + pad};
}

std::string OpenSvg(const ChartStyle& style) {
  const std::string title = HtmlEscape(style.title);
  return fmt::format(
      "<svg class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"{2}\">\n<title>{2}</title>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"18\" class=\"chart-title\">{2}</text>\n",
      style.width, style.height, title, Num(kLeft));
}

std::string NoData(const ChartStyle& style) {
  return OpenSvg(style) +
         fmt::format(
             "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#888888\">no data"
             "</text>\n</svg>\n",
             Num(style.width / 2.0), Num(style.height / 2.0));
}

std::string YAxis(const Frame& f, const ChartStyle& style) {
  const std::vector<double> ticks = NiceTicks(f.y().lo, f.y().hi, 5);
  const int decimals = style.y_decimals >= 0
                           ? style.y_decimals
                           : (ticks.size() >= 2 ? DecimalsForStep(ticks[1] - ticks[0]) : 2);
  std::string out = "<g class=\"y-axis\">\n";
  for (double v : ticks) {
    const std::string y = Num(f.Y(v));
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e0e0e0\"/>"
        "<text x=\"{3}\" y=\"{1}\" text-anchor=\"end\" "
        "dominant-baseline=\"middle\">{4}{5}</text>\n",
        Num(f.left()), y, Num(f.right()), Num(f.left() - 6), FormatFixed(v, decimals),
        HtmlEscape(style.y_suffix));
  }
  return out + "</g>\n";
}

std::string XTick(const Frame& f, double x, const std::string& label) {
  const std::string sx = Num(f.X(x));
  return fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e0e0e0\"/>"
      "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
      sx, Num(f.top()), Num(f.bottom()), Num(f.bottom() + 16), HtmlEscape(label));
}

std::string TimeAxis(const Frame& f) {
  static constexpr std::array<TimeMs, 16> kSteps = {
      kHourMs,      2 * kHourMs,  3 * kHourMs,  6 * kHourMs,  12 * kHourMs, kDayMs,
      2 * kDayMs,   7 * kDayMs,   14 * kDayMs,  30 * kDayMs,  61 * kDayMs,  91 * kDayMs,
      182 * kDayMs, 365 * kDayMs, 730 * kDayMs, 1826 * kDayMs};
  const double lo = f.x().lo;
  const double hi = f.x().hi;
  std::string out = "<g class=\"x-axis\">\n";
  if (!(hi > lo)) {
    out += XTick(f, lo, FormatDateUtc(static_cast<TimeMs>(lo)));
    return out + "</g>\n";
  }
  TimeMs step = kSteps.back();
  for (TimeMs s : kSteps) {
    if ((hi - lo) / static_cast<double>(s) <= 7) {
      step = s;
      break;
    }
  }
  const auto first = static_cast<TimeMs>(std::ceil(lo / static_cast<double>(step)));
  for (TimeMs k = first; static_cast<double>(k * step) <= hi; ++k) {
    const TimeMs t = k * step;
    std::string label = FormatIsoUtc(t).substr(0, step < kDayMs ? 16 : 10);
    if (label.size() > 10) label[10] = ' ';
    out += XTick(f, static_cast<double>(t), label);
  }
  return out + "</g>\n";
}

std::string IndexAxis(const Frame& f, double n) {
  std::string out = "<g class=\"x-axis\">\n";
  std::vector<double> ticks = NiceTicks(1, std::max(1.0, n), 8);
  if (ticks.empty()) ticks.push_back(1);
  for (double v : ticks) {
    if (v < 1 || std::floor(v) != v) continue;
    out += XTick(f, v, FormatFixed(v, 0));
  }
  return out + "</g>\n";
}

}  // namespace

std::vector<ChartPoint> DownsampleMinMax(std::span<const ChartPoint> points,
                                         std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 4);
  if (points.size() <= max_points) return {points.begin(), points.end()};
  std::vector<ChartPoint> out;
  out.reserve(max_points);
  out.push_back(points.front());
  const std::size_t inner = points.size() - 2;  // points between the first and the last
  const std::size_t buckets = (max_points - 2) / 2;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t begin = 1 + b * inner / buckets;
    const std::size_t end = 1 + (b + 1) * inner / buckets;
    if (begin >= end) continue;
    std::size_t lo = begin;
    std::size_t hi = begin;
    for (std::size_t i = begin; i < end; ++i) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    out.push_back(points[std::min(lo, hi)]);
    if (lo != hi) out.push_back(points[std::max(lo, hi)]);
  }
  out.push_back(points.back());
  return out;
}

std::vector<double> NiceTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo) || target < 1) return ticks;
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
  const double first = std::ceil(lo / step - 1e-9);
  for (int i = 0; i <= 4 * target + 2; ++i) {
    const double v = (first + i) * step;
    if (v > hi + step * 1e-9) break;
    ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  }
  return ticks;
}

std::string RenderLineChart(std::span<const ChartPoint> points, const ChartStyle& style) {
  std::vector<ChartPoint> pts;
  for (const ChartPoint& p : points) {
    if (std::isfinite(p.x) && std::isfinite(p.y)) pts.push_back(p);
  }
  if (pts.empty()) return NoData(style);

  double ylo = pts.front().y;
  double yhi = ylo;
  for (const ChartPoint& p : pts) {
    ylo = std::min(ylo, p.y);
    yhi = std::max(yhi, p.y);
  }
  if (!style.fill.empty()) {
    ylo = std::min(ylo, 0.0);
    yhi = std::max(yhi, 0.0);
  }
  const Frame f(style, {pts.front().x, pts.back().x}, PaddedRange(ylo, yhi));

  std::string out = OpenSvg(style) + YAxis(f, style);
  out += style.x_axis == XAxis::kTimeUtc ? TimeAxis(f) : IndexAxis(f, pts.back().x);

  std::string line;
  line.reserve(pts.size() * 16);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    line += fmt::format("{}{},{}", i == 0 ? "M" : " L", Num(f.X(pts[i].x)), Num(f.Y(pts[i].y)));
  }
  if (!style.fill.empty()) {
    const std::string base = Num(f.Y(0));
    out += fmt::format(
        "<path class=\"area\" d=\"M{},{}{} L{},{} Z\" fill=\"{}\" fill-opacity=\"0.35\" "
        "stroke=\"none\"/>\n",
        Num(f.X(pts.front().x)), base, " L" + line.substr(1), Num(f.X(pts.back().x)), base,
        HtmlEscape(style.fill));
  }
  out += fmt::format(
      "<path class=\"line\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.2\"/>\n", line,
      HtmlEscape(style.stroke));
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#9e9e9e\"/>\n",
      Num(f.left()), Num(f.top()), Num(f.right() - f.left()), Num(f.bottom() - f.top()));
  return out + "</svg>\n";
}

std::string RenderBarChart(std::span<const BarDatum> bars, const ChartStyle& style) {
  if (bars.empty()) return NoData(style);
  double ylo = 0;
  double yhi = 0;
  for (const BarDatum& b : bars) {
    if (!std::isfinite(b.value)) continue;
    ylo = std::min(ylo, b.value);
    yhi = std::max(yhi, b.value);
  }
  const double n = static_cast<double>(bars.size());
  const Frame f(style, {0.5, n + 0.5}, PaddedRange(ylo, yhi));

  std::string out = OpenSvg(style) + YAxis(f, style) + IndexAxis(f, n);
  const double band = (f.right() - f.left()) / n;
  const double width = std::max(band * 0.8, 0.5);
  const double base = f.Y(0);
  out += "<g class=\"bars\">\n";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double v = std::isfinite(bars[i].value) ? bars[i].value : 0.0;
    const double top = std::min(f.Y(v), base);
    const double height = std::abs(f.Y(v) - base);
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
        Num(f.X(static_cast<double>(i + 1)) - width / 2), Num(top), FormatFixed(width, 2),
        Num(height), HtmlEscape(bars[i].color), HtmlEscape(bars[i].tooltip));
  }
  out += "</g>\n";
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#616161\"/>\n"
      "<rect x=\"{0}\" y=\"{3}\" width=\"{4}\" height=\"{5}\" fill=\"none\" stroke=\"#9e9e9e\"/>\n",
      Num(f.left()), Num(base), Num(f.right()), Num(f.top()), Num(f.right() - f.left()),
      Num(f.bottom() - f.top()));
  return out + "</svg>\n";
}

}  // namespace osprey
