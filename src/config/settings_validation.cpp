#include "config/settings_validation.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>
#include <type_traits>
#include <utility>

#include "config/secrets.hpp"
#include "config/toml_reader.hpp"
#include "core/time.hpp"

namespace osprey {
namespace {

using config_internal::ShowValue;

std::string Show(Decimal v) { return v.ToString(); }
std::string Show(double v) { return fmt::format("{}", v); }
std::string Show(int v) { return std::to_string(v); }

std::string ShowList(const std::vector<Decimal>& values) {
  std::vector<std::string> parts;
  parts.reserve(values.size());
  for (const Decimal& v : values) parts.push_back(v.ToString());
  return fmt::format("[{}]", fmt::join(parts, ", "));
}

// An interval with optional, open or closed ends.
template <class T>
struct Interval {
  std::optional<T> lo;
  bool lo_closed = false;
  std::optional<T> hi;
  bool hi_closed = false;

  bool Contains(T v) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(v)) return false;  // NaN compares false with everything
    }
    if (lo && (lo_closed ? v < *lo : v <= *lo)) return false;
    if (hi && (hi_closed ? v > *hi : v >= *hi)) return false;
    return true;
  }
  std::string Describe() const {
    if (lo && hi) {
      return fmt::format("in {}{}, {}{}", lo_closed ? '[' : '(', Show(*lo), Show(*hi),
                         hi_closed ? ']' : ')');
    }
    if (lo) return fmt::format("{} {}", lo_closed ? ">=" : ">", Show(*lo));
    return fmt::format("{} {}", hi_closed ? "<=" : "<", Show(hi.value()));
  }
};

// (lo, hi)
template <class T>
Interval<T> Open(T lo, T hi) {
  return {lo, false, hi, false};
}
// (lo, hi]
template <class T>
Interval<T> OpenClosed(T lo, T hi) {
  return {lo, false, hi, true};
}
// [lo, hi)
template <class T>
Interval<T> ClosedOpen(T lo, T hi) {
  return {lo, true, hi, false};
}
// [lo, hi]
template <class T>
Interval<T> Closed(T lo, T hi) {
  return {lo, true, hi, true};
}
// > lo
template <class T>
Interval<T> Above(T lo) {
  return {lo, false, std::nullopt, false};
}
// >= lo
template <class T>
Interval<T> AtLeast(T lo) {
  return {lo, true, std::nullopt, false};
}

const Decimal kZero = Decimal::Zero();
const Decimal kHundred = Decimal::FromInt(100);
const Decimal kOne = Decimal::FromInt(1);
// Money is bounded so that exact arithmetic on it (notional = price x quantity, fees, equity
// growing a thousandfold) stays far inside Decimal's range of about 1.7e26.
const Decimal kMaxMoney = Decimal::FromInt(kMaxMoneyUnits);

class Rules {
 public:
  template <class T>
  void Check(std::string key, T value, const Interval<T>& allowed, std::string_view note = {}) {
    if (allowed.Contains(value)) return;
    std::string reason = fmt::format("must be {}, got {}", allowed.Describe(), Show(value));
    if (!note.empty()) reason += fmt::format(" ({})", note);
    Add(std::move(key), std::move(reason));
  }
  void NotEmpty(std::string key, const std::string& value) {
    if (value.empty()) Add(std::move(key), "must not be empty");
  }
  void Add(std::string key, std::string reason, std::vector<std::string> related = {}) {
    issues_.push_back({std::move(key), std::move(reason), std::move(related)});
  }
  std::vector<SettingsIssue> Take() { return std::move(issues_); }

 private:
  std::vector<SettingsIssue> issues_;
};

