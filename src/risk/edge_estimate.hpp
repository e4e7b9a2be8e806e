#pragma once
// EdgeEstimate: the Kelly fraction of the strategy, estimated from its most recent trades so
// that it can recover.
//
// Each closed trade is fed as its R-multiple (RMultiple below: pnl / initial risk). The estimate
// keeps the last `window` R-multiples (older ones are forgotten) and shrinks them toward a prior
// worth `prior_trades` pseudo-trades: prior_trades x prior_win_rate wins of prior_payoff R each and
// prior_trades x (1 - prior_win_rate) losses of 1 R each. So
//   p = (prior_trades x prior_win_rate + wins) / (prior_trades + n)       (a Beta prior's mean)
//   average win  = (prior_trades x prior_win_rate x prior_payoff + sum of winning R) /
//                  (prior_trades x prior_win_rate + wins)
//   average loss = (prior_trades x (1 - prior_win_rate) + sum of |losing R|) /
//                  (prior_trades x (1 - prior_win_rate) + losses)
//   b = average win / average loss,  f = p - (1 - p) / b
// where n, wins and losses count the window (a trade with R <= 0 is a loss). With no trades the
// estimate is the prior's f; NO_EDGE holds while f <= 0.
// Shadow trades (signals refused for NO_EDGE, followed with the same exits) count exactly like
// real ones; only the counters tell them apart. The whole state is an EdgeState value that
// restores exactly. Not thread-safe: one owner (the engine thread).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "core/error.hpp"
#include "core/trade_record.hpp"

namespace osprey {

// R-multiple of a closed trade: pnl / initial risk, with initial risk = quantity x (entry_price -
// stop_loss) + entry_fee (stop_loss is the initial stop). nullopt when that risk is not positive
// (stop at or above the entry, zero quantity): such a trade says nothing about the edge.
std::optional<double> RMultiple(const TradeRecord& record);

// Everything an EdgeEstimate knows; persist it and Restore() it to continue where it stopped.
struct EdgeState {
  std::vector<double> r_multiples;  // the window, oldest first, at most `window` values
  std::int64_t real_trades = 0;     // real trades ever added (also those the window forgot)
  std::int64_t shadow_trades = 0;   // shadow trades ever added
  bool operator==(const EdgeState&) const = default;
};

// The state as one line of text for the store: "<real> <shadow>;<r1> <r2> ..." with each double
// in its shortest exact form, so DecodeEdgeState(EncodeEdgeState(s)) == s bit for bit.
std::string EncodeEdgeState(const EdgeState& state);
// kParse naming what is wrong for text EncodeEdgeState cannot have written.
Result<EdgeState> DecodeEdgeState(std::string_view text);

enum class EdgeTransition { kNone, kEnteredNoEdge, kLeftNoEdge };

enum class TradeKind { kReal, kShadow };

class EdgeEstimate {
 public:
  struct Params {
    int window = 50;        // risk.edge_window_trades, >= 1
    int prior_trades = 20;  // risk.edge_prior_trades, >= 1
    double prior_win_rate = 0.5;
    double prior_payoff = 1.5;
  };
  explicit EdgeEstimate(Params params);
  explicit EdgeEstimate(const RiskSettings& risk);

  // Adds one trade's R-multiple (dropping the oldest beyond the window) and returns whether it
  // moved the estimate into or out of NO_EDGE (also kept for LastTransition()).
  EdgeTransition Add(double r_multiple, TradeKind kind = TradeKind::kReal);
  // What the last Add did; kNone before the first Add and after Restore.
  EdgeTransition LastTransition() const { return last_transition_; }

  double WinRate() const;        // p, shrunk toward the prior
  double Payoff() const;         // b, shrunk toward the prior
  double KellyFraction() const;  // f = p - (1 - p) / b
  bool NoEdge() const { return KellyFraction() <= 0; }
  // "prior" with no trades, else "12 trades in window (3 shadow of 15 ever)"-like text for logs.
  std::string Describe() const;

  const EdgeState& state() const { return state_; }
  // Replaces the state; values beyond the window (oldest first) are dropped.
  void Restore(EdgeState state);

 private:
  Params params_;
  EdgeState state_;
  EdgeTransition last_transition_ = EdgeTransition::kNone;
};

}  // namespace osprey
