#include "config/settings_loader.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "config/settings_validation.hpp"

namespace osprey {
namespace {

std::string SourcePath(std::string_view relative) {
  return fmt::format("{}/{}", OSPREY_SOURCE_DIR, relative);
}

// A runnable universe: one symbol and its filters (a config without one is refused).
constexpr std::string_view kUniverse =
    "\n[data]\nsymbols = [\"BTCUSDT\"]\n[exchange.symbols.BTCUSDT]\nbase_asset = \"BTC\"\n"
    "quote_asset = \"USDT\"\ntick_size = \"0.01\"\nstep_size = \"0.00001\"\n"
    "min_qty = \"0.00001\"\nmax_qty = \"9000\"\nmin_notional = \"5\"\n";

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Loads `text` with the runnable universe of kUniverse filled in where the text leaves it out:
// data.symbols unless the text sets it, and BTCUSDT's filters unless it writes them.
Result<Settings> Load(std::string_view text) {
  std::string full(text);
  if (!Contains(text, "[data]")) {
    full += "\n[data]\nsymbols = [\"BTCUSDT\"]\n";
  } else if (!Contains(text, "symbols =")) {
    full.insert(full.find("[data]") + 6, "\nsymbols = [\"BTCUSDT\"]");
  }
  if (!Contains(text, "exchange.symbols.BTCUSDT") && !Contains(text, "[exchange.symbols]")) {
    full += "\n" + std::string(kUniverse.substr(kUniverse.find("[exchange.symbols.BTCUSDT]")));
  }
  return LoadSettingsText(full, "test.toml");
}

// The struct defaults plus kUniverse: what Load("") gives.
Settings DefaultsWithUniverse() {
  Settings s;
  s.data.symbols = {"BTCUSDT"};
  s.exchange.symbols["BTCUSDT"] = SymbolInfo{
      "BTCUSDT", "BTC", "USDT", Dec("0.01"), Dec("0.00001"), Dec("0.00001"), Dec("9000"), Dec("5")};
  return s;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Show(const std::vector<Decimal>& values) {
  std::vector<std::string> parts;
  for (const Decimal& v : values) parts.push_back(v.ToString());
  return fmt::format("[{}]", fmt::join(parts, ","));
}
std::string Show(const std::vector<std::string>& values) {
  return fmt::format("[{}]", fmt::join(values, ","));
}

// Every scalar setting by its file key, rendered as text: compares whole Settings values and,
// through KnownSettingsKeys(), proves the comparison covers every key.
std::map<std::string, std::string> Fields(const Settings& s) {
  const auto d = [](Decimal v) { return v.ToString(); };
  const auto f = [](double v) { return fmt::format("{}", v); };
  const auto i = [](int v) { return std::to_string(v); };
  const auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  return {
      {"mode", std::string(ModeName(s.mode))},
      {"capital.starting_capital", d(s.capital.starting_capital)},
      {"capital.account_currency", s.capital.account_currency},
      {"risk.risk_per_trade_percent", d(s.risk.risk_per_trade_percent)},
      {"risk.sizing", i(static_cast<int>(s.risk.sizing))},
      {"risk.fixed_fraction_percent", d(s.risk.fixed_fraction_percent)},
      {"risk.kelly_multiplier", f(s.risk.kelly_multiplier)},
      {"risk.kelly_prior_win_rate", f(s.risk.kelly_prior_win_rate)},
      {"risk.kelly_prior_payoff", f(s.risk.kelly_prior_payoff)},
      {"risk.edge_window_trades", i(s.risk.edge_window_trades)},
      {"risk.edge_prior_trades", i(s.risk.edge_prior_trades)},
      {"positions.max_concurrent_positions", i(s.positions.max_concurrent_positions)},
      {"positions.max_position_exposure_percent", d(s.positions.max_position_exposure_percent)},
      {"positions.cap_notional_at_equity_share", b(s.positions.cap_notional_at_equity_share)},
      {"positions.min_market_cap_usd", d(s.positions.min_market_cap_usd)},
      {"exits.stop_loss_percent", d(s.exits.stop_loss_percent)},
      {"exits.trailing_stop_percent", d(s.exits.trailing_stop_percent)},
      {"exits.trailing_activation", i(static_cast<int>(s.exits.trailing_activation))},
      {"exits.trailing_below_last_price", i(s.exits.trailing_below_last_price ? 1 : 0)},
      {"exits.take_profit_percents", Show(s.exits.take_profit_percents)},
      {"exits.take_profit_fractions", Show(s.exits.take_profit_fractions)},
      {"circuit_breakers.max_consecutive_losses", i(s.breakers.max_consecutive_losses)},
      {"circuit_breakers.consecutive_loss_pause_hours", i(s.breakers.consecutive_loss_pause_hours)},
      {"circuit_breakers.daily_max_loss", d(s.breakers.daily_max_loss)},
      {"circuit_breakers.daily_max_loss_percent", d(s.breakers.daily_max_loss_percent)},
      {"circuit_breakers.max_drawdown_percent", d(s.breakers.max_drawdown_percent)},
      {"circuit_breakers.reducing_drawdown_percent", d(s.breakers.reducing_drawdown_percent)},
      {"circuit_breakers.reducing_size_factor", d(s.breakers.reducing_size_factor)},
      {"circuit_breakers.day_start_offset_minutes", i(s.breakers.day_start_offset_minutes)},
      {"ai.min_confidence_score", f(s.ai.min_confidence_score)},
      {"ai.min_consensus_agreements", i(s.ai.min_consensus_agreements)},
      {"ai.max_candidates", i(s.ai.max_candidates)},
      {"ai.risk_veto", b(s.ai.risk_veto)},
      {"ai.analyst_timeout_seconds", i(s.ai.analyst_timeout_seconds)},
      {"ai.claude_model", s.ai.claude_model},
      {"ai.analysts", Show(s.ai.analysts)},
      {"technical.momentum_lookback_hours", i(s.technical.momentum_lookback_hours)},
      {"technical.min_momentum_percent", f(s.technical.min_momentum_percent)},
      {"technical.volume_lookback_hours", i(s.technical.volume_lookback_hours)},
      {"technical.volume_surge_ratio", f(s.technical.volume_surge_ratio)},
      {"technical.rsi_period", i(s.technical.rsi_period)},
      {"technical.rsi_min", f(s.technical.rsi_min)},
      {"technical.rsi_max", f(s.technical.rsi_max)},
      {"technical.macd_fast", i(s.technical.macd_fast)},
      {"technical.macd_slow", i(s.technical.macd_slow)},
      {"technical.macd_signal", i(s.technical.macd_signal)},
      {"technical.bb_period", i(s.technical.bb_period)},
      {"technical.bb_stddev", f(s.technical.bb_stddev)},
      {"technical.atr_period", i(s.technical.atr_period)},
      {"technical.max_atr_percent", f(s.technical.max_atr_percent)},
      {"technical.trend_sma_period", i(s.technical.trend_sma_period)},
      {"reference.sma_period", i(s.reference.sma_period)},
      {"reference.rsi_period", i(s.reference.rsi_period)},
      {"reference.rsi_entry_below", f(s.reference.rsi_entry_below)},
      {"timing.analysis_interval_minutes", i(s.timing.analysis_interval_minutes)},
      {"timing.position_check_seconds", i(s.timing.position_check_seconds)},
      {"timing.heartbeat_interval_seconds", i(s.timing.heartbeat_interval_seconds)},
      {"exchange.fee_percent", d(s.exchange.fee_percent)},
      {"exchange.entry_fee_asset", i(static_cast<int>(s.exchange.entry_fee_asset))},
      {"exchange.slippage_percent", d(s.exchange.slippage_percent)},
      {"exchange.gap_fill", i(static_cast<int>(s.exchange.gap_fill))},
      {"exchange.use_minute_candles", b(s.exchange.use_minute_candles)},
      {"exchange.apply_symbol_filters", b(s.exchange.apply_symbol_filters)},
      {"exchange.take_profit_fill", i(static_cast<int>(s.exchange.take_profit_fill))},
      {"exchange.volume_participation_percent", d(s.exchange.volume_participation_percent)},
      {"exchange.reject_immediate_trigger", b(s.exchange.reject_immediate_trigger)},
      {"exchange.entry_latency_seconds", i(s.exchange.entry_latency_seconds)},
      {"data.dir", s.data.dir},
      {"data.symbols", Show(s.data.symbols)},
      {"backtest.from", s.backtest.from},
      {"backtest.to", s.backtest.to},
      {"backtest.out_dir", s.backtest.out_dir},
  };
}

// Known keys that name a value (not a section), per-symbol keys excluded.
std::vector<std::string> ScalarKeys() {
  std::vector<std::string> keys;
  const std::vector<std::string> known = KnownSettingsKeys();
  for (const std::string& key : known) {
    const bool is_section = std::any_of(known.begin(), known.end(), [&](const std::string& k) {
      return k.size() > key.size() && k.starts_with(key) && k[key.size()] == '.';
    });
    if (!is_section && !key.starts_with("exchange.symbols.")) keys.push_back(key);
  }
  return keys;
}

void ExpectSymbol(const Settings& s, const std::string& symbol, std::string_view base,
                  std::string_view tick, std::string_view step, std::string_view max_qty) {
  SCOPED_TRACE(symbol);
  auto it = s.exchange.symbols.find(symbol);
  ASSERT_NE(it, s.exchange.symbols.end());
  const SymbolInfo& info = it->second;
  EXPECT_EQ(info.symbol, symbol);
  EXPECT_EQ(info.base_asset, base);
  EXPECT_EQ(info.quote_asset, "USDT");
  EXPECT_EQ(info.tick_size, Dec(tick));
  EXPECT_EQ(info.step_size, Dec(step));
  EXPECT_EQ(info.min_qty, Dec(step));
  EXPECT_EQ(info.max_qty, Dec(max_qty));
  EXPECT_EQ(info.min_notional, Dec("5"));
}

// ---- the shipped files ----

TEST(ShippedConfig, DefaultFileEqualsStructDefaults) {
  auto loaded = LoadSettingsFile(SourcePath("config/osprey.toml"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  Settings expected;
  expected.data.symbols = {"BTCUSDT", "ETHUSDT",  "BNBUSDT",  "SOLUSDT",  "XRPUSDT",
                           "ADAUSDT", "DOGEUSDT", "AVAXUSDT", "LINKUSDT", "LTCUSDT"};
  const auto got = Fields(*loaded);
  for (const auto& [key, value] : Fields(expected)) {
    EXPECT_EQ(got.at(key), value) << key;
  }
  EXPECT_EQ(loaded->backtest.from, "2024-01-01");
  EXPECT_EQ(loaded->backtest.to, "2026-01-01");
  EXPECT_EQ(loaded->capital.starting_capital, Decimal::FromInt(1000));
  EXPECT_EQ(loaded->capital.account_currency, "USDT");
}

TEST(ShippedConfig, DefaultFileHasFiltersForEverySymbol) {
  auto s = LoadSettingsFile(SourcePath("config/osprey.toml"));
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->exchange.symbols.size(), 10U);
  for (const std::string& symbol : s->data.symbols) {
    EXPECT_TRUE(s->exchange.symbols.contains(symbol)) << symbol;
  }
  ExpectSymbol(*s, "BTCUSDT", "BTC", "0.01", "0.00001", "9000");
  ExpectSymbol(*s, "ETHUSDT", "ETH", "0.01", "0.0001", "9000");
  ExpectSymbol(*s, "BNBUSDT", "BNB", "0.01", "0.001", "900000");
  ExpectSymbol(*s, "SOLUSDT", "SOL", "0.01", "0.001", "900000");
  ExpectSymbol(*s, "XRPUSDT", "XRP", "0.0001", "0.1", "9000000");
  ExpectSymbol(*s, "ADAUSDT", "ADA", "0.0001", "0.1", "9000000");
  ExpectSymbol(*s, "DOGEUSDT", "DOGE", "0.00001", "1", "9000000");
  ExpectSymbol(*s, "AVAXUSDT", "AVAX", "0.01", "0.01", "900000");
  ExpectSymbol(*s, "LINKUSDT", "LINK", "0.01", "0.01", "900000");
  ExpectSymbol(*s, "LTCUSDT", "LTC", "0.01", "0.001", "900000");
}

TEST(ShippedConfig, ReferenceFileHasTheReferenceStrategyValues) {
  auto loaded = LoadSettingsFile(SourcePath("config/reference.toml"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  const Settings& s = *loaded;
  EXPECT_EQ(s.mode, Mode::kBacktest);
  EXPECT_EQ(s.capital.starting_capital, Decimal::FromInt(10000));
  EXPECT_EQ(s.risk.sizing, SizingMode::kFixedFraction);
  EXPECT_EQ(s.risk.fixed_fraction_percent, Decimal::FromInt(20));
  EXPECT_EQ(s.risk.risk_per_trade_percent, Decimal::FromInt(100));
  EXPECT_EQ(s.positions.max_concurrent_positions, 1);
  EXPECT_EQ(s.positions.max_position_exposure_percent, Decimal::FromInt(100));
  EXPECT_EQ(s.exchange.fee_percent, Dec("0.1"));
  EXPECT_EQ(s.exchange.slippage_percent, Decimal::Zero());
  EXPECT_EQ(s.exchange.entry_fee_asset, FeeAsset::kQuote);
  EXPECT_EQ(s.exchange.gap_fill, GapFill::kLevel);
  EXPECT_FALSE(s.exchange.use_minute_candles);
  EXPECT_FALSE(s.exchange.apply_symbol_filters);
  EXPECT_EQ(s.exchange.take_profit_fill, TakeProfitFillRule::kTouch);
  EXPECT_TRUE(s.exchange.volume_participation_percent.IsZero());
  EXPECT_FALSE(s.exchange.reject_immediate_trigger);
  EXPECT_EQ(s.exchange.entry_latency_seconds, 0);
  EXPECT_EQ(s.exits.stop_loss_percent, Decimal::FromInt(3));
  EXPECT_EQ(s.exits.trailing_stop_percent, Decimal::FromInt(2));
  EXPECT_EQ(s.exits.trailing_activation, TrailingActivation::kAfterTp1);
  EXPECT_EQ(Show(s.exits.take_profit_percents), "[3,5,8]");
  EXPECT_EQ(Show(s.exits.take_profit_fractions), "[33,33,34]");
  EXPECT_EQ(s.breakers.max_consecutive_losses, 0);
  EXPECT_TRUE(s.breakers.daily_max_loss.IsZero());
  EXPECT_TRUE(s.breakers.daily_max_loss_percent.IsZero());
  EXPECT_TRUE(s.breakers.max_drawdown_percent.IsZero());
  EXPECT_TRUE(s.breakers.reducing_drawdown_percent.IsZero());
  EXPECT_EQ(s.ai.analysts, std::vector<std::string>{"reference"});
  EXPECT_EQ(s.ai.min_consensus_agreements, 1);
  EXPECT_DOUBLE_EQ(s.ai.min_confidence_score, 0.50);
  EXPECT_EQ(s.ai.max_candidates, 1);
  EXPECT_FALSE(s.ai.risk_veto);  // the reference strategy has no veto
  EXPECT_EQ(s.data.symbols, std::vector<std::string>{"BTCUSDT"});
  EXPECT_EQ(s.backtest.from, "2021-01-01");
  EXPECT_EQ(s.backtest.to, "2026-06-01");
  EXPECT_EQ(s.reference.sma_period, 200);
  EXPECT_EQ(s.reference.rsi_period, 14);
  EXPECT_DOUBLE_EQ(s.reference.rsi_entry_below, 30.0);
}

TEST(ShippedConfig, BothFilesWriteEveryKey) {
  for (const char* file : {"config/osprey.toml", "config/reference.toml"}) {
    SCOPED_TRACE(file);
    const toml::table root = toml::parse_file(SourcePath(file));
    for (std::string key : KnownSettingsKeys()) {
      if (key.starts_with("exchange.symbols.SYMBOL")) key.replace(17, 6, "BTCUSDT");
      EXPECT_TRUE(root.at_path(key)) << key;
    }
  }
}

TEST(ShippedConfig, DocsTableNamesEveryKey) {
  std::ifstream in(SourcePath("docs/config.md"));
  ASSERT_TRUE(in) << "docs/config.md missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::vector<std::string> known = KnownSettingsKeys();
  for (const std::string& key : known) {
    const bool is_section = std::any_of(known.begin(), known.end(), [&](const std::string& k) {
      return k.size() > key.size() && k.starts_with(key) && k[key.size()] == '.';
    });
    if (is_section) continue;
    EXPECT_NE(text.str().find(fmt::format("`{}`", key)), std::string::npos) << key;
  }
}

TEST(ShippedConfig, TestFieldListCoversEveryKey) {
  const auto fields = Fields(Settings{});
  for (const std::string& key : ScalarKeys()) EXPECT_TRUE(fields.contains(key)) << key;
  EXPECT_EQ(fields.size(), ScalarKeys().size());
}

// ---- reading ----

TEST(SettingsLoader, AUniverseAloneGivesTheDefaults) {
  auto s = Load("");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(Fields(*s), Fields(DefaultsWithUniverse()));
  EXPECT_EQ(s->data.symbols, DefaultsWithUniverse().data.symbols);
  EXPECT_TRUE(ValidateSettings(DefaultsWithUniverse()).empty());
}

TEST(SettingsLoader, AnEmptyFileIsRefusedBecauseItTradesNothing) {
  auto s = LoadSettingsText("", "empty.toml");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message,
            "empty.toml: data.symbols: must list at least one symbol, e.g. [\"BTCUSDT\"]");
}

TEST(SettingsLoader, EachKeyOverridesOneField) {
  auto s = Load("[exits]\nstop_loss_percent = 4\n");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  auto fields = Fields(*s);
  auto defaults = Fields(DefaultsWithUniverse());
  EXPECT_EQ(fields.at("exits.stop_loss_percent"), "4");
  fields.erase("exits.stop_loss_percent");
  defaults.erase("exits.stop_loss_percent");
  EXPECT_EQ(fields, defaults);
}

TEST(SettingsLoader, DecimalFromFloatIsExact) {
  auto s = Load(
      "[exchange]\nfee_percent = 0.1\nslippage_percent = \"0.07\"\n"
      "[capital]\nstarting_capital = 2500\n"
      "[exits]\ntake_profit_percents = [1.1, \"2.2\", 3]\ntake_profit_fractions = [33.3, 33.3, "
      "33.4]\n");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->exchange.fee_percent, Dec("0.1"));
  EXPECT_EQ(s->exchange.fee_percent.raw(), Decimal::kOne / 10);
  EXPECT_EQ(s->exchange.slippage_percent, Dec("0.07"));
  EXPECT_EQ(s->capital.starting_capital, Decimal::FromInt(2500));
  EXPECT_EQ(Show(s->exits.take_profit_percents), "[1.1,2.2,3]");
  EXPECT_EQ(Show(s->exits.take_profit_fractions), "[33.3,33.3,33.4]");
}

TEST(SettingsLoader, MinConfidenceScoreIsWrittenInPercent) {
  auto s = Load("[ai]\nmin_confidence_score = 85.5\n");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_DOUBLE_EQ(s->ai.min_confidence_score, 0.855);
  auto d = Load("[ai]\nmin_confidence_score = 70\n");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->ai.min_confidence_score, 0.70);
}

TEST(SettingsLoader, ReadsEveryEnumValue) {
  auto backtest = Load("mode = \"backtest\"\n");
  ASSERT_TRUE(backtest.has_value()) << backtest.error().message;
  EXPECT_EQ(backtest->mode, Mode::kBacktest);
  // The other modes parse but are refused until their adapters exist.
  for (auto [text, mode] :
       {std::pair{"paper", Mode::kPaper}, {"testnet", Mode::kTestnet}, {"live", Mode::kLive}}) {
    auto s = Load(fmt::format("mode = \"{}\"\n", text));
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code, ErrorCode::kConfig);
    EXPECT_NE(s.error().message.find("mode: \"" + std::string(text) + "\" is not available"),
              std::string::npos);
    EXPECT_EQ(ModeName(mode), text);
  }
  auto s = Load(
      "[risk]\nsizing = \"fixed_fraction\"\nfixed_fraction_percent = 5\n"
      "[exits]\ntrailing_activation = \"immediate\"\n"
      "[exchange]\nentry_fee_asset = \"base\"\ngap_fill = \"level\"\n"
      "take_profit_fill = \"touch\"\nvolume_participation_percent = \"2.5\"\n"
      "reject_immediate_trigger = false\nentry_latency_seconds = 5\n");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->risk.sizing, SizingMode::kFixedFraction);
  EXPECT_EQ(s->exits.trailing_activation, TrailingActivation::kImmediate);
  EXPECT_EQ(s->exchange.entry_fee_asset, FeeAsset::kBase);
  EXPECT_EQ(s->exchange.gap_fill, GapFill::kLevel);
  EXPECT_EQ(s->exchange.take_profit_fill, TakeProfitFillRule::kTouch);
  EXPECT_EQ(s->exchange.volume_participation_percent, Dec("2.5"));
  EXPECT_FALSE(s->exchange.reject_immediate_trigger);
  EXPECT_EQ(s->exchange.entry_latency_seconds, 5);
}

TEST(SettingsLoader, BacktestDatesMayBeTomlDates) {
  auto s = Load("[backtest]\nfrom = 2022-03-04\nto = \"2023-01-01\"\n");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->backtest.from, "2022-03-04");
  EXPECT_EQ(s->backtest.to, "2023-01-01");
}

