#include "monitor/metric_primitives.hpp"

#include <algorithm>
#include <cmath>

namespace osprey {

std::vector<double> SimpleReturns(std::span<const double> equity) {
  std::vector<double> out;
  if (equity.size() < 2) return out;
  out.reserve(equity.size() - 1);
  for (std::size_t i = 1; i < equity.size(); ++i) {
    if (equity[i - 1] > 0) out.push_back(equity[i] / equity[i - 1] - 1.0);
  }
  return out;
}

double Mean(std::span<const double> values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

std::optional<double> SampleStdDev(std::span<const double> values) {
  if (values.size() < 2) return std::nullopt;
  const double mean = Mean(values);
  double sq = 0;
  for (double v : values) sq += (v - mean) * (v - mean);
  return std::sqrt(sq / static_cast<double>(values.size() - 1));
}

std::optional<double> AnnualizedSharpe(std::span<const double> hourly_returns) {
  const std::optional<double> sd = SampleStdDev(hourly_returns);
  if (!sd || *sd <= 0) return std::nullopt;
  return Mean(hourly_returns) / *sd * std::sqrt(kHoursPerYear);
}

std::optional<double> AnnualizedSortino(std::span<const double> hourly_returns) {
  if (hourly_returns.size() < 2) return std::nullopt;
  double sq = 0;
  for (double r : hourly_returns) {
    const double d = std::min(r, 0.0);
    sq += d * d;
  }
  const double downside = std::sqrt(sq / static_cast<double>(hourly_returns.size()));
  if (downside <= 0) return std::nullopt;
  return Mean(hourly_returns) / downside * std::sqrt(kHoursPerYear);
}

double AnnualizedVolatilityPct(std::span<const double> hourly_returns) {
  const std::optional<double> sd = SampleStdDev(hourly_returns);
  return sd ? *sd * std::sqrt(kHoursPerYear) * 100.0 : 0.0;
}

Drawdown MaxDrawdown(std::span<const double> equity, double initial_peak) {
  Drawdown dd;
  double peak = initial_peak;
  for (double e : equity) {
    peak = std::max(peak, e);
    if (peak <= 0) continue;
    dd.pct = std::max(dd.pct, 100.0 * (peak - e) / peak);
    dd.abs = std::max(dd.abs, peak - e);
  }
  return dd;
}

Streaks LongestStreaks(std::span<const double> pnls) {
  Streaks s;
  int wins = 0;
  int losses = 0;
  for (double p : pnls) {
    if (p > 0) {
      ++wins;
      losses = 0;
    } else {
      ++losses;
      wins = 0;
    }
    s.max_wins = std::max(s.max_wins, wins);
    s.max_losses = std::max(s.max_losses, losses);
  }
  return s;
}

}  // namespace osprey
