#pragma once
// Every tunable of Osprey, as loaded from `config/osprey.toml` (see docs/config.md and the
// README for each key). Constants of the spec's "Configuration Hierarchy" carry the spec's
// name in a comment. Percentages are stored as written in the file (3 means 3%). Money and
// prices are exact decimals. A Settings value that left LoadSettings() is fully validated.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/enum_table.hpp"
#include "core/symbol_info.hpp"

namespace osprey {

enum class Mode { kBacktest, kPaper, kTestnet, kLive };
enum class SizingMode { kKelly, kFixedFraction };
enum class TrailingActivation { kAfterTp1, kImmediate };
enum class GapFill {
  kOpen,   // realistic: a stop gapped through fills at the candle's open (worse than the stop)
  kLevel,  // reference R6: fills at exactly the stop / take-profit level
};
enum class FeeAsset { kQuote, kBase };
enum class TakeProfitFillRule {
  kThrough,  // a take-profit (LIMIT sell) fills only when the high trades above its price
  kTouch,    // the high reaching the price is enough (reference R6)
};

// The names a config file uses for each enum (one table each; the loader accepts exactly these).
inline constexpr std::array<EnumName<Mode>, 4> kModeTable{{
    {Mode::kBacktest, "backtest"},
    {Mode::kPaper, "paper"},
    {Mode::kTestnet, "testnet"},
    {Mode::kLive, "live"},
}};
static_assert(kModeTable.size() == static_cast<std::size_t>(Mode::kLive) + 1 &&
              EnumTableComplete(kModeTable));
inline constexpr std::array<EnumName<SizingMode>, 2> kSizingModeTable{{
    {SizingMode::kKelly, "kelly"},
    {SizingMode::kFixedFraction, "fixed_fraction"},
}};
static_assert(kSizingModeTable.size() == static_cast<std::size_t>(SizingMode::kFixedFraction) + 1 &&
              EnumTableComplete(kSizingModeTable));
inline constexpr std::array<EnumName<TrailingActivation>, 2> kTrailingActivationTable{{
    {TrailingActivation::kAfterTp1, "after_tp1"},
    {TrailingActivation::kImmediate, "immediate"},
}};
static_assert(kTrailingActivationTable.size() ==
                  static_cast<std::size_t>(TrailingActivation::kImmediate) + 1 &&
              EnumTableComplete(kTrailingActivationTable));
inline constexpr std::array<EnumName<TakeProfitFillRule>, 2> kTakeProfitFillTable{{
    {TakeProfitFillRule::kThrough, "through"},
    {TakeProfitFillRule::kTouch, "touch"},
}};
static_assert(kTakeProfitFillTable.size() ==
                  static_cast<std::size_t>(TakeProfitFillRule::kTouch) + 1 &&
              EnumTableComplete(kTakeProfitFillTable));
inline constexpr std::array<EnumName<GapFill>, 2> kGapFillTable{{
    {GapFill::kOpen, "open"},
    {GapFill::kLevel, "level"},
}};
static_assert(kGapFillTable.size() == static_cast<std::size_t>(GapFill::kLevel) + 1 &&
              EnumTableComplete(kGapFillTable));
inline constexpr std::array<EnumName<FeeAsset>, 2> kFeeAssetTable{{
    {FeeAsset::kQuote, "quote"},
    {FeeAsset::kBase, "base"},
}};
static_assert(kFeeAssetTable.size() == static_cast<std::size_t>(FeeAsset::kBase) + 1 &&
              EnumTableComplete(kFeeAssetTable));

struct CapitalSettings {
  Decimal starting_capital = Decimal::FromInt(1000);  // STARTING_CAPITAL_AUD (account currency)
  std::string account_currency = "USDT";
};

struct RiskSettings {
  // RISK_PER_TRADE_PERCENT: most equity one trade loses when its stop is hit (docs/sizing.md).
  Decimal risk_per_trade_percent = Decimal::FromInt(2);
  SizingMode sizing = SizingMode::kKelly;
  Decimal fixed_fraction_percent = Decimal::FromInt(20);  // notional as % of equity (fixed mode)
  double kelly_multiplier = 0.5;  // fractional Kelly: this share of the full Kelly fraction
  double kelly_prior_win_rate = 0.5;
  double kelly_prior_payoff = 1.5;  // average win / average loss assumed by the prior
  int edge_window_trades = 50;      // the edge estimate counts this many most recent trades
  int edge_prior_trades = 20;       // the prior weighs as much as this many trades
};

struct PositionSettings {
  int max_concurrent_positions = 3;  // MAX_CONCURRENT_POSITIONS
  // MAX_POSITION_EXPOSURE_PERCENT, read as the most equity all open positions together lose
  // if every stop is hit (the portfolio's heat; docs/sizing.md), not one position's notional.
  Decimal max_position_exposure_percent = Decimal::FromInt(6);
  // Also bound each position's notional by equity / max_concurrent_positions.
  bool cap_notional_at_equity_share = true;
  Decimal min_market_cap_usd = Decimal::FromInt(100'000'000);  // MIN_MARKET_CAP_USD
};

struct ExitSettings {
  Decimal stop_loss_percent = Decimal::FromInt(3);      // STOP_LOSS_PERCENT (-3%)
  Decimal trailing_stop_percent = Decimal::FromInt(2);  // TRAILING_STOP_PERCENT (-2%)
  TrailingActivation trailing_activation = TrailingActivation::kAfterTp1;
  // A trailing stop is never placed at or above the last price (Binance refuses it: -2010
  // "Order would trigger immediately."): it is clamped one tick below. Off for the reference.
  bool trailing_below_last_price = true;
  std::vector<Decimal> take_profit_percents = {Decimal::FromInt(3), Decimal::FromInt(5),
                                               Decimal::FromInt(8)};  // TAKE_PROFIT_LEVELS
  std::vector<Decimal> take_profit_fractions = {Decimal::FromInt(33), Decimal::FromInt(33),
                                                Decimal::FromInt(34)};  // % of the position
};

struct CircuitBreakerSettings {
  int max_consecutive_losses = 3;                            // MAX_CONSECUTIVE_LOSSES (0: off)
  int consecutive_loss_pause_hours = 24;                     // pause after that many losses
  Decimal daily_max_loss = Decimal::FromInt(100);            // DAILY_MAX_LOSS_AUD (0: off)
  Decimal daily_max_loss_percent = Decimal::FromInt(10);     // DAILY_MAX_LOSS_PERCENT (0: off)
  Decimal max_drawdown_percent = Decimal::FromInt(15);       // MAX_DRAWDOWN_PERCENT (0: off)
  Decimal reducing_drawdown_percent = Decimal::FromInt(10);  // REDUCING above this (0: off)
  Decimal reducing_size_factor = Dec("0.5");                 // size multiplier while REDUCING
  int day_start_offset_minutes = 0;                          // trading day starts at 00:00 UTC+this
};

struct AiSettings {
  double min_confidence_score = 0.70;  // MIN_CONFIDENCE_SCORE (file: 70)
  int min_consensus_agreements = 2;    // MIN_CONSENSUS_AGREEMENTS
  int max_candidates = 3;              // "select top 3 agreed coins"
  // A risk-assessment answer that names a coin below min_confidence_score, or leaves it out,
  // vetoes it (src/analysis/consensus.hpp). The reference strategy has no veto.
  bool risk_veto = true;
  int analyst_timeout_seconds = 60;  // deadline per cycle for every analyst's answers
  std::string claude_model = "claude-3-5-sonnet-latest";  // CLAUDE_MODEL
  std::vector<std::string> analysts = {"technical"};
};

// Thresholds of the offline technical analyst (src/analysis/technical_analyst.hpp).
struct TechnicalSettings {
  int momentum_lookback_hours = 24;
  double min_momentum_percent = 2.0;  // pump candidate: close rose at least this much
  int volume_lookback_hours = 168;
  double volume_surge_ratio = 1.5;  // last-24h volume vs the lookback's 24h average
  int rsi_period = 14;
  double rsi_min = 50.0;  // confirmation: momentum present ...
  double rsi_max = 70.0;  // ... but not overbought
  int macd_fast = 12;
  int macd_slow = 26;
  int macd_signal = 9;
  int bb_period = 20;
  double bb_stddev = 2.0;
  int atr_period = 14;
  double max_atr_percent = 3.0;  // risk: hourly ATR above this % of price is too volatile
  int trend_sma_period = 200;    // risk: price must be above this SMA
};

// Reference strategy rules (docs/reference-strategy.md R5), selectable as analyst "reference".
struct ReferenceSettings {
  int sma_period = 200;
  int rsi_period = 14;
  double rsi_entry_below = 30.0;
};

struct TimingSettings {
  int analysis_interval_minutes = 60;    // ANALYSIS_INTERVAL_MINUTES
  int position_check_seconds = 60;       // POSITION_CHECK_SECONDS
  int heartbeat_interval_seconds = 300;  // HEARTBEAT_INTERVAL_SECONDS
};

struct ExchangeSettings {
  Decimal fee_percent = Dec("0.1");  // per fill
  FeeAsset entry_fee_asset = FeeAsset::kQuote;
  Decimal slippage_percent = Dec("0.05");  // market orders, against the taker
  GapFill gap_fill = GapFill::kOpen;
  bool use_minute_candles = true;  // resolve stop-vs-take-profit inside an hour when 1m data exist
  bool apply_symbol_filters = true;  // enforce tick/step/min-notional (off for the reference run)
  TakeProfitFillRule take_profit_fill = TakeProfitFillRule::kThrough;
  // Share of each bar's volume our orders of a symbol may fill in it; 0 = no limit.
  Decimal volume_participation_percent = Decimal::FromInt(10);
  // -2010 for a stop at/through the last price and an OCO not ordered limit > last > stop.
  bool reject_immediate_trigger = true;
  int entry_latency_seconds = 0;  // a market order fills at the price this long after placement
  std::map<std::string, SymbolInfo> symbols;  // filters per symbol ([exchange.symbols.BTCUSDT])
};

struct DataSettings {
  std::string dir = "data";          // holds klines/1h/SYMBOL.csv.gz and optional klines/1m/
  std::vector<std::string> symbols;  // the universe of the backtest
};

struct BacktestSettings {
  std::string from = "2024-01-01";       // inclusive, UTC
  std::string to = "2026-01-01";         // exclusive, UTC
  std::string out_dir = "out/backtest";  // also holds the run's trade store, osprey.db
};

struct Settings {
  Mode mode = Mode::kBacktest;
  CapitalSettings capital;
  RiskSettings risk;
  PositionSettings positions;
  ExitSettings exits;
  CircuitBreakerSettings breakers;
  AiSettings ai;
  TechnicalSettings technical;
  ReferenceSettings reference;
  TimingSettings timing;
  ExchangeSettings exchange;
  DataSettings data;
  BacktestSettings backtest;
};

// Config-file names of each enum ("backtest", "kelly", "after_tp1", "open", "quote", ...); each
// Parse* accepts exactly the names its *Name returns and nullopt for anything else.
std::string_view ModeName(Mode m);
std::string_view SizingModeName(SizingMode m);
std::string_view TrailingActivationName(TrailingActivation a);
std::string_view GapFillName(GapFill g);
std::string_view FeeAssetName(FeeAsset a);
std::string_view TakeProfitFillName(TakeProfitFillRule r);
std::optional<Mode> ParseMode(std::string_view name);
std::optional<SizingMode> ParseSizingMode(std::string_view name);
std::optional<TrailingActivation> ParseTrailingActivation(std::string_view name);
std::optional<GapFill> ParseGapFill(std::string_view name);
std::optional<FeeAsset> ParseFeeAsset(std::string_view name);
std::optional<TakeProfitFillRule> ParseTakeProfitFill(std::string_view name);

}  // namespace osprey