TEST(SettingsLoader, ZeroSwitchesCircuitBreakersOff) {
  auto s = Load(
      "[circuit_breakers]\nmax_consecutive_losses = 0\ndaily_max_loss = 0\n"
      "daily_max_loss_percent = 0\nmax_drawdown_percent = 0\nreducing_drawdown_percent = 0\n");
  ASSERT_TRUE(s.has_value()) << s.error().message;
}

TEST(SettingsLoader, SymbolNamedLikeASecretIsNotASecret) {
  auto s = Load("[exchange.symbols.KEYUSDT]\nbase_asset = \"KEY\"\nquote_asset = \"USDT\"\n");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_TRUE(s->exchange.symbols.contains("KEYUSDT"));
}

TEST(SettingsLoader, MissingFileIsNotFound) {
  auto s = LoadSettingsFile("/nonexistent/osprey.toml");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_NE(s.error().message.find("/nonexistent/osprey.toml"), std::string::npos);
}

TEST(SettingsLoader, DirectoryIsNotASettingsFile) {
  auto s = LoadSettingsFile(SourcePath("config"));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("is a directory"), std::string::npos) << s.error().message;
}

TEST(SettingsLoader, OnlyRegularFilesAreReadAndNothingBlocks) {
  // A FIFO without a writer would block an ifstream forever; /dev/zero would never end.
  const std::string fifo =
      testing::TempDir() + "osprey_settings_fifo_" + std::to_string(::getpid());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto s = LoadSettingsFile(fifo);
  std::remove(fifo.c_str());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("FIFO"), std::string::npos) << s.error().message;
  for (const char* device : {"/dev/zero", "/dev/null"}) {
    auto d = LoadSettingsFile(device);
    ASSERT_FALSE(d.has_value()) << device;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument) << device;
    EXPECT_NE(d.error().message.find("character device"), std::string::npos) << d.error().message;
  }
}

