#include "config/settings_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "config/secrets.hpp"
#include "config/settings_validation.hpp"
#include "config/toml_reader.hpp"
#include "core/one_line.hpp"
#include "core/regular_file.hpp"

namespace osprey {
namespace {

using config_internal::ReadContext;
using config_internal::TableReader;

void ReadCapital(TableReader t, CapitalSettings& c) {
  t.Read("starting_capital", c.starting_capital);
  t.Read("account_currency", c.account_currency);
  t.Finish();
}

void ReadRisk(TableReader t, RiskSettings& r) {
  t.Read("risk_per_trade_percent", r.risk_per_trade_percent);
  t.ReadEnum("sizing", r.sizing, kSizingModeTable);
  t.Read("fixed_fraction_percent", r.fixed_fraction_percent);
  t.Read("kelly_multiplier", r.kelly_multiplier);
  t.Read("kelly_prior_win_rate", r.kelly_prior_win_rate);
  t.Read("kelly_prior_payoff", r.kelly_prior_payoff);
  t.Read("edge_window_trades", r.edge_window_trades);
  t.Read("edge_prior_trades", r.edge_prior_trades);
  t.Finish();
}

void ReadPositions(TableReader t, PositionSettings& p) {
  t.Read("max_concurrent_positions", p.max_concurrent_positions);
  t.Read("max_position_exposure_percent", p.max_position_exposure_percent);
  t.Read("cap_notional_at_equity_share", p.cap_notional_at_equity_share);
  t.Read("min_market_cap_usd", p.min_market_cap_usd);
  t.Finish();
}

void ReadExits(TableReader t, ExitSettings& e) {
  t.Read("stop_loss_percent", e.stop_loss_percent);
  t.Read("trailing_stop_percent", e.trailing_stop_percent);
  t.ReadEnum("trailing_activation", e.trailing_activation, kTrailingActivationTable);
  t.Read("trailing_below_last_price", e.trailing_below_last_price);
  t.Read("take_profit_percents", e.take_profit_percents);
  t.Read("take_profit_fractions", e.take_profit_fractions);
  t.Finish();
}

void ReadBreakers(TableReader t, CircuitBreakerSettings& b) {
  t.Read("max_consecutive_losses", b.max_consecutive_losses);
  t.Read("consecutive_loss_pause_hours", b.consecutive_loss_pause_hours);
  t.Read("daily_max_loss", b.daily_max_loss);
  t.Read("daily_max_loss_percent", b.daily_max_loss_percent);
  t.Read("max_drawdown_percent", b.max_drawdown_percent);
  t.Read("reducing_drawdown_percent", b.reducing_drawdown_percent);
  t.Read("reducing_size_factor", b.reducing_size_factor);
  t.Read("day_start_offset_minutes", b.day_start_offset_minutes);
  t.Finish();
}

void ReadAi(TableReader t, AiSettings& a) {
  // Written in percent in the file (70), stored as a fraction (0.70).
  if (double percent = 0.0; t.Read("min_confidence_score", percent)) {
    a.min_confidence_score = percent / 100.0;
  }
  t.Read("min_consensus_agreements", a.min_consensus_agreements);
  t.Read("max_candidates", a.max_candidates);
  t.Read("risk_veto", a.risk_veto);
  t.Read("analyst_timeout_seconds", a.analyst_timeout_seconds);
  t.Read("claude_model", a.claude_model);
  t.Read("analysts", a.analysts);
  t.Finish();
}

void ReadTechnical(TableReader t, TechnicalSettings& s) {
  t.Read("momentum_lookback_hours", s.momentum_lookback_hours);
  t.Read("min_momentum_percent", s.min_momentum_percent);
  t.Read("volume_lookback_hours", s.volume_lookback_hours);
  t.Read("volume_surge_ratio", s.volume_surge_ratio);
  t.Read("rsi_period", s.rsi_period);
  t.Read("rsi_min", s.rsi_min);
  t.Read("rsi_max", s.rsi_max);
  t.Read("macd_fast", s.macd_fast);
  t.Read("macd_slow", s.macd_slow);
  t.Read("macd_signal", s.macd_signal);
  t.Read("bb_period", s.bb_period);
  t.Read("bb_stddev", s.bb_stddev);
  t.Read("atr_period", s.atr_period);
  t.Read("max_atr_percent", s.max_atr_percent);
  t.Read("trend_sma_period", s.trend_sma_period);
  t.Finish();
}

void ReadReference(TableReader t, ReferenceSettings& r) {
  t.Read("sma_period", r.sma_period);
  t.Read("rsi_period", r.rsi_period);
  t.Read("rsi_entry_below", r.rsi_entry_below);
  t.Finish();
}

void ReadTiming(TableReader t, TimingSettings& s) {
  t.Read("analysis_interval_minutes", s.analysis_interval_minutes);
  t.Read("position_check_seconds", s.position_check_seconds);
  t.Read("heartbeat_interval_seconds", s.heartbeat_interval_seconds);
  t.Finish();
}

SymbolInfo ReadSymbol(TableReader t, const std::string& symbol) {
  SymbolInfo info;
  info.symbol = symbol;
  t.Read("base_asset", info.base_asset);
  t.Read("quote_asset", info.quote_asset);
  t.Read("tick_size", info.tick_size);
  t.Read("step_size", info.step_size);
  t.Read("min_qty", info.min_qty);
  t.Read("max_qty", info.max_qty);
  t.Read("min_notional", info.min_notional);
  t.Finish();
  return info;
}

void ReadExchange(TableReader t, ExchangeSettings& x, ReadContext& ctx) {
  t.Read("fee_percent", x.fee_percent);
  t.ReadEnum("entry_fee_asset", x.entry_fee_asset, kFeeAssetTable);
  t.Read("slippage_percent", x.slippage_percent);
  t.ReadEnum("gap_fill", x.gap_fill, kGapFillTable);
  t.Read("use_minute_candles", x.use_minute_candles);
  t.Read("apply_symbol_filters", x.apply_symbol_filters);
  t.ReadEnum("take_profit_fill", x.take_profit_fill, kTakeProfitFillTable);
  t.Read("volume_participation_percent", x.volume_participation_percent);
  t.Read("reject_immediate_trigger", x.reject_immediate_trigger);
  t.Read("entry_latency_seconds", x.entry_latency_seconds);
  TableReader symbols = t.Section("symbols");
  const std::vector<std::string> present = symbols.PresentKeys();
  if (present.size() > kMaxSymbolTables) {
    // Bounded work and memory whatever the file holds: the tables are not read.
    ctx.AddIssue("exchange.symbols", fmt::format("holds {} symbol tables, at most {}",
                                                 present.size(), kMaxSymbolTables));
    t.Finish();
    return;
  }
  for (const std::string& symbol : present) {
    TableReader one = symbols.Section(symbol);
    if (one.present()) x.symbols[symbol] = ReadSymbol(std::move(one), symbol);
  }
  symbols.Finish();
  t.Finish();
}

void ReadData(TableReader t, DataSettings& d) {
  t.Read("dir", d.dir);
  t.Read("symbols", d.symbols);
  t.Finish();
}

void ReadBacktest(TableReader t, BacktestSettings& b) {
  t.ReadDate("from", b.from);
  t.ReadDate("to", b.to);
  t.Read("out_dir", b.out_dir);
  t.Finish();
}

// Reads every section over the defaults; problems go to `ctx`.
Settings ReadSettings(const toml::table& root, ReadContext& ctx) {
  Settings s;
  TableReader top(&root, "", ctx);
  top.ReadEnum("mode", s.mode, kModeTable);
  ReadCapital(top.Section("capital"), s.capital);
  ReadRisk(top.Section("risk"), s.risk);
  ReadPositions(top.Section("positions"), s.positions);
  ReadExits(top.Section("exits"), s.exits);
  ReadBreakers(top.Section("circuit_breakers"), s.breakers);
  ReadAi(top.Section("ai"), s.ai);
  ReadTechnical(top.Section("technical"), s.technical);
  ReadReference(top.Section("reference"), s.reference);
  ReadTiming(top.Section("timing"), s.timing);
  ReadExchange(top.Section("exchange"), s.exchange, ctx);
  ReadData(top.Section("data"), s.data);
  ReadBacktest(top.Section("backtest"), s.backtest);
  top.Finish();
  return s;
}

// The text of line `line` (1-based) of `text`.
std::string_view LineOf(std::string_view text, std::size_t line) {
  for (std::size_t i = 1; i < line; ++i) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};
    text.remove_prefix(nl + 1);
  }
  return text.substr(0, text.find('\n'));
}

