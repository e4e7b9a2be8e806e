// The reference strategy (docs/reference-strategy.md) run through the whole engine must agree
// trade by trade with an independent plain-loop implementation of rules R1..R9 written here from
// the spec alone (doubles parsed from the CSV text, as R1 says): same entries and exits on the
// same candles with the same reasons, prices and quantities equal to 1e-8 relative.

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "config/settings_loader.hpp"
#include "engine/backtest_runner.hpp"
#include "market/candle_file.hpp"
#include "trading/memory_trade_store.hpp"

namespace osprey {
namespace {

struct Row {
  std::int64_t t;
  double o, h, l, c;
};

std::vector<Row> ReadRows(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  EXPECT_NE(f, nullptr) << path;
  std::string text;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  gzclose(f);
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header: open_time_ms,open,high,low,close,...
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Row r{};
    std::istringstream ls(line);
    std::string cell;
    std::getline(ls, cell, ',');
    r.t = std::stoll(cell);
    double* fields[] = {&r.o, &r.h, &r.l, &r.c};
    for (double* field : fields) {
      std::getline(ls, cell, ',');
      *field = std::strtod(cell.c_str(), nullptr);
    }
    rows.push_back(r);
  }
  return rows;
}

struct RefFill {
  std::int64_t index;
  double price, qty;
  std::string reason;
};
struct RefTrade {
  std::int64_t entry_index;
  double entry_price, qty;
  std::vector<RefFill> fills;
  double pnl;
};
struct RefResult {
  std::vector<RefTrade> trades;
  bool open_at_end = false;
  double final_equity = 0;
  double max_drawdown_pct = 0;
};

// R1..R9, literally.
RefResult RunReference(const std::vector<Row>& rows) {
  RefResult out;
  double cash = 10000, held = 0;
  double sum200 = 0;
  double avg_gain = 0, avg_loss = 0;
  bool open = false;
  std::int64_t entry_t = -1;
  double P = 0, Q = 0, SL = 0, TP[3] = {}, q[3] = {}, HH = 0, entry_fee = 0;
  bool hh_set = false, tp_done[3] = {};
  bool tp1_before = false;
  RefTrade cur{};
  double peak = 10000;
  const auto n = static_cast<std::int64_t>(rows.size());
  for (std::int64_t t = 0; t < n; ++t) {
    const Row& r = rows[static_cast<std::size_t>(t)];
    // Indicators.
    sum200 += r.c;
    if (t >= 200) sum200 -= rows[static_cast<std::size_t>(t - 200)].c;
    double rsi = NAN;
    if (t >= 1) {
      const double d = r.c - rows[static_cast<std::size_t>(t - 1)].c;
      const double g = d > 0 ? d : 0, l = d < 0 ? -d : 0;
      if (t <= 14) {
        avg_gain += g;
        avg_loss += l;
        if (t == 14) {
          avg_gain /= 14;
          avg_loss /= 14;
        }
      } else {
        avg_gain = (avg_gain * 13 + g) / 14;
        avg_loss = (avg_loss * 13 + l) / 14;
      }
      if (t >= 14) rsi = avg_gain + avg_loss == 0 ? 0 : 100 * avg_gain / (avg_gain + avg_loss);
    }
    // R6 exits.
    if (open && t > entry_t) {
      double stop = SL;
      std::string reason = "SL";
      if (tp1_before) {
        stop = std::max(SL, HH * (1 - 0.02));
        reason = "TRAIL";
      }
      if (r.l <= stop) {
        double rem = 0;
        for (int k = 0; k < 3; ++k) {
          if (!tp_done[k]) rem += q[k];
        }
        const double fee = 0.001 * stop * rem;
        cash += stop * rem - fee;
        held -= rem;
        cur.fills.push_back({t, stop, rem, reason});
        open = false;
      } else {
        for (int k = 0; k < 3 && open; ++k) {
          if (!tp_done[k] && r.h >= TP[k]) {
            const double fee = 0.001 * TP[k] * q[k];
            cash += TP[k] * q[k] - fee;
            held -= q[k];
            tp_done[k] = true;
            cur.fills.push_back({t, TP[k], q[k], "TP" + std::to_string(k + 1)});
            if (k == 2) open = false;
          }
        }
      }
      if (tp_done[0]) tp1_before = true;  // takes effect from the next candle
      HH = hh_set ? std::max(HH, r.h) : r.h;
      hh_set = true;
      if (!open) {
        double proceeds = 0, fees = 0;
        for (const auto& f : cur.fills) {
          proceeds += f.price * f.qty;
          fees += 0.001 * f.price * f.qty;
        }
        cur.pnl = proceeds - P * Q - entry_fee - fees;
        out.trades.push_back(cur);
      }
    }
    // R5 entry.
    if (!open && t >= 199 && rsi < 30 && r.c > sum200 / 200) {
      const double E = cash;
      P = r.c;
      Q = 0.20 * E / P;
      q[0] = 0.33 * Q;
      q[1] = 0.33 * Q;
      q[2] = Q - q[0] - q[1];
      SL = P * (1 - 0.03);
      TP[0] = P * (1 + 0.03);
      TP[1] = P * (1 + 0.05);
      TP[2] = P * (1 + 0.08);
      entry_fee = 0.001 * P * Q;
      cash -= P * Q + entry_fee;
      held += Q;
      open = true;
      entry_t = t;
      hh_set = false;
      tp1_before = false;
      tp_done[0] = tp_done[1] = tp_done[2] = false;
      cur = RefTrade{t, P, Q, {}, 0};
    }
    const double equity = cash + held * r.c;
    peak = std::max(peak, equity);
    out.max_drawdown_pct = std::max(out.max_drawdown_pct, 100 * (peak - equity) / peak);
    out.final_equity = equity;
  }
  out.open_at_end = open;
  return out;
}

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-8 * std::max(1.0, std::fabs(b)); }

