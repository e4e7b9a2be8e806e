#pragma once
// Small inline-SVG charts for the HTML report: a line (optionally filled) chart and a bar chart,
// with labelled axis ticks. The output is a self-contained <svg> element (no xmlns, no external
// reference: it is meant to be inlined in an HTML5 page), every text escaped, every number printed
// with a fixed precision, so the same input always gives the same bytes. Pure; thread-safe.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace osprey {

struct ChartPoint {
  double x = 0;
  double y = 0;
};

// At most `max_points` (>= 4) points of `points` (ascending x): the first and last points, and in
// between, per bucket of consecutive points, the lowest and the highest (in their original order)
// so spikes stay visible. Returns the input unchanged when it is already small enough.
std::vector<ChartPoint> DownsampleMinMax(std::span<const ChartPoint> points,
                                         std::size_t max_points);

// "Nice" tick values (1, 2 or 5 times a power of ten apart) inside [lo, hi], about `target` of
// them. Empty when the range is empty or not finite.
std::vector<double> NiceTicks(double lo, double hi, int target);

enum class XAxis {
  kTimeUtc,  // x is milliseconds since the epoch; ticks are labelled with UTC dates
  kIndex,    // x is a 1-based position (trade number)
};

struct ChartStyle {
  std::string title;
  int width = 960;
  int height = 260;
  std::string stroke = "#1565c0";  // line colour
  std::string fill;                // when set, the area between the line and y = 0 is filled
  std::string y_suffix;            // appended to y tick labels, e.g. "%"
  int y_decimals = -1;             // decimals of y tick labels; -1 derives them from the step
  XAxis x_axis = XAxis::kTimeUtc;
};

// A line through `points` (ascending x; non-finite points are skipped). Draw at most a few
// thousand points (see DownsampleMinMax). An empty series gives a frame saying "no data".
std::string RenderLineChart(std::span<const ChartPoint> points, const ChartStyle& style);

struct BarDatum {
  double value = 0;
  std::string color;    // CSS colour of the bar
  std::string tooltip;  // shown on hover (<title>)
};

// One bar per datum, from 0 to its value, numbered 1..n along x (style.x_axis is ignored).
std::string RenderBarChart(std::span<const BarDatum> bars, const ChartStyle& style);

}  // namespace osprey
