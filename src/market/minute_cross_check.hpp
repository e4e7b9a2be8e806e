#pragma once
// Cross-check of a symbol's 1-minute candles against its hourly candles. The simulated exchange
// fills resting orders against the minutes of an hour when it has all sixty; minutes that do not
// belong to the hour (a file of another symbol, prices scaled by ten, a shifted clock) would fill
// orders at prices the hour never traded. Binance's own 1m and 1h bars differ slightly at a few
// hours (closes and volumes), but a minute's range always lies inside its hour's range.
// Pure function; thread-safe.

#include "core/error.hpp"
#include "market/candle_file.hpp"

namespace osprey {

// Checks that every minute whose hour is in `hours` lies inside that hour's [low, high].
// Minutes of hours missing from `hours` are not judged (nothing to compare with). Fails with
// kData naming the symbol, the minute's line in its file (row + 2: one header line, no blank
// lines), both ranges and the hour.
[[nodiscard]] Result<void> CheckMinutesWithinHours(const CandleSeries& hours,
                                                   const CandleSeries& minutes,
                                                   std::string_view minutes_path);

}  // namespace osprey
