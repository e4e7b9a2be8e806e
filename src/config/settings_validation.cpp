#include "config/settings_validation.hpp"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <set>
#include <utility>

#include "core/time.hpp"

namespace osprey {
namespace {

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
  r.Check("risk.kelly_min_trades", k.kelly_min_trades, AtLeast(0));
  r.Check("risk.kelly_prior_win_rate", k.kelly_prior_win_rate, Open(0.0, 1.0),
          "a fraction: 0.5 means 50%");
  r.Check("risk.kelly_prior_payoff", k.kelly_prior_payoff, Above(0.0));
  if (k.sizing == SizingMode::kFixedFraction &&
      k.fixed_fraction_percent > s.positions.max_position_exposure_percent) {
    r.Add("risk.fixed_fraction_percent",
          fmt::format("{}% exceeds positions.max_position_exposure_percent ({}%), so every "
                      "fixed-fraction position would be cut to the cap; lower the fraction or "
                      "raise the cap",
                      Show(k.fixed_fraction_percent),
                      Show(s.positions.max_position_exposure_percent)),
          {"risk.sizing", "positions.max_position_exposure_percent"});
  }
}

void CheckPositions(const PositionSettings& p, Rules& r) {
  r.Check("positions.max_concurrent_positions", p.max_concurrent_positions, AtLeast(1));
  r.Check("positions.max_position_exposure_percent", p.max_position_exposure_percent,
          OpenClosed(kZero, kHundred));
  r.Check("positions.min_market_cap_usd", p.min_market_cap_usd, AtLeast(kZero));
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
  } else {
    bool positive = true;
    bool ascending = true;
    for (std::size_t i = 0; i < levels.size(); ++i) {
      if (!levels[i].IsPositive()) positive = false;
      if (i > 0 && levels[i] <= levels[i - 1]) ascending = false;
    }
    if (!positive) {
      r.Add(
          "exits.take_profit_percents",
          fmt::format("levels must be positive (above the entry price), got {}", ShowList(levels)));
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
  r.Check("circuit_breakers.max_consecutive_losses", b.max_consecutive_losses, AtLeast(0), kOff);
  r.Check("circuit_breakers.consecutive_loss_pause_hours", b.consecutive_loss_pause_hours,
          AtLeast(0));
  r.Check("circuit_breakers.daily_max_loss", b.daily_max_loss, AtLeast(kZero), kOff);
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
  r.Check("ai.min_consensus_agreements", a.min_consensus_agreements, AtLeast(1));
  r.Check("ai.max_candidates", a.max_candidates, AtLeast(1));
  r.NotEmpty("ai.claude_model", a.claude_model);
  if (a.analysts.empty()) r.Add("ai.analysts", "must name at least one analyst");
  std::set<std::string> seen;
  for (const std::string& name : a.analysts) {
    if (name != "technical" && name != "reference") {
      r.Add("ai.analysts",
            fmt::format("unknown analyst \"{}\"; known: \"technical\", \"reference\"", name));
    } else if (!seen.insert(name).second) {
      r.Add("ai.analysts", fmt::format("analyst \"{}\" is listed twice", name));
    }
  }
}

void CheckTechnical(const TechnicalSettings& t, Rules& r) {
  r.Check("technical.momentum_lookback_hours", t.momentum_lookback_hours, AtLeast(1));
  r.Check("technical.min_momentum_percent", t.min_momentum_percent, AtLeast(0.0));
  r.Check("technical.volume_lookback_hours", t.volume_lookback_hours, AtLeast(1));
  r.Check("technical.volume_surge_ratio", t.volume_surge_ratio, Above(0.0));
  r.Check("technical.rsi_period", t.rsi_period, AtLeast(1));
  r.Check("technical.rsi_min", t.rsi_min, Closed(0.0, 100.0));
  r.Check("technical.rsi_max", t.rsi_max, Closed(0.0, 100.0));
  if (t.rsi_min >= t.rsi_max) {
    r.Add("technical.rsi_min",
          fmt::format("must be below technical.rsi_max ({}), got {}", Show(t.rsi_max),
                      Show(t.rsi_min)),
          {"technical.rsi_max"});
  }
  r.Check("technical.macd_fast", t.macd_fast, AtLeast(1));
  r.Check("technical.macd_slow", t.macd_slow, AtLeast(1));
  r.Check("technical.macd_signal", t.macd_signal, AtLeast(1));
  if (t.macd_fast >= t.macd_slow) {
    r.Add("technical.macd_fast",
          fmt::format("must be below technical.macd_slow ({}), got {}", t.macd_slow, t.macd_fast),
          {"technical.macd_slow"});
  }
  r.Check("technical.bb_period", t.bb_period, AtLeast(1));
  r.Check("technical.bb_stddev", t.bb_stddev, Above(0.0));
  r.Check("technical.atr_period", t.atr_period, AtLeast(1));
  r.Check("technical.max_atr_percent", t.max_atr_percent, Above(0.0));
  r.Check("technical.trend_sma_period", t.trend_sma_period, AtLeast(1));
}

void CheckReference(const ReferenceSettings& ref, Rules& r) {
  r.Check("reference.sma_period", ref.sma_period, AtLeast(1));
  r.Check("reference.rsi_period", ref.rsi_period, AtLeast(1));
  r.Check("reference.rsi_entry_below", ref.rsi_entry_below, Open(0.0, 100.0));
}

void CheckTiming(const TimingSettings& t, Rules& r) {
  r.Check("timing.analysis_interval_minutes", t.analysis_interval_minutes, AtLeast(1));
  if (t.analysis_interval_minutes >= 1 && t.analysis_interval_minutes % 60 != 0) {
    // The analysts read hourly candles: a cycle between two hourly closes would see nothing new.
    r.Add("timing.analysis_interval_minutes",
          fmt::format("must be a multiple of 60 (analysts read hourly candles), got {}",
                      t.analysis_interval_minutes));
  }
  r.Check("timing.position_check_seconds", t.position_check_seconds, AtLeast(1));
  r.Check("timing.heartbeat_interval_seconds", t.heartbeat_interval_seconds, AtLeast(1));
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
          fmt::format("base_asset \"{}\" + quote_asset \"{}\" does not spell the symbol",
                      info.base_asset, info.quote_asset),
          {prefix + ".base_asset", prefix + ".quote_asset"});
  }
  const std::pair<std::string_view, Decimal> filters[] = {{"tick_size", info.tick_size},
                                                          {"step_size", info.step_size},
                                                          {"min_qty", info.min_qty},
                                                          {"max_qty", info.max_qty},
                                                          {"min_notional", info.min_notional}};
  for (const auto& [name, value] : filters) {
    r.Check(fmt::format("{}.{}", prefix, name), value, AtLeast(kZero), "0 means no rule");
  }
  if (info.max_qty.IsPositive() && info.min_qty > info.max_qty) {
    r.Add(
        prefix + ".min_qty",
        fmt::format("must not exceed max_qty ({}), got {}", Show(info.max_qty), Show(info.min_qty)),
        {prefix + ".max_qty"});
  }
}

