#pragma once
// Range and consistency rules of Settings (docs/config.md lists them per key). Works on the
// struct, so it checks settings loaded from a file and settings built in code alike.
// Pure function; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"

namespace osprey {

// Bounds that keep every setting finite and every buffer and product bounded.
inline constexpr std::int64_t kMaxMoneyUnits = 1'000'000'000'000;  // 1e12 of the account currency
inline constexpr int kMaxIndicatorPeriod = 5000;                   // candles
inline constexpr std::size_t kMaxTakeProfitLevels = 10;
inline constexpr std::size_t kMaxSymbolTables = 5000;  // [exchange.symbols.*] and data.symbols
inline constexpr std::size_t kMaxSymbolLength = 20;

// One broken rule.
struct SettingsIssue {
  std::string key;     // dotted file key at fault, e.g. "exits.take_profit_percents"
  std::string reason;  // what is wrong and what was found, e.g. "must be in (0, 100), got 150"
  // Other keys a cross-field rule read; the loader drops the issue when one of them already
  // failed to load (the rule then saw a default, not what the user wrote).
  std::vector<std::string> related_keys;
};

// Every rule `settings` breaks, in file order; empty when the settings are usable.
// Zero switches a circuit breaker off and is accepted for those keys.
std::vector<SettingsIssue> ValidateSettings(const Settings& settings);

// True for a Binance-style symbol or asset name: one or more of A-Z and 0-9 ("BTCUSDT").
bool IsSymbolName(std::string_view name);

}  // namespace osprey
