#include "risk/risk_chain.hpp"

#include <fmt/format.h>

namespace osprey {
namespace {
RiskDecision Reject(RejectionCode code, std::string detail) {
  RiskDecision d;
  d.reason = code;
  d.detail = std::move(detail);
  return d;
}
}  // namespace

RiskDecision RunEntryChain(const EntryCandidate& c, const PortfolioView& p,
                           const CircuitBreakers& breakers, const PositionSizer& sizer,
                           const EdgeEstimate& edge, const Settings& settings,
                           const SymbolInfo& symbol) {
  const CircuitBreakerSettings& cb = settings.breakers;
  if (breakers.Halted()) {
    return Reject(RejectionCode::kCircuitBreaker, "halted by " + breakers.state().halt_reason);
  }
  if (p.open_positions >= settings.positions.max_concurrent_positions) {
    return Reject(RejectionCode::kMaxPositions,
                  fmt::format("{} of {} positions open", p.open_positions,
                              settings.positions.max_concurrent_positions));
  }
  if (p.holds_symbol)
    return Reject(RejectionCode::kAlreadyInPosition, c.symbol + " is already held");
  const Decimal day_loss = breakers.DayLoss(p.equity);
  if (cb.daily_max_loss.IsPositive() && day_loss >= cb.daily_max_loss) {
    return Reject(
        RejectionCode::kDailyLoss,
        fmt::format("lost {} today, limit {}", day_loss.ToFixed(2), cb.daily_max_loss.ToString()));
  }
  const Decimal day_pct = breakers.DayLossPercent(p.equity);
  if (cb.daily_max_loss_percent.IsPositive() && day_pct >= cb.daily_max_loss_percent) {
    return Reject(RejectionCode::kDailyLossPercent,
                  fmt::format("lost {}% today, limit {}%", day_pct.ToFixed(2),
                              cb.daily_max_loss_percent.ToString()));
  }
  const Decimal dd = breakers.DrawdownPercent(p.equity);
  if (cb.max_drawdown_percent.IsPositive() && dd >= cb.max_drawdown_percent) {
    return Reject(RejectionCode::kMaxDrawdown, fmt::format("drawdown {}%, limit {}%", dd.ToFixed(2),
                                                           cb.max_drawdown_percent.ToString()));
  }

  const Decimal heat_cap =
      Decimal::Div(Decimal::Mul(p.equity, settings.positions.max_position_exposure_percent),
                   Decimal::FromInt(100), Rounding::kDown);
  if (p.open_risk >= heat_cap) {
    return Reject(RejectionCode::kMaxHeat,
                  fmt::format("open risk {} at the heat cap {} ({}% of equity)",
                              p.open_risk.ToFixed(2), heat_cap.ToFixed(2),
                              settings.positions.max_position_exposure_percent.ToString()));
  }

  SizingRequest req;
  req.equity = p.equity;
  req.entry_price = c.entry_price;
  req.stop_price = c.stop_price;
  req.open_risk = p.open_risk;
  req.size_factor = breakers.SizeFactor();
  req.apply_filters = settings.exchange.apply_symbol_filters;
  req.symbol = symbol;
  SizingResult size = sizer.Size(req, edge);

  // 6. Balance: notional plus the entry fee, at the price a market buy pays after slippage, must
  // be payable; reduce the size before giving up. A balance that affords no quantity at all fails
  // here, before the stop and sizing checks, also when the sizer returned nothing (stop not below
  // entry, no edge in Kelly mode).
  const Decimal hundred = Decimal::FromInt(100);
  const Decimal one = Decimal::FromInt(1);
  const Decimal one_plus_fee =
      Decimal::Mul(one + Decimal::Div(settings.exchange.fee_percent, hundred),
                   one + Decimal::Div(settings.exchange.slippage_percent, hundred), Rounding::kUp);
  const Decimal need = Decimal::Mul(size.notional, one_plus_fee, Rounding::kUp);
  if (c.entry_price.IsPositive()) {
    const Decimal affordable = Decimal::Div(p.free_quote, one_plus_fee, Rounding::kDown);
    Decimal qty = Max(Decimal(), Decimal::Div(affordable, c.entry_price, Rounding::kDown));
    if (req.apply_filters && symbol.step_size.IsPositive()) {
      qty = qty.RoundToStep(symbol.step_size, Rounding::kDown);
    }
    if (!qty.IsPositive()) {
      return Reject(
          RejectionCode::kInsufficientBalance,
          fmt::format("need {} {}, free {} buys no {}", need.ToFixed(2),
                      settings.capital.account_currency, p.free_quote.ToFixed(2), c.symbol));
    }
    if (size.quantity.IsPositive() && need > p.free_quote) {
      size.quantity = qty;
      size.notional = Decimal::Mul(qty, c.entry_price);
      size.risk = PositionRisk(qty, c.entry_price, c.stop_price);
      size.basis += ", reduced to the free balance";
    }
  }
  if (c.stop_price >= c.entry_price) {
    return Reject(
        RejectionCode::kStopNotBelowEntry,
        fmt::format("stop {} >= entry {}", c.stop_price.ToString(), c.entry_price.ToString()));
  }
  if (!size.quantity.IsPositive()) {
    RiskDecision d = Reject(size.kelly_fraction <= 0 && settings.risk.sizing == SizingMode::kKelly
                                ? RejectionCode::kNoEdge
                                : RejectionCode::kSizeTooSmall,
                            size.basis);
    d.size = size;
    return d;
  }
  if (req.apply_filters) {
    const Decimal at_stop = Decimal::Mul(size.quantity, c.stop_price);
    if (size.quantity < symbol.min_qty || at_stop < symbol.min_notional) {
      RiskDecision d = Reject(
          RejectionCode::kSizeTooSmall,
          fmt::format("{} {} is {} at the stop, below min notional {}", size.quantity.ToString(),
                      c.symbol, at_stop.ToFixed(2), symbol.min_notional.ToString()));
      d.size = size;
      return d;
    }
  }
  RiskDecision ok;
  ok.approved = true;
  ok.size = size;
  ok.detail = DescribeSize(size, p.equity);
  return ok;
}

}  // namespace osprey
