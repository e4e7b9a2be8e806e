#include "risk/edge_estimate.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iterator>

namespace osprey {
namespace {
// Drops the oldest values so that at most `window` remain.
void KeepLast(std::vector<double>& values, int window) {
  const auto keep = static_cast<std::size_t>(window);
  if (values.size() <= keep) return;
  values.erase(values.begin(),
               std::next(values.begin(), static_cast<std::ptrdiff_t>(values.size() - keep)));
}
}  // namespace

std::optional<double> RMultiple(const TradeRecord& record) {
  const Decimal per_unit = record.entry_price - record.stop_loss;
  const Decimal risk = Decimal::Mul(record.quantity, per_unit) + record.entry_fee;
  if (!per_unit.IsPositive() || !record.quantity.IsPositive() || !risk.IsPositive()) {
    return std::nullopt;
  }
  return record.pnl.ToDouble() / risk.ToDouble();
}

EdgeEstimate::EdgeEstimate(Params params) : params_(params) {}

EdgeEstimate::EdgeEstimate(const RiskSettings& risk)
    : EdgeEstimate(Params{risk.edge_window_trades, risk.edge_prior_trades,
                          risk.kelly_prior_win_rate, risk.kelly_prior_payoff}) {}

EdgeTransition EdgeEstimate::Add(double r_multiple, TradeKind kind) {
  const bool before = NoEdge();
  state_.r_multiples.push_back(r_multiple);
  KeepLast(state_.r_multiples, params_.window);
  ++(kind == TradeKind::kShadow ? state_.shadow_trades : state_.real_trades);
  const bool after = NoEdge();
  last_transition_ = before == after ? EdgeTransition::kNone
                     : after         ? EdgeTransition::kEnteredNoEdge
                                     : EdgeTransition::kLeftNoEdge;
  return last_transition_;
}

double EdgeEstimate::WinRate() const {
  const double k = params_.prior_trades;
  double wins = 0;
  for (double r : state_.r_multiples) wins += r > 0 ? 1 : 0;
  return (k * params_.prior_win_rate + wins) / (k + static_cast<double>(state_.r_multiples.size()));
}

double EdgeEstimate::Payoff() const {
  const double k_wins = params_.prior_trades * params_.prior_win_rate;
  const double k_losses = params_.prior_trades * (1.0 - params_.prior_win_rate);
  double wins = 0;
  double win_sum = 0;
  double losses = 0;
  double loss_sum = 0;
  for (double r : state_.r_multiples) {
    if (r > 0) {
      wins += 1;
      win_sum += r;
    } else {
      losses += 1;
      loss_sum += -r;
    }
  }
  const double average_win = (k_wins * params_.prior_payoff + win_sum) / (k_wins + wins);
  const double average_loss = (k_losses + loss_sum) / (k_losses + losses);
  return average_win / average_loss;
}

double EdgeEstimate::KellyFraction() const {
  const double p = WinRate();
  return p - (1.0 - p) / Payoff();
}

std::string EdgeEstimate::Describe() const {
  if (state_.r_multiples.empty()) return "prior";
  return fmt::format("{} trades in window, {} shadow of {} ever", state_.r_multiples.size(),
                     state_.shadow_trades, state_.real_trades + state_.shadow_trades);
}

void EdgeEstimate::Restore(EdgeState state) {
  state_ = std::move(state);
  KeepLast(state_.r_multiples, params_.window);
  last_transition_ = EdgeTransition::kNone;
}

std::string EncodeEdgeState(const EdgeState& state) {
  std::string out = fmt::format("{} {};", state.real_trades, state.shadow_trades);
  for (std::size_t i = 0; i < state.r_multiples.size(); ++i) {
    if (i > 0) out += ' ';
    out += fmt::format("{}", state.r_multiples[i]);
  }
  return out;
}

Result<EdgeState> DecodeEdgeState(std::string_view text) {
  auto bad = [&](std::string_view what) {
    return Fail(ErrorCode::kParse, fmt::format("edge state '{}': {}", text.substr(0, 80), what));
  };
  const std::size_t semi = text.find(';');
  if (semi == std::string_view::npos) return bad("no ';' after the counters");
  EdgeState state;
  std::string_view head = text.substr(0, semi);
  const std::size_t space = head.find(' ');
  if (space == std::string_view::npos) return bad("expected two counters");
  auto read_int = [](std::string_view s, std::int64_t& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out >= 0;
  };
  if (!read_int(head.substr(0, space), state.real_trades) ||
      !read_int(head.substr(space + 1), state.shadow_trades)) {
    return bad("counters must be non-negative integers");
  }
  std::string_view rest = text.substr(semi + 1);
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find(' '), rest.size());
    const std::string_view token = rest.substr(0, end);
    double r = 0;
    auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), r);
    if (ec != std::errc() || p != token.data() + token.size() || !std::isfinite(r)) {
      return bad(fmt::format("'{}' is not a finite number", token));
    }
    state.r_multiples.push_back(r);
    rest = end < rest.size() ? rest.substr(end + 1) : std::string_view();
  }
  return state;
}

}  // namespace osprey