TEST(SettingsLoader, AFileLargerThanTheLimitIsRefusedUnread) {
  const std::string path = testing::TempDir() + "osprey_settings_big_" + std::to_string(::getpid());
  {
    std::ofstream out(path);
    out << "# " << std::string(kMaxSettingsFileBytes, 'x') << "\n";
  }
  auto s = LoadSettingsFile(path);
  std::remove(path.c_str());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  EXPECT_NE(s.error().message.find("more than the limit of 1048576"), std::string::npos)
      << s.error().message;
}

TEST(SettingsLoader, TooManySymbolTablesAreRefusedWithoutReadingThem) {
  std::string text;
  for (std::size_t i = 0; i <= kMaxSymbolTables; ++i) {
    text += fmt::format("[exchange.symbols.S{}USDT]\nbase_asset = \"S{}\"\n", i, i);
  }
  auto s = LoadSettingsText(text, "many.toml");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("many.toml: exchange.symbols: holds 5001 symbol tables, at "
                                   "most 5000"),
            std::string::npos)
      << s.error().message.substr(0, 300);
}

TEST(SettingsLoader, TheLargestAllowedSymbolListLoads) {
  // 5000 tables, each with every filter, and all of them in the universe: the loader is linear
  // in the number of tables (bench/config_bench measures it), so this stays quick.
  std::string text = "[data]\nsymbols = [";
  for (std::size_t i = 0; i < kMaxSymbolTables; ++i) text += fmt::format("\"S{}USDT\",", i);
  text += "]\n";
  for (std::size_t i = 0; i < kMaxSymbolTables; ++i) {
    text += fmt::format(
        "[exchange.symbols.S{}USDT]\nbase_asset = \"S{}\"\nquote_asset = \"USDT\"\n"
        "tick_size = \"0.01\"\nstep_size = \"0.001\"\nmin_qty = \"0.001\"\n"
        "max_qty = \"1000\"\nmin_notional = \"5\"\n",
        i, i);
  }
  auto s = LoadSettingsText(text, "big.toml");
  ASSERT_TRUE(s.has_value()) << s.error().message.substr(0, 300);
  EXPECT_EQ(s->exchange.symbols.size(), kMaxSymbolTables);
  EXPECT_EQ(s->data.symbols.size(), kMaxSymbolTables);
}

