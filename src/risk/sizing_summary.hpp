#pragma once
// What a configuration means for sizing, as `osprey config check` prints it (docs/sizing.md):
// the risk and notional of a trade at the configured stop, at the starting capital, with the
// Kelly fraction of the prior; the positions opened one after another until the chain refuses
// (the heat they reach against the heat cap); the smallest equity at which a trade still passes
// the minimum notional of the most demanding configured symbol; and how many stop-outs at full
// risk each daily-loss limit needs. Every figure comes from RunEntryChain and PositionSizer run
// on the settings (entry price 100, symbol filters other than the minimum notional left out),
// not from a second formula. Pure function of the settings; thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "risk/position_sizer.hpp"
#include "risk/rejection_code.hpp"

namespace osprey {

struct SizingSummary {
  Decimal equity;                      // capital.starting_capital
  Decimal entry_price;                 // the probe's price (100)
  Decimal stop_price;                  // InitialStopPrice of it
  SizingResult first;                  // the first trade, nothing open
  std::vector<SizingResult> sequence;  // trades opened one after another (free cash shrinking)
  std::string sequence_end;            // why the sequence stopped: "MAX_POSITIONS", ...
  Decimal heat_cap;                    // max_position_exposure_percent of equity
  Decimal heat_reached;                // sum of the sequence's risks
  // Smallest equity (rounded up to a cent) at which the first trade is worth min_notional at
  // its stop; nullopt when no configured symbol has a minimum or filters are off.
  std::optional<Decimal> min_equity;
  std::string min_equity_symbol;
  Decimal min_notional;
  Decimal stop_out_loss;  // a full-risk stop-out: risk + entry fee + exit fee at the stop
  std::optional<std::int64_t> stop_outs_daily_loss;          // nullopt: limit off
  std::optional<std::int64_t> stop_outs_daily_loss_percent;  // nullopt: limit off
};

SizingSummary SummarizeSizing(const Settings& settings);
// The lines `osprey config check` prints, each ending in a newline.
std::string FormatSizingSummary(const SizingSummary& summary, const Settings& settings);

}  // namespace osprey
