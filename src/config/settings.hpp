#pragma once
// Every tunable of Osprey, as loaded from `config/osprey.toml` (see docs/config.md and the
// README for each key). Constants of the spec's "Configuration Hierarchy" carry the spec's
// name in a comment. Percentages are stored as written in the file (3 means 3%). Money and
// prices are exact decimals. A Settings value that left LoadSettings() is fully validated.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/decimal.hpp"
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

struct CapitalSettings {
  Decimal starting_capital = Decimal::FromInt(1000);  // STARTING_CAPITAL_AUD (account currency)
  std::string account_currency = "USDT";
};

struct RiskSettings {
  Decimal risk_per_trade_percent = Decimal::FromInt(2);  // RISK_PER_TRADE_PERCENT
  SizingMode sizing = SizingMode::kKelly;
  Decimal fixed_fraction_percent = Decimal::FromInt(20);  // notional as % of equity (fixed mode)
  double kelly_multiplier = 0.5;  // fractional Kelly: this share of the full Kelly fraction
  int kelly_min_trades = 20;      // closed trades before the bot's own statistics replace the prior
  double kelly_prior_win_rate = 0.5;
  double kelly_prior_payoff = 1.5;  // average win / average loss assumed by the prior
};

struct PositionSettings {
  int max_concurrent_positions = 3;                             // MAX_CONCURRENT_POSITIONS
  Decimal max_position_exposure_percent = Decimal::FromInt(6);  // MAX_POSITION_EXPOSURE_PERCENT
  Decimal min_market_cap_usd = Decimal::FromInt(100'000'000);   // MIN_MARKET_CAP_USD
};

struct ExitSettings {
  Decimal stop_loss_percent = Decimal::FromInt(3);      // STOP_LOSS_PERCENT (-3%)
  Decimal trailing_stop_percent = Decimal::FromInt(2);  // TRAILING_STOP_PERCENT (-2%)
  TrailingActivation trailing_activation = TrailingActivation::kAfterTp1;
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
  double min_confidence_score = 0.70;                     // MIN_CONFIDENCE_SCORE (file: 70)
  int min_consensus_agreements = 2;                       // MIN_CONSENSUS_AGREEMENTS
  int max_candidates = 3;                                 // "select top 3 agreed coins"
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
  bool fees_in_bnb = false;       // pay fees in BNB at a 25% discount while BNB is held
  Decimal bnb_price;              // BNB in the quote asset when no BNB candles are fed; 0 = none
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

std::string_view ModeName(Mode m);

}  // namespace osprey