void CheckExchange(const ExchangeSettings& x, Rules& r) {
  r.Check("exchange.fee_percent", x.fee_percent, ClosedOpen(kZero, kHundred));
  r.Check("exchange.slippage_percent", x.slippage_percent, ClosedOpen(kZero, kHundred));
  for (const auto& [symbol, info] : x.symbols) CheckSymbolInfo(symbol, info, r);
}

void CheckData(const DataSettings& d, Rules& r) {
  r.NotEmpty("data.dir", d.dir);
  std::set<std::string> seen;
  for (const std::string& symbol : d.symbols) {
    if (!IsSymbolName(symbol)) {
      r.Add("data.symbols",
            fmt::format("\"{}\" is not a symbol name (upper-case letters and digits, e.g. "
                        "BTCUSDT)",
                        symbol));
    } else if (!seen.insert(symbol).second) {
      r.Add("data.symbols", fmt::format("\"{}\" is listed twice", symbol));
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
    r.Add("backtest.from", fmt::format("must be before backtest.to ({}), got {}", b.to, b.from),
          {"backtest.to"});
  }
  r.NotEmpty("backtest.out_dir", b.out_dir);
}

}  // namespace

bool IsSymbolName(std::string_view name) {
  if (name.empty()) return false;
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
  r.Check("capital.starting_capital", s.capital.starting_capital, Above(kZero));
  if (!IsSymbolName(s.capital.account_currency)) {
    r.Add("capital.account_currency",
          fmt::format("must be an asset code in upper-case letters and digits, e.g. \"USDT\", "
                      "got \"{}\"",
                      s.capital.account_currency));
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
  CheckData(s.data, r);
  CheckBacktest(s.backtest, r);
  return r.Take();
}

}  // namespace osprey