void CheckRisk(const Settings& s, Rules& r) {
  const RiskSettings& k = s.risk;
  r.Check("risk.risk_per_trade_percent", k.risk_per_trade_percent, OpenClosed(kZero, kHundred));
  r.Check("risk.fixed_fraction_percent", k.fixed_fraction_percent, OpenClosed(kZero, kHundred));
  r.Check("risk.kelly_multiplier", k.kelly_multiplier, OpenClosed(0.0, 1.0),
          "a multiplier above 1 bets more than the full Kelly fraction");
  r.Check("risk.kelly_prior_win_rate", k.kelly_prior_win_rate, Open(0.0, 1.0),
          "a fraction: 0.5 means 50%");
  r.Check("risk.kelly_prior_payoff", k.kelly_prior_payoff, OpenClosed(0.0, 100.0));
  r.Check("risk.edge_window_trades", k.edge_window_trades, Closed(1, 10'000));
  r.Check("risk.edge_prior_trades", k.edge_prior_trades, Closed(1, 10'000));
  if (k.risk_per_trade_percent <= kHundred &&
      s.positions.max_position_exposure_percent < k.risk_per_trade_percent) {
    r.Add("positions.max_position_exposure_percent",
          fmt::format("{}% (the most all open positions may lose together) is below "
                      "risk.risk_per_trade_percent ({}%), so no trade could take its full risk; "
                      "raise the heat cap or lower the risk per trade",
                      Show(s.positions.max_position_exposure_percent),
                      Show(k.risk_per_trade_percent)),
          {"risk.risk_per_trade_percent"});
  }
}

void CheckPositions(const PositionSettings& p, Rules& r) {
  r.Check("positions.max_concurrent_positions", p.max_concurrent_positions, Closed(1, 100));
  r.Check("positions.max_position_exposure_percent", p.max_position_exposure_percent,
          OpenClosed(kZero, kHundred));
  r.Check("positions.min_market_cap_usd", p.min_market_cap_usd,
          Closed(kZero, Decimal::FromInt(1'000'000'000'000'000)));
}

void CheckExits(const ExitSettings& e, Rules& r) {
  r.Check("exits.stop_loss_percent", e.stop_loss_percent, Open(kZero, kHundred),
          "the stop must lie below the entry price and above zero");
  r.Check("exits.trailing_stop_percent", e.trailing_stop_percent, Open(kZero, kHundred),
          "the trailing stop must lie below the highest price and above zero");

  const auto& levels = e.take_profit_percents;
  const auto& fractions = e.take_profit_fractions;
  if (levels.empty()) {
    r.Add("exits.take_profit_percents", "must list at least one take-profit level");
  } else if (levels.size() > kMaxTakeProfitLevels) {
    r.Add("exits.take_profit_percents",
          fmt::format("lists {} levels, at most {}", levels.size(), kMaxTakeProfitLevels));
  } else {
    bool positive = true;
    bool ascending = true;
    for (std::size_t i = 0; i < levels.size(); ++i) {
      if (!levels[i].IsPositive() || levels[i] > Decimal::FromInt(1000)) positive = false;
      if (i > 0 && levels[i] <= levels[i - 1]) ascending = false;
    }
    if (!positive) {
      r.Add("exits.take_profit_percents",
            fmt::format("levels must be in (0, 1000] percent (above the entry price), got {}",
                        ShowList(levels)));
    }
    if (!ascending) {
      r.Add("exits.take_profit_percents",
            fmt::format("levels must be strictly ascending, got {}", ShowList(levels)));
    }
  }
  if (fractions.empty()) {
    r.Add("exits.take_profit_fractions", "must list the share of the position sold at each level");
    return;
  }
  Decimal sum;
  bool in_range = true;
  for (const Decimal& f : fractions) {
    sum += f;
    if (!f.IsPositive() || f > kHundred) in_range = false;
  }
  if (!in_range) {
    r.Add("exits.take_profit_fractions",
          fmt::format("each fraction must be in (0, 100] percent, got {}", ShowList(fractions)));
  }
  if (sum != kHundred) {
    r.Add("exits.take_profit_fractions",
          fmt::format("fractions must sum to exactly 100 (percent of the position), got {} = {}",
                      ShowList(fractions), Show(sum)));
  }
  if (!levels.empty() && fractions.size() != levels.size()) {
    r.Add("exits.take_profit_fractions",
          fmt::format("has {} entries but exits.take_profit_percents has {}; give one fraction "
                      "per level",
                      fractions.size(), levels.size()),
          {"exits.take_profit_percents"});
  }
}

void CheckBreakers(const CircuitBreakerSettings& b, Rules& r) {
  constexpr std::string_view kOff = "0 switches it off";
  r.Check("circuit_breakers.max_consecutive_losses", b.max_consecutive_losses, Closed(0, 1000),
          kOff);
  r.Check("circuit_breakers.consecutive_loss_pause_hours", b.consecutive_loss_pause_hours,
          Closed(0, 8760));
  r.Check("circuit_breakers.daily_max_loss", b.daily_max_loss, Closed(kZero, kMaxMoney), kOff);
  r.Check("circuit_breakers.daily_max_loss_percent", b.daily_max_loss_percent,
          ClosedOpen(kZero, kHundred), kOff);
  r.Check("circuit_breakers.max_drawdown_percent", b.max_drawdown_percent,
          ClosedOpen(kZero, kHundred), kOff);
  r.Check("circuit_breakers.reducing_drawdown_percent", b.reducing_drawdown_percent,
          ClosedOpen(kZero, kHundred), kOff);
  if (b.reducing_drawdown_percent.IsPositive() && b.max_drawdown_percent.IsPositive() &&
      b.reducing_drawdown_percent >= b.max_drawdown_percent) {
    r.Add("circuit_breakers.reducing_drawdown_percent",
          fmt::format("must be below circuit_breakers.max_drawdown_percent ({}) so that sizes "
                      "shrink before trading halts, got {}",
                      Show(b.max_drawdown_percent), Show(b.reducing_drawdown_percent)),
          {"circuit_breakers.max_drawdown_percent"});
  }
  r.Check("circuit_breakers.reducing_size_factor", b.reducing_size_factor, OpenClosed(kZero, kOne));
  r.Check("circuit_breakers.day_start_offset_minutes", b.day_start_offset_minutes,
          Open(-1440, 1440));
}

void CheckAi(const AiSettings& a, Rules& r) {
  // Shown as written in the file (percent); %g hides the /100 * 100 round trip.
  const std::string percent = fmt::format("{:.6g}", a.min_confidence_score * 100.0);
  if (!(a.min_confidence_score >= 0.0 && a.min_confidence_score <= 1.0)) {
    r.Add("ai.min_confidence_score", fmt::format("must be in [0, 100] percent, got {}", percent));
  } else if (a.min_confidence_score > 0.0 && a.min_confidence_score < 0.01) {
    // Nobody means "0.7% confident": a fraction was written where percent is expected.
    r.Add("ai.min_confidence_score",
          fmt::format("is written in percent (70 means 70%), got {}; did you mean {}?", percent,
                      fmt::format("{:.6g}", a.min_confidence_score * 10000.0)));
  }
  r.Check("ai.min_consensus_agreements", a.min_consensus_agreements, Closed(1, 100));
  r.Check("ai.max_candidates", a.max_candidates, Closed(1, 100));
  r.Check("ai.analyst_timeout_seconds", a.analyst_timeout_seconds, Closed(1, 600));
  r.NotEmpty("ai.claude_model", a.claude_model);
  if (a.claude_model.size() > 200) r.Add("ai.claude_model", "is longer than 200 characters");
  if (a.analysts.empty()) r.Add("ai.analysts", "must name at least one analyst");
  std::set<std::string> seen;
  for (const std::string& name : a.analysts) {
    if (name != "technical" && name != "reference") {
      r.Add("ai.analysts", fmt::format("unknown analyst {}; known: \"technical\", \"reference\"",
                                       ShowValue(name)));
    } else if (!seen.insert(name).second) {
      r.Add("ai.analysts", fmt::format("analyst \"{}\" is listed twice", name));
    }
  }
}

// Periods in candles and lookbacks in hours: bounded so that no indicator window or history
// buffer can grow without limit (a year of hours covers every sensible lookback).
const Interval<int> kPeriod = Closed(1, kMaxIndicatorPeriod);
const Interval<int> kLookbackHours = Closed(1, 8760);

void CheckTechnical(const TechnicalSettings& t, Rules& r) {
  r.Check("technical.momentum_lookback_hours", t.momentum_lookback_hours, kLookbackHours);
  r.Check("technical.min_momentum_percent", t.min_momentum_percent, Closed(0.0, 1000.0));
  r.Check("technical.volume_lookback_hours", t.volume_lookback_hours, kLookbackHours);
  r.Check("technical.volume_surge_ratio", t.volume_surge_ratio, OpenClosed(0.0, 1000.0));
  r.Check("technical.rsi_period", t.rsi_period, kPeriod);
  r.Check("technical.rsi_min", t.rsi_min, Closed(0.0, 100.0));
  r.Check("technical.rsi_max", t.rsi_max, Closed(0.0, 100.0));
  if (t.rsi_min >= t.rsi_max) {
    r.Add("technical.rsi_min",
          fmt::format("must be below technical.rsi_max ({}), got {}", Show(t.rsi_max),
                      Show(t.rsi_min)),
          {"technical.rsi_max"});
  }
  r.Check("technical.macd_fast", t.macd_fast, kPeriod);
  r.Check("technical.macd_slow", t.macd_slow, kPeriod);
  r.Check("technical.macd_signal", t.macd_signal, kPeriod);
  if (t.macd_fast >= t.macd_slow) {
    r.Add("technical.macd_fast",
          fmt::format("must be below technical.macd_slow ({}), got {}", t.macd_slow, t.macd_fast),
          {"technical.macd_slow"});
  }
  r.Check("technical.bb_period", t.bb_period, kPeriod);
  r.Check("technical.bb_stddev", t.bb_stddev, OpenClosed(0.0, 10.0));
  r.Check("technical.atr_period", t.atr_period, kPeriod);
  r.Check("technical.max_atr_percent", t.max_atr_percent, OpenClosed(0.0, 100.0));
  r.Check("technical.trend_sma_period", t.trend_sma_period, kPeriod);
}

void CheckReference(const ReferenceSettings& ref, Rules& r) {
  r.Check("reference.sma_period", ref.sma_period, kPeriod);
  r.Check("reference.rsi_period", ref.rsi_period, kPeriod);
  r.Check("reference.rsi_entry_below", ref.rsi_entry_below, Open(0.0, 100.0));
}

void CheckTiming(const TimingSettings& t, Rules& r) {
  r.Check("timing.analysis_interval_minutes", t.analysis_interval_minutes, Closed(60, 1440));
  if (t.analysis_interval_minutes >= 1 && t.analysis_interval_minutes % 60 != 0) {
    // The analysts read hourly candles: a cycle between two hourly closes would see nothing new.
    r.Add("timing.analysis_interval_minutes",
          fmt::format("must be a multiple of 60 (analysts read hourly candles), got {}",
                      t.analysis_interval_minutes));
  }
  r.Check("timing.position_check_seconds", t.position_check_seconds, Closed(1, 3600));
  r.Check("timing.heartbeat_interval_seconds", t.heartbeat_interval_seconds, Closed(1, 86'400));
}

void CheckSymbolInfo(const std::string& symbol, const SymbolInfo& info, Rules& r) {
  const std::string prefix = "exchange.symbols." + symbol;
  if (!IsSymbolName(symbol)) {
    r.Add(prefix, "symbol names must be upper-case letters and digits, e.g. BTCUSDT");
  }
  if (info.base_asset.empty()) r.Add(prefix + ".base_asset", "must be set, e.g. \"BTC\"");
  if (info.quote_asset.empty()) r.Add(prefix + ".quote_asset", "must be set, e.g. \"USDT\"");
  if (IsSymbolName(symbol) && !info.base_asset.empty() && !info.quote_asset.empty() &&
      info.base_asset + info.quote_asset != symbol) {
    r.Add(prefix,
          fmt::format("base_asset {} + quote_asset {} does not spell the symbol",
                      ShowValue(info.base_asset), ShowValue(info.quote_asset)),
          {prefix + ".base_asset", prefix + ".quote_asset"});
  }
  const Decimal kMaxQuantity = Decimal::FromInt(1'000'000'000'000'000);
  const std::tuple<std::string_view, Decimal, Decimal> filters[] = {
      {"tick_size", info.tick_size, Decimal::FromInt(1'000'000)},
      {"step_size", info.step_size, Decimal::FromInt(1'000'000'000)},
      {"min_qty", info.min_qty, kMaxQuantity},
      {"max_qty", info.max_qty, kMaxQuantity},
      {"min_notional", info.min_notional, kMaxMoney}};
  for (const auto& [name, value, most] : filters) {
    r.Check(fmt::format("{}.{}", prefix, name), value, Closed(kZero, most), "0 means no rule");
  }
  if (info.max_qty.IsPositive() && info.min_qty > info.max_qty) {
    r.Add(
        prefix + ".min_qty",
        fmt::format("must not exceed max_qty ({}), got {}", Show(info.max_qty), Show(info.min_qty)),
        {prefix + ".max_qty"});
  }
}

void CheckExchange(const ExchangeSettings& x, Rules& r) {
  r.Check("exchange.fee_percent", x.fee_percent, Closed(kZero, Decimal::FromInt(10)));
  r.Check("exchange.slippage_percent", x.slippage_percent, Closed(kZero, Decimal::FromInt(10)));
  r.Check("exchange.volume_participation_percent", x.volume_participation_percent,
          Closed(kZero, kHundred));
  r.Check("exchange.entry_latency_seconds", x.entry_latency_seconds, Closed(0, 3600));
  if (x.symbols.size() > kMaxSymbolTables) {
    r.Add("exchange.symbols",
          fmt::format("holds {} symbol tables, at most {}", x.symbols.size(), kMaxSymbolTables));
    return;
  }
  for (const auto& [symbol, info] : x.symbols) CheckSymbolInfo(symbol, info, r);
}

// The universe: every symbol named once, with the filters the simulated exchange enforces and
// quoted in the account currency (equity is counted in it).
void CheckData(const Settings& s, Rules& r) {
  const DataSettings& d = s.data;
  r.NotEmpty("data.dir", d.dir);
  if (d.symbols.empty()) r.Add("data.symbols", "must list at least one symbol, e.g. [\"BTCUSDT\"]");
  if (d.symbols.size() > kMaxSymbolTables) {
    r.Add("data.symbols",
          fmt::format("lists {} symbols, at most {}", d.symbols.size(), kMaxSymbolTables));
    return;
  }
  const std::string& quote = s.capital.account_currency;
  std::set<std::string> seen;
  for (const std::string& symbol : d.symbols) {
    if (!IsSymbolName(symbol)) {
      r.Add("data.symbols",
            fmt::format("{} is not a symbol name (upper-case letters and digits, e.g. BTCUSDT)",
                        ShowValue(symbol)));
      continue;
    }
    if (!seen.insert(symbol).second) {
      r.Add("data.symbols", fmt::format("\"{}\" is listed twice", symbol));
      continue;
    }
    const auto it = s.exchange.symbols.find(symbol);
    const bool quote_valid = IsSymbolName(quote);  // else reported on capital.account_currency
    if (it == s.exchange.symbols.end()) {
      if (s.exchange.apply_symbol_filters) {
        r.Add("data.symbols",
              fmt::format("\"{}\" has no [exchange.symbols.{}] table with its filters (needed "
                          "while exchange.apply_symbol_filters = true)",
                          symbol, symbol),
              {"exchange.symbols", "exchange.apply_symbol_filters"});
      } else if (quote_valid && (symbol.size() <= quote.size() || !symbol.ends_with(quote))) {
        r.Add("data.symbols",
              fmt::format("\"{}\" is not quoted in capital.account_currency \"{}\"", symbol, quote),
              {"capital.account_currency"});
      }
    } else if (quote_valid && !it->second.quote_asset.empty() && it->second.quote_asset != quote) {
      r.Add("data.symbols",
            fmt::format("\"{}\" is quoted in \"{}\" (exchange.symbols.{}.quote_asset), not in "
                        "capital.account_currency \"{}\"",
                        symbol, it->second.quote_asset, symbol, quote),
            {"exchange.symbols", "capital.account_currency"});
    }
  }
}

void CheckBacktest(const BacktestSettings& b, Rules& r) {
  const Result<TimeMs> from = ParseIsoUtc(b.from);
  const Result<TimeMs> to = ParseIsoUtc(b.to);
  if (!from) {
    r.Add("backtest.from", fmt::format("not a UTC date (YYYY-MM-DD): {}", from.error().message));
  }
  if (!to) r.Add("backtest.to", fmt::format("not a UTC date (YYYY-MM-DD): {}", to.error().message));
  if (from && to && *from >= *to) {
    r.Add("backtest.from",
          fmt::format("the period is empty: from {} is not before to {}", b.from, b.to),
          {"backtest.to"});
  }
  r.NotEmpty("backtest.out_dir", b.out_dir);
}

}  // namespace

bool IsSymbolName(std::string_view name) {
  if (name.empty() || name.size() > kMaxSymbolLength) return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::vector<SettingsIssue> ValidateSettings(const Settings& s) {
  Rules r;
  if (s.mode != Mode::kBacktest) {
    r.Add("mode", fmt::format("\"{}\" is not available in this build: only \"backtest\" is "
                              "implemented (paper, testnet and live need the exchange adapters)",
                              ModeName(s.mode)));
  }
  r.Check("capital.starting_capital", s.capital.starting_capital, OpenClosed(kZero, kMaxMoney));
  if (!IsSymbolName(s.capital.account_currency)) {
    r.Add("capital.account_currency",
          fmt::format("must be an asset code in upper-case letters and digits, e.g. \"USDT\", "
                      "got {}",
                      ShowValue(s.capital.account_currency)));
  }
  CheckRisk(s, r);
  CheckPositions(s.positions, r);
  CheckExits(s.exits, r);
  CheckBreakers(s.breakers, r);
  CheckAi(s.ai, r);
  CheckTechnical(s.technical, r);
  CheckReference(s.reference, r);
  CheckTiming(s.timing, r);
  CheckExchange(s.exchange, r);
  CheckData(s, r);
  CheckBacktest(s.backtest, r);
  return r.Take();
}

}  // namespace osprey
