#include "engine/backtest_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <span>

namespace osprey {
namespace {

// The candles of `series` that open in [from, to).
std::span<const Candle> InPeriod(const CandleSeries& series, TimeMs from, TimeMs to) {
  const auto& c = series.candles;
  const auto by_time = [](const Candle& candle, TimeMs t) { return candle.open_time < t; };
  const auto first = std::lower_bound(c.begin(), c.end(), from, by_time);
  const auto last = std::lower_bound(first, c.end(), to, by_time);
  return {first, last};
}

// Percent `part` is of `whole`, for messages.
std::string PercentOf(Decimal part, Decimal whole) {
  return fmt::format("{:.2f}%", 100.0 * part.ToDouble() / whole.ToDouble());
}

void CheckFilters(const Settings& settings, const SymbolInfo& info, std::span<const Candle> candles,
                  std::string_view source, std::vector<std::string>& problems) {
  const Candle* lowest = &candles.front();
  for (const Candle& c : candles) {
    if (c.low < lowest->low) lowest = &c;
  }
  const std::string prefix = fmt::format("{}: exchange.symbols.{}", source, info.symbol);
  const Decimal low = lowest->low;
  if (Decimal::Mul(info.tick_size, Decimal::FromInt(100)) >
      Decimal::Mul(low, Decimal::FromInt(kMaxTickPercent))) {
    problems.push_back(fmt::format(
        "{}.tick_size: {} is {} of {}'s lowest price in the period ({} at {}); a tick above {}% "
        "of the price would round stops and fills by more than that",
        prefix, info.tick_size.ToString(), PercentOf(info.tick_size, low), info.symbol,
        low.ToString(), FormatIsoUtc(lowest->open_time), kMaxTickPercent));
  }
  const Decimal capital = settings.capital.starting_capital;
  const Decimal one_step = Decimal::Mul(info.step_size, low, Rounding::kUp);
  if (one_step > capital) {
    problems.push_back(fmt::format(
        "{}.step_size: one step of {} {} costs {} even at the period's lowest price {}, more "
        "than capital.starting_capital ({}); no order could be placed",
        prefix, info.step_size.ToString(), info.base_asset, one_step.ToString(), low.ToString(),
        capital.ToString()));
  }
  const Decimal min_qty_cost = Decimal::Mul(info.min_qty, low, Rounding::kUp);
  if (min_qty_cost > capital) {
    problems.push_back(
        fmt::format("{}.min_qty: {} {} costs {} even at the period's lowest price {}, more than "
                    "capital.starting_capital ({}); no order could be placed",
                    prefix, info.min_qty.ToString(), info.base_asset, min_qty_cost.ToString(),
                    low.ToString(), capital.ToString()));
  }
  if (info.min_notional > capital) {
    problems.push_back(fmt::format(
        "{}.min_notional: {} is more than capital.starting_capital ({}); no order could be "
        "placed",
        prefix, info.min_notional.ToString(), capital.ToString()));
  }
}

}  // namespace

Result<BacktestPlan> PlanBacktest(const Settings& settings, const std::vector<CandleSeries>& hourly,
                                  TimeMs from, TimeMs to, std::string_view source_name) {
  if (to <= from) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("the period {} .. {} is empty", FormatIsoUtc(from), FormatIsoUtc(to)));
  }
  TimeMs data_first = std::numeric_limits<TimeMs>::max();
  TimeMs data_end = std::numeric_limits<TimeMs>::min();
  std::vector<std::string> names;
  for (const CandleSeries& s : hourly) {
    names.push_back(s.symbol);
    if (s.candles.empty()) continue;
    data_first = std::min(data_first, s.candles.front().open_time);
    data_end = std::max(data_end, s.candles.back().open_time + s.interval_ms);
  }
  if (names.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no symbol to replay");
  }
  const std::string span = data_first < data_end ? fmt::format("{} .. {}", FormatIsoUtc(data_first),
                                                               FormatIsoUtc(data_end))
                                                 : std::string("nothing");
  BacktestPlan plan;
  plan.from = std::max(from, data_first);
  plan.to = std::min(to, data_end);
  if (plan.from >= plan.to) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("no candle to replay in {} .. {}: the data of {} covers {}",
                            FormatIsoUtc(from), FormatIsoUtc(to), fmt::join(names, " "), span));
  }
  if (plan.from != from) {
    plan.warnings.push_back(fmt::format(
        "the period starts at {}, before the data: the run starts at {}, the first candle",
        FormatIsoUtc(from), FormatIsoUtc(plan.from)));
  }
  if (plan.to != to) {
    plan.warnings.push_back(fmt::format(
        "the period ends at {}, after the data: the run stops at {}, when the last candle closes",
        FormatIsoUtc(to), FormatIsoUtc(plan.to)));
  }
  std::vector<std::string> problems;
  for (const CandleSeries& s : hourly) {
    const std::span<const Candle> candles = InPeriod(s, plan.from, plan.to);
    if (candles.empty()) {
      plan.warnings.push_back(fmt::format("{} has no candle in {} .. {}; it is not traded",
                                          s.symbol, FormatIsoUtc(plan.from),
                                          FormatIsoUtc(plan.to)));
      continue;
    }
    if (!settings.exchange.apply_symbol_filters) continue;
    const auto it = settings.exchange.symbols.find(s.symbol);
    if (it == settings.exchange.symbols.end()) continue;  // ValidateSettings reports it
    SymbolInfo info = it->second;
    info.symbol = s.symbol;
    CheckFilters(settings, info, candles, source_name, problems);
  }
  if (!problems.empty()) {
    return Fail(ErrorCode::kConfig, fmt::format("{}", fmt::join(problems, "\n")));
  }
  return plan;
}

}  // namespace osprey
