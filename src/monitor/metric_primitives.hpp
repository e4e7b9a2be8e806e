#pragma once
// Building blocks of the performance metrics: pure functions on plain series of numbers.
// Conventions are those of docs/metrics.md. Thread-safe; no allocation beyond the results.

#include <optional>
#include <span>
#include <vector>

namespace osprey {

// Hourly returns are annualised with sqrt(kHoursPerYear) (crypto trades every hour of the year).
inline constexpr double kHoursPerYear = 24.0 * 365.0;

// r_i = e_i / e_{i-1} - 1 for each pair of consecutive values. A step that starts from a value
// <= 0 has no defined return and is skipped. Fewer than two values give no returns.
std::vector<double> SimpleReturns(std::span<const double> equity);

// Arithmetic mean; 0 for an empty series.
double Mean(std::span<const double> values);
// Sample standard deviation (divisor n - 1); nullopt for fewer than two values.
std::optional<double> SampleStdDev(std::span<const double> values);

// mean(r) / sample_std(r) * sqrt(kHoursPerYear), risk-free rate 0. nullopt for fewer than two
// returns or a zero deviation.
std::optional<double> AnnualizedSharpe(std::span<const double> hourly_returns);
// mean(r) / sqrt(mean(min(r, 0)^2)) * sqrt(kHoursPerYear), the downside deviation taken over all
// returns. nullopt for fewer than two returns or no negative return.
std::optional<double> AnnualizedSortino(std::span<const double> hourly_returns);
// sample_std(r) * sqrt(kHoursPerYear) * 100; 0 for fewer than two returns.
double AnnualizedVolatilityPct(std::span<const double> hourly_returns);

// Reference strategy R9: peak_t = max(initial_peak, e_0..e_t);
// pct = max_t 100 * (peak_t - e_t) / peak_t and abs = max_t (peak_t - e_t), each maximised on its
// own (they may come from different marks). Steps where peak_t <= 0 are skipped. Zero when empty.
struct Drawdown {
  double pct = 0;
  double abs = 0;
};
Drawdown MaxDrawdown(std::span<const double> equity, double initial_peak);

// Longest runs of wins (pnl > 0) and of losses (pnl <= 0) in the given order.
struct Streaks {
  int max_wins = 0;
  int max_losses = 0;
};
Streaks LongestStreaks(std::span<const double> pnls);

}  // namespace osprey