TEST(ReferenceStrategy, EngineAgreesTradeByTradeWithPlainLoopOnShippedBtc) {
  const std::string path = OSPREY_SOURCE_DIR "/data/klines/1h/BTCUSDT.csv.gz";
  const RefResult ref = RunReference(ReadRows(path));
  ASSERT_GT(ref.trades.size(), 50u) << "the shipped data should produce many reference trades";

  auto settings = LoadSettingsFile(OSPREY_SOURCE_DIR "/config/reference.toml");
  ASSERT_TRUE(settings) << settings.error().message;
  auto series = LoadCandleFile(path, "BTCUSDT", kHourMs);
  ASSERT_TRUE(series) << series.error().message;
  BacktestInput in;
  in.settings = &*settings;
  in.from = series->candles.front().open_time;
  in.to = series->candles.back().open_time + kHourMs;
  in.hourly.push_back(std::move(*series));
  in.analysts = {"reference"};
  MemoryTradeStore store;
  NullLogger logger;
  in.store = &store;
  in.logger = &logger;
  auto got = RunBacktest(in);
  ASSERT_TRUE(got) << got.error().message;

  ASSERT_EQ(got->trades.size(), ref.trades.size());
  for (std::size_t i = 0; i < ref.trades.size(); ++i) {
    const RefTrade& want = ref.trades[i];
    const TradeRecord& have = got->trades[i];
    SCOPED_TRACE("trade " + std::to_string(i) + " entered at index " +
                 std::to_string(want.entry_index));
    EXPECT_EQ(have.entry_index, want.entry_index);
    EXPECT_TRUE(Near(have.entry_price.ToDouble(), want.entry_price));
    EXPECT_TRUE(Near(have.quantity.ToDouble(), want.qty))
        << have.quantity.ToString() << " vs " << want.qty;
    ASSERT_EQ(have.exits.size(), want.fills.size());
    for (std::size_t k = 0; k < want.fills.size(); ++k) {
      EXPECT_EQ(have.exits[k].candle_index, want.fills[k].index);
      EXPECT_EQ(ExitReasonShortName(have.exits[k].reason), want.fills[k].reason);
      EXPECT_TRUE(Near(have.exits[k].price.ToDouble(), want.fills[k].price));
      EXPECT_TRUE(Near(have.exits[k].quantity.ToDouble(), want.fills[k].qty));
    }
    EXPECT_TRUE(Near(have.pnl.ToDouble(), want.pnl)) << have.pnl.ToString() << " vs " << want.pnl;
  }
  EXPECT_EQ(got->open_positions.size(), ref.open_at_end ? 1u : 0u);
  EXPECT_TRUE(Near(got->final_equity.ToDouble(), ref.final_equity))
      << got->final_equity.ToString() << " vs " << ref.final_equity;
}

}  // namespace
}  // namespace osprey
