#include "config/settings.hpp"

namespace osprey {

std::string_view ModeName(Mode m) {
  switch (m) {
    case Mode::kBacktest: return "backtest";
    case Mode::kPaper: return "paper";
    case Mode::kTestnet: return "testnet";
    case Mode::kLive: return "live";
  }
  return "unknown";
}

}  // namespace osprey