TEST(SettingsErrors, EachProblemIsOneLineEvenWhenTheFileQuotesANewline) {
  // Found by fuzz/settings_fuzz: a newline inside a quoted value, copied into the reason, started
  // a line without the file's name, and could forge a whole problem line.
  for (const char* text :
       {"mode = \"a\\nb\"", "[risk]\nsizing = \"fixe\\nd_fraction\"", "\"x\\ny\" = 1",
        "[capital]\nstarting_capital = \"1\\n2\"", "[capital]\naccount_currency = \"US\\nDT\"",
        "mode = fal\n", "[risk]\nsizing = \"x\\ntest.toml: mode: forged\""}) {
    auto s = Load(text);
    ASSERT_FALSE(s.has_value()) << text;
    for (const std::string& line : Lines(s.error().message)) {
      EXPECT_TRUE(line.starts_with("test.toml")) << text << "\n" << s.error().message;
    }
  }
  auto escaped = Load("mode = \"a\\nb\"");
  EXPECT_NE(escaped.error().message.find("got \"a\\nb\""), std::string::npos)
      << escaped.error().message;
}

TEST(SettingsErrors, AtMostTwoHundredProblemsAreListedThenCounted) {
  std::string text = "[risk]\n";
  for (int i = 0; i < 300; ++i) text += fmt::format("unknown_{} = 1\n", i);
  auto s = Load(text);
  ASSERT_FALSE(s.has_value());
  const auto lines = Lines(s.error().message);
  ASSERT_EQ(lines.size(), kMaxReportedIssues + 1);
  EXPECT_EQ(lines.back(), "test.toml: ... and 100 more problems");
}

