#include "risk/sizing_summary.hpp"

#include <fmt/format.h>

#include "risk/circuit_breakers.hpp"
#include "risk/risk_chain.hpp"
#include "risk/stop_price.hpp"

namespace osprey {
namespace {
const Decimal kHundred = Decimal::FromInt(100);

std::string Pct(Decimal part, Decimal whole) {
  return Decimal::Div(Decimal::Mul(part, kHundred), whole).ToFixed(2);
}

// Smallest n with n x loss >= limit.
std::int64_t StopOutsFor(Decimal limit, Decimal loss) {
  const Decimal n = Decimal::Div(limit, loss, Rounding::kUp);
  const Decimal whole = n.RoundToStep(Decimal::FromInt(1), Rounding::kUp);
  return static_cast<std::int64_t>(whole.ToDouble());
}
}  // namespace

SizingSummary SummarizeSizing(const Settings& settings) {
  SizingSummary s;
  Settings probe = settings;
  probe.exchange.apply_symbol_filters = false;  // the probe's price has no tick or step
  s.equity = settings.capital.starting_capital;
  s.entry_price = Decimal::FromInt(100);
  s.stop_price = InitialStopPrice(s.entry_price, settings.exits.stop_loss_percent, SymbolInfo{},
                                  /*apply_filters=*/false);
  s.heat_cap =
      Decimal::Div(Decimal::Mul(s.equity, settings.positions.max_position_exposure_percent),
                   kHundred, Rounding::kDown);
  const PositionSizer sizer(settings.risk, settings.positions);
  const EdgeEstimate prior(settings.risk);
  const CircuitBreakers breakers(settings.breakers, s.equity, 0);
  const Decimal one = Decimal::FromInt(1);
  const Decimal cost_factor =
      Decimal::Mul(one + Decimal::Div(settings.exchange.fee_percent, kHundred),
                   one + Decimal::Div(settings.exchange.slippage_percent, kHundred), Rounding::kUp);
  EntryCandidate candidate{"PROBE", s.entry_price, s.stop_price, 1.0};
  PortfolioView p;
  p.equity = s.equity;
  p.free_quote = s.equity;
  for (int k = 0; k < settings.positions.max_concurrent_positions + 1; ++k) {
    p.open_positions = k;
    const RiskDecision d = RunEntryChain(candidate, p, breakers, sizer, prior, probe, SymbolInfo{});
    if (k == 0) s.first = d.size;
    if (!d.approved) {
      s.sequence_end = d.reason ? std::string(RejectionCodeName(*d.reason)) : "";
      break;
    }
    s.sequence.push_back(d.size);
    s.heat_reached += d.size.risk;
    p.open_risk += d.size.risk;
    p.free_quote -= Decimal::Mul(d.size.notional, cost_factor, Rounding::kUp);
  }
  // Minimum notional: the first trade's value at the stop scales with equity.
  const Decimal at_stop = Decimal::Mul(s.first.quantity, s.stop_price);
  if (settings.exchange.apply_symbol_filters && at_stop.IsPositive()) {
    for (const std::string& symbol : settings.data.symbols) {
      const auto it = settings.exchange.symbols.find(symbol);
      if (it == settings.exchange.symbols.end()) continue;
      if (it->second.min_notional > s.min_notional) {
        s.min_notional = it->second.min_notional;
        s.min_equity_symbol = symbol;
      }
    }
    if (s.min_notional.IsPositive()) {
      s.min_equity = Decimal::Div(Decimal::Mul(s.min_notional, s.equity), at_stop, Rounding::kUp)
                         .RoundToStep(Dec("0.01"), Rounding::kUp);
    }
  }
  // A stop-out at full risk: the risk plus the fees of both fills.
  const Decimal fee_rate = Decimal::Div(settings.exchange.fee_percent, kHundred);
  s.stop_out_loss =
      s.first.risk + Decimal::Mul(s.first.notional + at_stop, fee_rate, Rounding::kUp);
  if (s.stop_out_loss.IsPositive()) {
    const CircuitBreakerSettings& cb = settings.breakers;
    if (cb.daily_max_loss.IsPositive()) {
      s.stop_outs_daily_loss = StopOutsFor(cb.daily_max_loss, s.stop_out_loss);
    }
    if (cb.daily_max_loss_percent.IsPositive()) {
      const Decimal limit =
          Decimal::Div(Decimal::Mul(s.equity, cb.daily_max_loss_percent), kHundred);
      s.stop_outs_daily_loss_percent = StopOutsFor(limit, s.stop_out_loss);
    }
  }
  return s;
}

std::string FormatSizingSummary(const SizingSummary& s, const Settings& settings) {
  const std::string& ccy = settings.capital.account_currency;
  std::string out =
      fmt::format("sizing at the starting capital {} {}, stop {}% below entry:\n",
                  s.equity.ToString(), ccy, settings.exits.stop_loss_percent.ToString());
  out += fmt::format("  per trade: {}\n", DescribeSize(s.first, s.equity));
  Decimal notional;
  for (const SizingResult& r : s.sequence) notional += r.notional;
  out += fmt::format(
      "  heat: cap {} ({}% of equity); {} opened one after another risk {} ({}%), "
      "notional {} ({}%), then {}\n",
      s.heat_cap.ToFixed(2), settings.positions.max_position_exposure_percent.ToString(),
      s.sequence.size() == 1 ? std::string("1 position")
                             : fmt::format("{} positions", s.sequence.size()),
      s.heat_reached.ToFixed(2), Pct(s.heat_reached, s.equity), notional.ToFixed(2),
      Pct(notional, s.equity), s.sequence_end);
  if (s.min_equity) {
    out +=
        fmt::format("  smallest equity for a trade: {} {} (min notional {} of {} at the stop)\n",
                    s.min_equity->ToFixed(2), ccy, s.min_notional.ToString(), s.min_equity_symbol);
  } else {
    out += "  smallest equity for a trade: no minimum notional applies\n";
  }
  const CircuitBreakerSettings& cb = settings.breakers;
  const auto limit = [&](const std::optional<std::int64_t>& n, const std::string& name) {
    return n ? fmt::format("{} needs {} stop-outs", name, *n) : name + " is off";
  };
  out += fmt::format(
      "  daily loss limits, a stop-out at full risk losing {} with fees: {}; {}\n",
      s.stop_out_loss.ToFixed(2),
      limit(s.stop_outs_daily_loss,
            fmt::format("daily_max_loss {} {}", cb.daily_max_loss.ToString(), ccy)),
      limit(s.stop_outs_daily_loss_percent,
            fmt::format("daily_max_loss_percent {}%", cb.daily_max_loss_percent.ToString())));
  return out;
}

}  // namespace osprey
