#include "engine/bias_check.hpp"

#include <fmt/format.h>

#include "trading/memory_trade_store.hpp"

namespace osprey {
namespace {

CandleSeries ClosedBy(const CandleSeries& s, TimeMs t) {
  CandleSeries out;
  out.symbol = s.symbol;
  out.interval_ms = s.interval_ms;
  for (const Candle& c : s.candles) {
    if (c.open_time + s.interval_ms > t) break;
    out.candles.push_back(c);
  }
  return out;
}

std::string Describe(const Decision& d) {
  return fmt::format("{} {} {} qty {} price {}", FormatIsoUtc(d.time), d.symbol, d.action,
                     d.quantity.ToString(), d.price.ToString());
}

}  // namespace

Result<BiasCheckResult> RunBiasCheck(const BacktestInput& input, const BacktestResult& full,
                                     int checkpoints) {
  BiasCheckResult out;
  std::vector<TimeMs> buys;
  for (const auto& d : full.decisions) {
    if (d.action == "BUY" && (buys.empty() || buys.back() != d.time)) buys.push_back(d.time);
  }
  if (buys.empty() || checkpoints <= 0) return out;
  std::vector<TimeMs> times;
  const auto n = static_cast<std::size_t>(checkpoints);
  for (std::size_t k = 0; k < n && k < buys.size(); ++k) {
    const std::size_t idx =
        buys.size() <= n ? k : (k * (buys.size() - 1)) / (n - 1 == 0 ? 1 : n - 1);
    if (times.empty() || times.back() != buys[idx]) times.push_back(buys[idx]);
  }
  for (TimeMs t : times) {
    BacktestInput cut = input;
    cut.hourly.clear();
    cut.minutes.clear();
    for (const auto& s : input.hourly) cut.hourly.push_back(ClosedBy(s, t));
    for (const auto& s : input.minutes) cut.minutes.push_back(ClosedBy(s, t));
    cut.to = t;
    MemoryTradeStore store;
    NullLogger logger;
    cut.store = &store;
    cut.logger = &logger;
    cut.progress = nullptr;
    cut.analyst_instances.clear();  // fresh analysts by name: stateful instances cannot rewind
    auto rerun = RunBacktest(cut);
    if (!rerun) return std::unexpected(rerun.error());
    ++out.reruns;
    std::vector<const Decision*> expected;
    for (const auto& d : full.decisions) {
      if (d.time <= t) expected.push_back(&d);
    }
    const std::size_t common = std::min(expected.size(), rerun->decisions.size());
    out.decisions_compared += static_cast<std::int64_t>(expected.size());
    for (std::size_t i = 0; i < common; ++i) {
      if (!(*expected[i] == rerun->decisions[i])) {
        ++out.changed;
        if (out.differences.size() < 5) {
          out.differences.push_back("full run: " + Describe(*expected[i]) +
                                    " / withheld run: " + Describe(rerun->decisions[i]));
        }
      }
    }
    if (expected.size() != rerun->decisions.size()) {
      const std::size_t extra = std::max(expected.size(), rerun->decisions.size()) - common;
      out.changed += static_cast<std::int64_t>(extra);
      if (out.differences.size() < 5) {
        out.differences.push_back(
            fmt::format("up to {}: {} decisions in the full run, {} with later data withheld",
                        FormatIsoUtc(t), expected.size(), rerun->decisions.size()));
      }
    }
  }
  return out;
}

}  // namespace osprey
