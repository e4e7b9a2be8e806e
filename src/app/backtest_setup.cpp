#include "app/backtest_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "config/settings_loader.hpp"
#include "config/settings_validation.hpp"
#include "core/one_line.hpp"
#include "core/time.hpp"
#include "market/history_market_data.hpp"

namespace osprey {
namespace {

// The flag that sets each settings key, for the flags given on this command line.
std::map<std::string, std::string> OverriddenKeys(const BacktestArgs& args) {
  std::map<std::string, std::string> flags;
  if (args.symbols) flags["data.symbols"] = "--symbols";
  if (args.analyst) flags["ai.analysts"] = "--analyst";
  if (args.data) flags["data.dir"] = "--data";
  if (args.from) flags["backtest.from"] = "--from";
  if (args.to) flags["backtest.to"] = "--to";
  if (args.out) flags["backtest.out_dir"] = "--out";
  return flags;
}

}  // namespace

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

Result<Settings> ResolveBacktestSettings(const BacktestArgs& args) {
  if (args.bias_check < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("--bias-check must be >= 0, got {}", args.bias_check));
  }
  auto loaded = LoadSettingsFile(args.config);
  if (!loaded) return std::unexpected(loaded.error());
  Settings settings = *std::move(loaded);
  if (args.symbols) settings.data.symbols = SplitList(*args.symbols);
  if (args.analyst) settings.ai.analysts = SplitList(*args.analyst);
  if (args.data) settings.data.dir = *args.data;
  if (args.from) settings.backtest.from = *args.from;
  if (args.to) settings.backtest.to = *args.to;
  if (args.out) settings.backtest.out_dir = *args.out;
  const std::map<std::string, std::string> flags = OverriddenKeys(args);
  if (flags.empty()) return settings;  // the loader validated exactly these settings

  std::vector<std::string> lines;
  for (const SettingsIssue& issue : ValidateSettings(settings)) {
    // A rule about a flag's key, or a cross-field rule reading one, is the flag's problem.
    std::string flag;
    if (auto it = flags.find(issue.key); it != flags.end()) flag = it->second;
    for (const std::string& related : issue.related_keys) {
      if (auto it = flags.find(related); flag.empty() && it != flags.end()) flag = it->second;
    }
    lines.push_back(OneLine(flag.empty()
                                ? fmt::format("{}: {}: {}", args.config, issue.key, issue.reason)
                                : fmt::format("{}: {}", flag, issue.reason)));
  }
  if (!lines.empty()) return Fail(ErrorCode::kConfig, fmt::format("{}", fmt::join(lines, "\n")));
  return settings;
}

Result<PreparedBacktest> PrepareBacktest(const Settings& settings, std::string_view source_name) {
  // ValidateSettings has checked both dates.
  const Result<TimeMs> from = ParseIsoUtc(settings.backtest.from);
  const Result<TimeMs> to = ParseIsoUtc(settings.backtest.to);
  if (!from || !to) return Fail(ErrorCode::kInternal, "backtest dates were not validated");
  auto series = LoadHistoryDir(settings.data.dir, settings.data.symbols,
                               settings.exchange.use_minute_candles);
  if (!series) return std::unexpected(series.error());
  PreparedBacktest out;
  for (CandleSeries& s : *series) {
    if (s.interval_ms == kHourMs) {
      out.n_gaps += static_cast<std::int64_t>(s.gaps.size());
      for (const CandleGap& g : s.gaps) out.n_missing_bars += g.missing_bars;
      out.hourly.push_back(std::move(s));
    } else {
      out.minutes.push_back(std::move(s));
    }
  }
  auto plan = PlanBacktest(settings, out.hourly, *from, *to, source_name);
  if (!plan) return std::unexpected(plan.error());
  out.plan = *std::move(plan);
  return out;
}

}  // namespace osprey