TEST(SettingsLoader, SyntaxErrorNamesLineAndColumn) {
  auto s = Load("mode = \"backtest\"\n[exits\nstop_loss_percent = 3\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  EXPECT_TRUE(s.error().message.starts_with("test.toml:2:")) << s.error().message;
  EXPECT_NE(s.error().message.find("syntax"), std::string::npos);
}

// ---- errors ----

TEST(SettingsErrors, MessageHasSourceKeyAndReason) {
  auto s = Load("[exits]\ntake_profit_percents = [3, 8, 5]\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  EXPECT_EQ(s.error().message,
            "test.toml: exits.take_profit_percents: levels must be strictly ascending, got "
            "[3, 8, 5]");
}

TEST(SettingsErrors, CollectsEveryProblemAtOnce) {
  auto s = Load(
      "mode = \"yolo\"\n"
      "[exits]\nstop_loss_pct = 3\ntrailing_stop_percent = 0\n"
      "[technical]\nmacd_fast = 30\n"
      "[risk]\nedge_window_trades = \"many\"\n"
      "[backtest]\nfrom = \"2026-01-01\"\nto = \"2025-01-01\"\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  const auto lines = Lines(s.error().message);
  ASSERT_EQ(lines.size(), 6U) << s.error().message;
  for (const std::string& line : lines) EXPECT_TRUE(line.starts_with("test.toml: ")) << line;
  const std::string& m = s.error().message;
  for (const char* key : {"mode:", "exits.stop_loss_pct:", "exits.trailing_stop_percent:",
                          "technical.macd_fast:", "risk.edge_window_trades:", "backtest.from:"}) {
    EXPECT_NE(m.find(key), std::string::npos) << key;
  }
}

TEST(SettingsErrors, RuleOnAKeyThatFailedToLoadIsNotReportedTwice) {
  // The fractions fail to load; the length rule would otherwise compare with the defaults.
  auto s = Load("[exits]\ntake_profit_percents = [2, 4]\ntake_profit_fractions = \"50,50\"\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message,
            "test.toml: exits.take_profit_fractions: expected array of numbers, got string");
}

TEST(SettingsErrors, UnknownKeySuggestsTheClosestKey) {
  auto s = Load("[exits]\nstop_loss_pct = 3\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message,
            "test.toml: exits.stop_loss_pct: unknown key; did you mean exits.stop_loss_percent?");
}

TEST(SettingsErrors, KeyInTheWrongSectionPointsToItsSection) {
  auto s = Load("[risk]\nstop_loss_percent = 3\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message,
            "test.toml: risk.stop_loss_percent: unknown key; did you mean "
            "exits.stop_loss_percent?");
}

TEST(SettingsErrors, UnknownSectionIsNamed) {
  auto s = Load("[circuit_breaker]\nmax_drawdown_percent = 10\n[nonsense]\nx = 1\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message,
            "test.toml: circuit_breaker: unknown section; did you mean circuit_breakers?\n"
            "test.toml: nonsense: unknown section");
}

TEST(SettingsErrors, UnknownKeyWithoutCloseMatchHasNoSuggestion) {
  auto s = Load("[data]\nwhatever_this_is = 1\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message, "test.toml: data.whatever_this_is: unknown key");
}

TEST(SettingsErrors, UnknownKeyInsideASymbol) {
  auto s = Load(
      "[exchange.symbols.BTCUSDT]\nbase_asset = \"BTC\"\nquote_asset = \"USDT\"\n"
      "tick = \"0.01\"\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("exchange.symbols.BTCUSDT.tick: unknown key; did you mean "
                                   "exchange.symbols.BTCUSDT.tick_size?"),
            std::string::npos)
      << s.error().message;
}

// ---- secrets ----

TEST(SettingsSecrets, SecretKeyIsRefusedWithoutShowingItsValue) {
  const std::string value = "sk-VERY-SECRET-0123456789";
  auto s =
      Load(fmt::format("binance_api_key = \"{}\"\n[exchange]\napi_secret = \"{}\"\n"
                       "[telegram]\nbot_token = \"{}\"\n[[accounts]]\npassword = \"{}\"\n",
                       value, value, value, value));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  const std::string& m = s.error().message;
  EXPECT_EQ(m.find("VERY-SECRET"), std::string::npos) << m;
  EXPECT_NE(m.find("test.toml: binance_api_key: looks like a secret"), std::string::npos) << m;
  EXPECT_NE(m.find("OSPREY_BINANCE_API_KEY"), std::string::npos) << m;
  EXPECT_NE(m.find("exchange.api_secret:"), std::string::npos) << m;
  EXPECT_NE(m.find("telegram.bot_token:"), std::string::npos) << m;
  EXPECT_NE(m.find("accounts[0].password:"), std::string::npos) << m;
  EXPECT_NE(m.find(".env"), std::string::npos) << m;
  // Sections holding only secrets are still unknown sections.
  EXPECT_NE(m.find("test.toml: telegram: unknown section"), std::string::npos) << m;
}

TEST(SettingsSecrets, ASecretLookingValueInAnOrdinaryKeyIsNeverEchoed) {
  const std::string secret = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123";
  for (const std::string& text :
       {fmt::format("mode = \"{}\"", secret), fmt::format("[ai]\nanalysts = [\"{}\"]", secret),
        fmt::format("[capital]\nstarting_capital = \"{}\"", secret),
        fmt::format("[capital]\naccount_currency = \"{}\"", secret),
        fmt::format("[data]\nsymbols = [\"{}\"]", secret),
        fmt::format("[risk]\nsizing = \"{}\"", secret)}) {
    auto s = Load(text);
    ASSERT_FALSE(s.has_value()) << text;
    EXPECT_EQ(s.error().message.find("AbCdEf"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("secret"), std::string::npos) << s.error().message;
  }
  auto unquoted = Load(fmt::format("mode = {}", secret));  // a syntax error
  ASSERT_FALSE(unquoted.has_value());
  EXPECT_EQ(unquoted.error().message.find("AbCdEf"), std::string::npos) << unquoted.error().message;
}

TEST(SettingsSecrets, SecretOnALineWithASyntaxErrorIsWithheld) {
  auto s = Load("[exchange]\nbinance_api_secret = VERY-SECRET-abc\n");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message.find("VERY-SECRET"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("test.toml:2:"), std::string::npos) << s.error().message;
}

// ---- one test per rule ----

struct RuleCase {
  const char* name;
  const char* toml;
  const char* key;     // the dotted key the single error names
  const char* reason;  // a fragment of the reason
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class SettingsRule : public testing::TestWithParam<RuleCase> {};

TEST_P(SettingsRule, IsReportedAsTheOnlyError) {
  const RuleCase& c = GetParam();
  auto s = Load(c.toml);
  ASSERT_FALSE(s.has_value()) << "accepted:\n" << c.toml;
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  const auto lines = Lines(s.error().message);
  ASSERT_EQ(lines.size(), 1U) << s.error().message;
  const std::string prefix = fmt::format("test.toml: {}: ", c.key);
  EXPECT_TRUE(lines[0].starts_with(prefix)) << lines[0];
  EXPECT_NE(lines[0].find(c.reason), std::string::npos) << lines[0];
}

const RuleCase kRules[] = {
    // types and syntax of values
    {"ModeUnknown", "mode = \"yolo\"", "mode",
     "must be one of \"backtest\", \"paper\", \"testnet\", \"live\", got \"yolo\""},
    {"ModeNotString", "mode = 1", "mode", "expected string, got integer"},
    {"SectionNotTable", "capital = 5", "capital", "expected table, got integer"},
    {"DecimalWrongType", "[capital]\nstarting_capital = true", "capital.starting_capital",
     "expected a number or a decimal string (e.g. \"0.01\"), got boolean"},
    {"DecimalBadString", "[capital]\nstarting_capital = \"12abc\"", "capital.starting_capital",
     "invalid decimal '12abc'"},
    {"DecimalTooPrecise", "[exchange]\nfee_percent = \"0.0000000000001\"", "exchange.fee_percent",
     "invalid decimal"},
    {"IntegerGivenFloat", "[positions]\nmax_concurrent_positions = 2.5",
     "positions.max_concurrent_positions", "expected integer, got float"},
    {"IntegerTooLarge", "[risk]\nedge_prior_trades = 99999999999", "risk.edge_prior_trades",
     "too large"},
    {"NumberGivenString", "[risk]\nkelly_multiplier = \"half\"", "risk.kelly_multiplier",
     "expected number, got string"},
    {"BooleanGivenString", "[exchange]\nuse_minute_candles = \"yes\"",
     "exchange.use_minute_candles", "expected boolean (true or false), got string"},
    {"StringGivenInteger", "[data]\ndir = 5", "data.dir", "expected string, got integer"},
    {"ArrayElementWrongType", "[exits]\ntake_profit_percents = [3, 5, true]",
     "exits.take_profit_percents", "element 3: expected a number or a decimal string"},
    {"StringArrayElementWrongType", "[data]\nsymbols = [\"BTCUSDT\", 5]", "data.symbols",
     "element 2: expected string, got integer"},
    {"DateWrongType", "[backtest]\nfrom = 2024", "backtest.from", "expected date"},
    {"UnknownKey", "[timing]\nanalysis_interval = 30", "timing.analysis_interval",
     "unknown key; did you mean timing.analysis_interval_minutes?"},
    {"UnknownTopLevelKey", "modes = \"paper\"", "modes", "unknown key; did you mean mode?"},
    // capital
    {"StartingCapitalZero", "[capital]\nstarting_capital = 0", "capital.starting_capital",
     "must be in (0, 1000000000000], got 0"},
    {"StartingCapitalHuge", "[capital]\nstarting_capital = 1e25", "capital.starting_capital",
     "must be in (0, 1000000000000], got 10000000000000000905969664"},
    {"StartingCapitalNan", "[capital]\nstarting_capital = nan", "capital.starting_capital",
     "must be a finite number, got nan"},
    {"AccountCurrencyLowerCase", "[capital]\naccount_currency = \"usdt\"",
     "capital.account_currency", "upper-case"},
    // risk
    {"RiskPerTradeZero", "[risk]\nrisk_per_trade_percent = 0", "risk.risk_per_trade_percent",
     "must be in (0, 100], got 0"},
    {"RiskPerTradeAbove100", "[risk]\nrisk_per_trade_percent = 101", "risk.risk_per_trade_percent",
     "must be in (0, 100], got 101"},
    {"SizingUnknown", "[risk]\nsizing = \"martingale\"", "risk.sizing",
     "must be one of \"kelly\", \"fixed_fraction\", got \"martingale\""},
    {"FixedFractionZero", "[risk]\nfixed_fraction_percent = 0", "risk.fixed_fraction_percent",
     "must be in (0, 100]"},
    {"HeatCapBelowRiskPerTrade", "[positions]\nmax_position_exposure_percent = 1",
     "positions.max_position_exposure_percent",
     "1% (the most all open positions may lose together) is below risk.risk_per_trade_percent "
     "(2%)"},
    {"KellyMultiplierAboveOne", "[risk]\nkelly_multiplier = 1.5", "risk.kelly_multiplier",
     "must be in (0, 1], got 1.5"},
    {"EdgeWindowZero", "[risk]\nedge_window_trades = 0", "risk.edge_window_trades",
     "must be in [1, 10000], got 0"},
    {"EdgePriorTradesAbove10000", "[risk]\nedge_prior_trades = 10001", "risk.edge_prior_trades",
     "must be in [1, 10000], got 10001"},
    {"RemovedKellyMinTrades", "[risk]\nkelly_min_trades = 20", "risk.kelly_min_trades",
     "unknown key"},
    {"CapNotionalGivenNumber", "[positions]\ncap_notional_at_equity_share = 1",
     "positions.cap_notional_at_equity_share", "expected boolean"},
    {"KellyMultiplierNan", "[risk]\nkelly_multiplier = nan", "risk.kelly_multiplier",
     "must be a finite number, got nan"},
    {"KellyPriorWinRateInf", "[risk]\nkelly_prior_win_rate = inf", "risk.kelly_prior_win_rate",
     "must be a finite number, got inf"},
    {"KellyPriorPayoffMinusInf", "[risk]\nkelly_prior_payoff = -inf", "risk.kelly_prior_payoff",
     "must be a finite number, got -inf"},
    {"KellyPriorWinRateOne", "[risk]\nkelly_prior_win_rate = 1", "risk.kelly_prior_win_rate",
     "must be in (0, 1), got 1"},
    {"KellyPriorPayoffZero", "[risk]\nkelly_prior_payoff = 0", "risk.kelly_prior_payoff",
     "must be in (0, 100], got 0"},
    // positions
    {"MaxConcurrentPositionsZero", "[positions]\nmax_concurrent_positions = 0",
     "positions.max_concurrent_positions", "must be in [1, 100], got 0"},
    {"ExposureAbove100", "[positions]\nmax_position_exposure_percent = 150",
     "positions.max_position_exposure_percent", "must be in (0, 100], got 150"},
    {"MinMarketCapNegative", "[positions]\nmin_market_cap_usd = -1", "positions.min_market_cap_usd",
     "must be in [0, 1000000000000000], got -1"},
    // exits
    {"StopLossZero", "[exits]\nstop_loss_percent = 0", "exits.stop_loss_percent",
     "must be in (0, 100), got 0"},
    {"StopLoss100", "[exits]\nstop_loss_percent = 100", "exits.stop_loss_percent",
     "the stop must lie below the entry price and above zero"},
    {"TrailingStopZero", "[exits]\ntrailing_stop_percent = 0", "exits.trailing_stop_percent",
     "must be in (0, 100), got 0"},
    {"TrailingStop100", "[exits]\ntrailing_stop_percent = 100", "exits.trailing_stop_percent",
     "must be in (0, 100), got 100"},
    {"TrailingActivationUnknown", "[exits]\ntrailing_activation = \"never\"",
     "exits.trailing_activation", "must be one of \"after_tp1\", \"immediate\""},
    {"TakeProfitsEmpty", "[exits]\ntake_profit_percents = []", "exits.take_profit_percents",
     "at least one"},
    {"TakeProfitsNotAscending", "[exits]\ntake_profit_percents = [3, 8, 5]",
     "exits.take_profit_percents", "levels must be strictly ascending, got [3, 8, 5]"},
    {"TakeProfitsEqual", "[exits]\ntake_profit_percents = [3, 3, 5]", "exits.take_profit_percents",
     "strictly ascending"},
    {"TakeProfitNotPositive", "[exits]\ntake_profit_percents = [-1, 5, 8]",
     "exits.take_profit_percents", "levels must be in (0, 1000] percent"},
    {"TakeProfitsTooMany",
     "[exits]\ntake_profit_percents = [1,2,3,4,5,6,7,8,9,10,11]\n"
     "take_profit_fractions = [10,10,10,10,10,10,10,10,10,5,5]",
     "exits.take_profit_percents", "lists 11 levels, at most 10"},
    {"FractionsDoNotSumTo100", "[exits]\ntake_profit_fractions = [33, 33, 33]",
     "exits.take_profit_fractions",
     "must sum to exactly 100 (percent of the position), got "
     "[33, 33, 33] = 99"},
    {"FractionsNearly100", "[exits]\ntake_profit_fractions = [33.3, 33.3, 33.3]",
     "exits.take_profit_fractions", "= 99.9"},
    {"FractionZero", "[exits]\ntake_profit_fractions = [0, 50, 50]", "exits.take_profit_fractions",
     "each fraction must be in (0, 100]"},
    {"FractionsLengthDiffers", "[exits]\ntake_profit_fractions = [50, 50]",
     "exits.take_profit_fractions", "has 2 entries but exits.take_profit_percents has 3"},
    {"FractionsEmpty", "[exits]\ntake_profit_fractions = []", "exits.take_profit_fractions",
     "share of the position"},
    // circuit breakers
    {"ConsecutiveLossesNegative", "[circuit_breakers]\nmax_consecutive_losses = -1",
     "circuit_breakers.max_consecutive_losses", "must be in [0, 1000], got -1 (0 switches it off)"},
    {"PauseHoursNegative", "[circuit_breakers]\nconsecutive_loss_pause_hours = -2",
     "circuit_breakers.consecutive_loss_pause_hours", "must be in [0, 8760]"},
    {"DailyMaxLossNegative", "[circuit_breakers]\ndaily_max_loss = -100",
     "circuit_breakers.daily_max_loss", "must be in [0, 1000000000000]"},
    {"DailyMaxLossPercent100", "[circuit_breakers]\ndaily_max_loss_percent = 100",
     "circuit_breakers.daily_max_loss_percent", "must be in [0, 100), got 100"},
    {"MaxDrawdown100", "[circuit_breakers]\nmax_drawdown_percent = 100",
     "circuit_breakers.max_drawdown_percent", "must be in [0, 100)"},
    {"ReducingDrawdownNegative", "[circuit_breakers]\nreducing_drawdown_percent = -1",
     "circuit_breakers.reducing_drawdown_percent", "must be in [0, 100)"},
    {"ReducingNotBelowMaxDrawdown", "[circuit_breakers]\nreducing_drawdown_percent = 15",
     "circuit_breakers.reducing_drawdown_percent",
     "must be below circuit_breakers.max_drawdown_percent (15)"},
    {"ReducingSizeFactorZero", "[circuit_breakers]\nreducing_size_factor = 0",
     "circuit_breakers.reducing_size_factor", "must be in (0, 1], got 0"},
    {"DayStartOffsetFullDay", "[circuit_breakers]\nday_start_offset_minutes = 1440",
     "circuit_breakers.day_start_offset_minutes", "must be in (-1440, 1440), got 1440"},
    // ai
    {"MinConfidenceAbove100", "[ai]\nmin_confidence_score = 101", "ai.min_confidence_score",
     "must be in [0, 100] percent, got 101"},
    {"MinConfidenceNegative", "[ai]\nmin_confidence_score = -5", "ai.min_confidence_score",
     "got -5"},
    {"MinConfidenceWrittenAsFraction", "[ai]\nmin_confidence_score = 0.7",
     "ai.min_confidence_score", "is written in percent (70 means 70%), got 0.7; did you mean 70?"},
    {"MinConfidenceNan", "[ai]\nmin_confidence_score = nan", "ai.min_confidence_score",
     "must be a finite number, got nan"},
    {"MinConsensusZero", "[ai]\nmin_consensus_agreements = 0", "ai.min_consensus_agreements",
     "must be in [1, 100], got 0"},
    {"MaxCandidatesZero", "[ai]\nmax_candidates = 0", "ai.max_candidates", "must be in [1, 100]"},
    {"AnalystTimeoutZero", "[ai]\nanalyst_timeout_seconds = 0", "ai.analyst_timeout_seconds",
     "must be in [1, 600], got 0"},
    {"AnalystTimeoutAboveTenMinutes", "[ai]\nanalyst_timeout_seconds = 601",
     "ai.analyst_timeout_seconds", "must be in [1, 600], got 601"},
    {"RiskVetoGivenString", "[ai]\nrisk_veto = \"no\"", "ai.risk_veto",
     "expected boolean (true or false), got string"},
    {"ClaudeModelEmpty", "[ai]\nclaude_model = \"\"", "ai.claude_model", "must not be empty"},
    {"AnalystsEmpty", "[ai]\nanalysts = []", "ai.analysts", "at least one analyst"},
    {"AnalystUnknown", "[ai]\nanalysts = [\"technical\", \"gpt\"]", "ai.analysts",
     "unknown analyst \"gpt\"; known: \"technical\", \"reference\""},
    {"AnalystTwice", "[ai]\nanalysts = [\"reference\", \"reference\"]", "ai.analysts",
     "listed twice"},
    // technical
    {"RsiMinNotBelowMax", "[technical]\nrsi_min = 70", "technical.rsi_min",
     "must be below technical.rsi_max (70), got 70"},
    {"RsiMaxAbove100", "[technical]\nrsi_max = 120", "technical.rsi_max",
     "must be in [0, 100], got 120"},
    {"MacdFastNotBelowSlow", "[technical]\nmacd_fast = 26", "technical.macd_fast",
     "must be below technical.macd_slow (26), got 26"},
    {"MacdSignalZero", "[technical]\nmacd_signal = 0", "technical.macd_signal",
     "must be in [1, 5000]"},
    {"MacdSignalIntMax", "[technical]\nmacd_signal = 2147483647", "technical.macd_signal",
     "must be in [1, 5000], got 2147483647"},
    {"MacdSlowIntMax", "[technical]\nmacd_slow = 2147483647", "technical.macd_slow",
     "must be in [1, 5000], got 2147483647"},
    {"RsiPeriodIntMax", "[technical]\nrsi_period = 2147483647", "technical.rsi_period",
     "must be in [1, 5000]"},
    {"AtrPeriodIntMax", "[technical]\natr_period = 2147483647", "technical.atr_period",
     "must be in [1, 5000]"},
    {"TrendSmaIntMax", "[technical]\ntrend_sma_period = 2147483647", "technical.trend_sma_period",
     "must be in [1, 5000], got 2147483647"},
    {"TrendSmaHalfBillion", "[technical]\ntrend_sma_period = 500000000",
     "technical.trend_sma_period", "must be in [1, 5000], got 500000000"},
    {"BbStddevNan", "[technical]\nbb_stddev = nan", "technical.bb_stddev",
     "must be a finite number, got nan"},
    {"RsiMinNan", "[technical]\nrsi_min = nan", "technical.rsi_min", "must be a finite number"},
    {"RsiMaxInf", "[technical]\nrsi_max = inf", "technical.rsi_max", "must be a finite number"},
    {"VolumeSurgeNan", "[technical]\nvolume_surge_ratio = nan", "technical.volume_surge_ratio",
     "must be a finite number"},
    {"MinMomentumInf", "[technical]\nmin_momentum_percent = inf", "technical.min_momentum_percent",
     "must be a finite number"},
    {"MaxAtrNan", "[technical]\nmax_atr_percent = nan", "technical.max_atr_percent",
     "must be a finite number"},
    {"MomentumLookbackZero", "[technical]\nmomentum_lookback_hours = 0",
     "technical.momentum_lookback_hours", "must be in [1, 8760]"},
    {"MinMomentumNegative", "[technical]\nmin_momentum_percent = -1",
     "technical.min_momentum_percent", "must be in [0, 1000]"},
    {"VolumeLookbackZero", "[technical]\nvolume_lookback_hours = 0",
     "technical.volume_lookback_hours", "must be in [1, 8760]"},
    {"VolumeSurgeZero", "[technical]\nvolume_surge_ratio = 0", "technical.volume_surge_ratio",
     "must be in (0, 1000]"},
    {"RsiPeriodZero", "[technical]\nrsi_period = 0", "technical.rsi_period",
     "must be in [1, 5000]"},
    {"BbPeriodZero", "[technical]\nbb_period = 0", "technical.bb_period", "must be in [1, 5000]"},
    {"BbStddevZero", "[technical]\nbb_stddev = 0", "technical.bb_stddev", "must be in (0, 10]"},
    {"AtrPeriodZero", "[technical]\natr_period = 0", "technical.atr_period",
     "must be in [1, 5000]"},
    {"MaxAtrZero", "[technical]\nmax_atr_percent = 0", "technical.max_atr_percent",
     "must be in (0, 100]"},
    {"TrendSmaZero", "[technical]\ntrend_sma_period = 0", "technical.trend_sma_period",
     "must be in [1, 5000]"},
    // reference
    {"ReferenceSmaZero", "[reference]\nsma_period = 0", "reference.sma_period",
     "must be in [1, 5000]"},
    {"ReferenceRsiPeriodZero", "[reference]\nrsi_period = 0", "reference.rsi_period",
     "must be in [1, 5000]"},
    {"ReferenceRsiEntryNan", "[reference]\nrsi_entry_below = nan", "reference.rsi_entry_below",
     "must be a finite number"},
    {"ReferenceRsiEntry100", "[reference]\nrsi_entry_below = 100", "reference.rsi_entry_below",
     "must be in (0, 100), got 100"},
    // timing
    {"AnalysisIntervalZero", "[timing]\nanalysis_interval_minutes = 0",
     "timing.analysis_interval_minutes", "must be in [60, 1440], got 0"},
    {"AnalysisIntervalNotWholeHours", "[timing]\nanalysis_interval_minutes = 90",
     "timing.analysis_interval_minutes", "must be a multiple of 60"},
    {"PositionCheckZero", "[timing]\nposition_check_seconds = 0", "timing.position_check_seconds",
     "must be in [1, 3600]"},
    {"HeartbeatZero", "[timing]\nheartbeat_interval_seconds = 0",
     "timing.heartbeat_interval_seconds", "must be in [1, 86400]"},
    // exchange
    {"FeeNegative", "[exchange]\nfee_percent = -0.1", "exchange.fee_percent",
     "must be in [0, 10], got -0.1"},
    {"Fee100", "[exchange]\nfee_percent = 100", "exchange.fee_percent", "must be in [0, 10]"},
    {"FeeTooPreciseAsFloat", "[exchange]\nfee_percent = 0.0000000000001", "exchange.fee_percent",
     "more than 12 decimal places"},
    {"SlippageNegative", "[exchange]\nslippage_percent = -1", "exchange.slippage_percent",
     "must be in [0, 10]"},
    {"EntryFeeAssetUnknown", "[exchange]\nentry_fee_asset = \"bnb\"", "exchange.entry_fee_asset",
     "must be one of \"quote\", \"base\", got \"bnb\""},
    {"GapFillUnknown", "[exchange]\ngap_fill = \"close\"", "exchange.gap_fill",
     "must be one of \"open\", \"level\""},
    {"TakeProfitFillUnknown", "[exchange]\ntake_profit_fill = \"near\"",
     "exchange.take_profit_fill", "must be one of \"through\", \"touch\""},
    {"ParticipationNegative", "[exchange]\nvolume_participation_percent = -1",
     "exchange.volume_participation_percent", "must be in [0, 100], got -1"},
    {"ParticipationOver100", "[exchange]\nvolume_participation_percent = 101",
     "exchange.volume_participation_percent", "must be in [0, 100]"},
    {"LatencyNegative", "[exchange]\nentry_latency_seconds = -1", "exchange.entry_latency_seconds",
     "must be in [0, 3600], got -1"},
    {"LatencyOverAnHour", "[exchange]\nentry_latency_seconds = 3601",
     "exchange.entry_latency_seconds", "must be in [0, 3600]"},
    {"RejectImmediateTriggerNotBool", "[exchange]\nreject_immediate_trigger = 1",
     "exchange.reject_immediate_trigger", "expected boolean"},
    {"SymbolKeyNotUpperCase",
     "[exchange.symbols.btcusdt]\nbase_asset = \"btc\"\nquote_asset = \"usdt\"",
     "exchange.symbols.btcusdt", "upper-case letters and digits"},
    {"SymbolNotATable", "[exchange.symbols]\nBTCUSDT = 5", "exchange.symbols.BTCUSDT",
     "expected table, got integer"},
    {"SymbolFilterNegative",
     "[exchange.symbols.BTCUSDT]\nbase_asset = \"BTC\"\nquote_asset = \"USDT\"\n"
     "tick_size = \"-0.01\"",
     "exchange.symbols.BTCUSDT.tick_size", "must be in [0, 1000000], got -0.01 (0 means no rule)"},
    {"SymbolMinNotionalHuge",
     "[exchange.symbols.BTCUSDT]\nbase_asset = \"BTC\"\nquote_asset = \"USDT\"\n"
     "min_notional = 1e20",
     "exchange.symbols.BTCUSDT.min_notional", "must be in [0, 1000000000000]"},
    {"SymbolMinQtyAboveMaxQty",
     "[exchange.symbols.BTCUSDT]\nbase_asset = \"BTC\"\nquote_asset = \"USDT\"\n"
     "min_qty = \"10\"\nmax_qty = \"1\"",
     "exchange.symbols.BTCUSDT.min_qty", "must not exceed max_qty (1), got 10"},
    {"SymbolBaseAssetMissing", "[exchange.symbols.BTCUSDT]\nquote_asset = \"USDT\"",
     "exchange.symbols.BTCUSDT.base_asset", "must be set"},
    {"SymbolAssetsDoNotSpellSymbol",
     "[exchange.symbols.BTCUSDT]\nbase_asset = \"ETH\"\nquote_asset = \"USDT\"",
     "exchange.symbols.BTCUSDT", "base_asset \"ETH\" + quote_asset \"USDT\" does not spell"},
    // data
    {"DataDirEmpty", "[data]\ndir = \"\"", "data.dir", "must not be empty"},
    {"DataSymbolDuplicate", "[data]\nsymbols = [\"BTCUSDT\", \"BTCUSDT\"]", "data.symbols",
     "\"BTCUSDT\" is listed twice"},
    {"DataSymbolBadName", "[data]\nsymbols = [\"btc-usdt\"]", "data.symbols",
     "\"btc-usdt\" is not a symbol name"},
    {"DataSymbolsEmpty", "[data]\nsymbols = []", "data.symbols", "must list at least one symbol"},
    {"DataSymbolWithoutFilters", "[data]\nsymbols = [\"BTCUSDT\", \"ETHUSDT\"]", "data.symbols",
     "\"ETHUSDT\" has no [exchange.symbols.ETHUSDT] table with its filters"},
    {"DataSymbolNotInAccountCurrency",
     "[exchange]\napply_symbol_filters = false\n[data]\nsymbols = [\"ETHBTC\"]", "data.symbols",
     "\"ETHBTC\" is not quoted in capital.account_currency \"USDT\""},
    {"DataSymbolQuotedElsewhere",
     "[data]\nsymbols = [\"ETHBTC\"]\n[exchange.symbols.ETHBTC]\nbase_asset = \"ETH\"\n"
     "quote_asset = \"BTC\"",
     "data.symbols", "\"ETHBTC\" is quoted in \"BTC\" (exchange.symbols.ETHBTC.quote_asset)"},
    // backtest
    {"BacktestFromAfterTo", "[backtest]\nfrom = \"2026-01-01\"\nto = \"2024-01-01\"",
     "backtest.from", "the period is empty: from 2026-01-01 is not before to 2024-01-01"},
    {"BacktestFromEqualsTo", "[backtest]\nfrom = \"2024-01-01\"\nto = \"2024-01-01\"",
     "backtest.from", "the period is empty"},
    {"BacktestFromNotADate", "[backtest]\nfrom = \"2024-13-01\"", "backtest.from",
     "not a UTC date"},
    {"BacktestToNotADate", "[backtest]\nto = \"soon\"", "backtest.to", "not a UTC date"},
    {"OutDirEmpty", "[backtest]\nout_dir = \"\"", "backtest.out_dir", "must not be empty"},
};

INSTANTIATE_TEST_SUITE_P(AllRules, SettingsRule, testing::ValuesIn(kRules),
                         [](const testing::TestParamInfo<RuleCase>& rule) {
                           return std::string(rule.param.name);
                         });

}  // namespace
}  // namespace osprey