// A syntax error, with toml++'s description unless the line holds a secret-looking key (the
// description may quote the value).
std::string SyntaxError(const toml::parse_error& e, std::string_view text,
                        std::string_view source) {
  const auto& begin = e.source().begin;
  std::string_view line = LineOf(text, begin.line);
  const std::size_t eq = line.find('=');
  const std::string_view key = eq == std::string_view::npos ? line : line.substr(0, eq);
  const std::string_view description =
      LooksLikeSecretName(key) ? "the line holds a key that looks like a secret (details "
                                 "withheld); secrets belong in the environment or .env"
                               : e.description();
  return fmt::format("{}:{}:{}: TOML syntax error: {}", source, begin.line, begin.column,
                     description);
}

}  // namespace

Result<Settings> LoadSettingsText(std::string_view toml_text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kConfig,
                RedactSecretLookingText(OneLine(SyntaxError(e, toml_text, source_name))));
  }

  ReadContext ctx;
  config_internal::ReportSecretKeys(root, ctx);
  Settings settings = ReadSettings(root, ctx);
  ctx.ReportUnknownKeys();
  // A rule about a key that already failed to load would judge the default, not the file.
  std::vector<SettingsIssue> issues = ctx.issues();
  for (SettingsIssue& issue : ValidateSettings(settings)) {
    const bool judged_default =
        ctx.HasIssueFor(issue.key) ||
        std::any_of(issue.related_keys.begin(), issue.related_keys.end(),
                    [&](const std::string& k) { return ctx.HasIssueFor(k); });
    if (!judged_default) issues.push_back(std::move(issue));
  }
  if (issues.empty()) return settings;

  std::vector<std::string> lines;
  const std::size_t shown = std::min(issues.size(), kMaxReportedIssues);
  lines.reserve(shown + 1);
  for (std::size_t i = 0; i < shown; ++i) {
    lines.push_back(
        OneLine(fmt::format("{}: {}: {}", source_name, issues[i].key, issues[i].reason)));
  }
  if (issues.size() > shown) {
    lines.push_back(
        fmt::format("{}: ... and {} more problems", source_name, issues.size() - shown));
  }
  // Values are quoted in messages; one that looks like a secret never is, wherever it was put.
  return Fail(ErrorCode::kConfig,
              RedactSecretLookingText(fmt::format("{}", fmt::join(lines, "\n"))));
}

Result<Settings> LoadSettingsFile(const std::string& path) {
  auto text = ReadRegularFile(path, kMaxSettingsFileBytes, "settings file");
  if (!text) {
    Error e = std::move(text.error());
    if (e.code == ErrorCode::kOutOfRange) e.code = ErrorCode::kConfig;
    return std::unexpected(std::move(e));
  }
  return LoadSettingsText(*text, path);
}

std::vector<std::string> KnownSettingsKeys() {
  toml::table root;
  root.insert("exchange", toml::table{{"symbols", toml::table{{"SYMBOL", toml::table{}}}}});
  ReadContext ctx;
  ReadSettings(root, ctx);
  return ctx.known_keys();
}

}  // namespace osprey
