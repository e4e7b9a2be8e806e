#include "store/sqlite_trade_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "store/migrations.hpp"

namespace osprey {

// Readable gtest failure output for decimals.
void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }

namespace {

using ::testing::HasSubstr;

// A path in the test temp dir with no database (or WAL/SHM leftovers) at it.
std::string FreshPath(const std::string& name) {
  std::string path = ::testing::TempDir() + "osprey_store_" + name + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

std::unique_ptr<SqliteTradeStore> OpenOrDie(const std::string& path) {
  auto store = SqliteTradeStore::Open(path);
  EXPECT_TRUE(store) << store.error().ToString();
  return store ? std::move(*store) : nullptr;
}

// A second, raw connection to inspect or sabotage the file behind the store's back.
SQLite::Database Raw(const std::string& path) {
  return SQLite::Database(path, SQLite::OPEN_READWRITE);
}

std::int64_t Count(SQLite::Database& db, const std::string& table) {
  return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

ExitFill Fill(TimeMs time, std::int64_t index, const char* price, const char* qty, const char* fee,
              ExitReason reason) {
  return ExitFill{time, time - 3'600'000, index, Dec(price), Dec(qty), Dec(fee), reason};
}

// A closed trade using every field, with awkward exact decimals.
TradeRecord FullTrade(const std::string& id, TimeMs entry_time) {
  TradeRecord t;
  t.id = id;
  t.symbol = "BTCUSDT";
  t.side = "BUY";
  t.entry_time = entry_time;
  t.signal_candle_open_time = entry_time - 3'600'000;
  t.entry_index = 1234;
  t.entry_price = Dec("42500.01");
  t.quantity = Dec("0.000012345678");
  t.net_quantity = Dec("0.000012333332");
  t.entry_fee = Dec("0.000524691858");
  t.confidence = 0.8237419;
  t.analysts = "trend,momentum,\"volume\"";
  t.stop_loss = Dec("41225.009700");
  t.take_profits = {{Dec("43775.0103"), Dec("3"), Dec("0.33")},
                    {Dec("44625.0105"), Dec("5"), Dec("0.33")},
                    {Dec("45900.0108"), Dec("8"), Dec("0.34")}};
  t.exits = {Fill(entry_time + 3'600'000, 1235, "43775.0103", "0.000004069999", "0.000178163",
                  ExitReason::kTakeProfit1),
             Fill(entry_time + 7'200'000, 1236, "44625.0105", "0.000004069999", "0.000181624",
                  ExitReason::kTakeProfit2),
             Fill(entry_time + 10'800'000, 1237, "43000", "0.000004193334", "0.00018031336",
                  ExitReason::kTrailingStop)};
  t.exit_time = entry_time + 10'800'000;
  t.exit_index = 1237;
  t.exit_price = Dec("43790.123456789012");
  t.exit_reason = ExitReason::kTrailingStop;
  t.pnl = Dec("-0.000000000001");
  t.pnl_percent = -1.0 / 3.0;
  t.status = TradeStatus::kClosed;
  return t;
}

TradeRecord OpenTrade(const std::string& id, TimeMs entry_time) {
  TradeRecord t = FullTrade(id, entry_time);
  t.exits.clear();
  t.exit_time = 0;
  t.exit_index = -1;
  t.exit_price = Decimal();
  t.exit_reason = ExitReason::kNone;
  t.pnl = Decimal();
  t.pnl_percent = 0;
  t.status = TradeStatus::kOpen;
  return t;
}

void ExpectSameTrade(const TradeRecord& a, const TradeRecord& b) {
  SCOPED_TRACE("trade " + a.id);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.side, b.side);
  EXPECT_EQ(a.entry_time, b.entry_time);
  EXPECT_EQ(a.signal_candle_open_time, b.signal_candle_open_time);
  EXPECT_EQ(a.entry_index, b.entry_index);
  EXPECT_EQ(a.entry_price, b.entry_price);
  EXPECT_EQ(a.quantity, b.quantity);
  EXPECT_EQ(a.net_quantity, b.net_quantity);
  EXPECT_EQ(a.entry_fee, b.entry_fee);
  EXPECT_EQ(a.confidence, b.confidence);  // bit-exact: REAL stores the double as is
  EXPECT_EQ(a.analysts, b.analysts);
  EXPECT_EQ(a.stop_loss, b.stop_loss);
  ASSERT_EQ(a.take_profits.size(), b.take_profits.size());
  for (std::size_t i = 0; i < a.take_profits.size(); ++i) {
    EXPECT_EQ(a.take_profits[i].price, b.take_profits[i].price) << "tp " << i;
    EXPECT_EQ(a.take_profits[i].percent, b.take_profits[i].percent) << "tp " << i;
    EXPECT_EQ(a.take_profits[i].fraction, b.take_profits[i].fraction) << "tp " << i;
  }
  ASSERT_EQ(a.exits.size(), b.exits.size());
  for (std::size_t i = 0; i < a.exits.size(); ++i) {
    EXPECT_EQ(a.exits[i].time, b.exits[i].time) << "fill " << i;
    EXPECT_EQ(a.exits[i].candle_open_time, b.exits[i].candle_open_time) << "fill " << i;
    EXPECT_EQ(a.exits[i].candle_index, b.exits[i].candle_index) << "fill " << i;
    EXPECT_EQ(a.exits[i].price, b.exits[i].price) << "fill " << i;
    EXPECT_EQ(a.exits[i].quantity, b.exits[i].quantity) << "fill " << i;
    EXPECT_EQ(a.exits[i].fee, b.exits[i].fee) << "fill " << i;
    EXPECT_EQ(a.exits[i].reason, b.exits[i].reason) << "fill " << i;
  }
  EXPECT_EQ(a.exit_time, b.exit_time);
  EXPECT_EQ(a.exit_index, b.exit_index);
  EXPECT_EQ(a.exit_price, b.exit_price);
  EXPECT_EQ(a.exit_reason, b.exit_reason);
  EXPECT_EQ(a.pnl, b.pnl);
  EXPECT_EQ(a.pnl_percent, b.pnl_percent);
  EXPECT_EQ(a.status, b.status);
}

constexpr TimeMs kT0 = 1'702'477'800'000;  // 2023-12-13T14:30:00Z

TEST(SqliteTradeStoreTest, FullTradeRoundTripsExactly) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store);
  const TradeRecord closed = FullTrade("T1", kT0);
  const TradeRecord open = OpenTrade("T2", kT0 + 1);
  ASSERT_TRUE(store->SaveTrade(closed, std::nullopt));
  ASSERT_TRUE(store->SaveTrade(open, std::nullopt));
  auto loaded = store->LoadTrades();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  ExpectSameTrade((*loaded)[0], closed);
  ExpectSameTrade((*loaded)[1], open);
}

TEST(SqliteTradeStoreTest, StoresExactStringsAndReadableColumns) {
  const std::string path = FreshPath("columns");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(FullTrade("T1", kT0), std::nullopt));
  ASSERT_TRUE(store->SaveTrade(OpenTrade("T2", kT0), std::nullopt));
  SQLite::Database raw = Raw(path);
  SQLite::Statement q(raw,
                      "SELECT quantity, take_profits, entry_time_utc, exit_time_utc, exit_reason, "
                      "status, typeof(entry_price) FROM trades ORDER BY id");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "0.000012345678");
  EXPECT_EQ(q.getColumn(1).getString(),
            R"([{"price":"43775.0103","percent":"3","fraction":"0.33"},)"
            R"({"price":"44625.0105","percent":"5","fraction":"0.33"},)"
            R"({"price":"45900.0108","percent":"8","fraction":"0.34"}])");
  EXPECT_EQ(q.getColumn(2).getString(), "2023-12-13T14:30:00Z");
  EXPECT_EQ(q.getColumn(3).getString(), "2023-12-13T17:30:00Z");
  EXPECT_EQ(q.getColumn(4).getString(), "TRAILING_STOP");
  EXPECT_EQ(q.getColumn(5).getString(), "CLOSED");
  EXPECT_EQ(q.getColumn(6).getString(), "text");
  ASSERT_TRUE(q.executeStep());
  EXPECT_TRUE(q.getColumn(3).isNull());  // an open trade has no exit time
  EXPECT_EQ(q.getColumn(4).getString(), "NONE");
  EXPECT_EQ(q.getColumn(5).getString(), "OPEN");
  EXPECT_EQ(Count(raw, "fills"), 3);
  EXPECT_EQ(raw.execAndGet("SELECT group_concat(reason) FROM (SELECT reason FROM fills "
                           "WHERE trade_id = 'T1' ORDER BY seq)")
                .getString(),
            "TAKE_PROFIT_1,TAKE_PROFIT_2,TRAILING_STOP");
}

TEST(SqliteTradeStoreTest, TradesAreOrderedByEntryTimeThenId) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(OpenTrade("b", kT0), std::nullopt));
  ASSERT_TRUE(store->SaveTrade(OpenTrade("c", kT0 - 1), std::nullopt));
  ASSERT_TRUE(store->SaveTrade(OpenTrade("a", kT0), std::nullopt));
  auto loaded = store->LoadTrades();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 3u);
  EXPECT_EQ((*loaded)[0].id, "c");
  EXPECT_EQ((*loaded)[1].id, "a");
  EXPECT_EQ((*loaded)[2].id, "b");
}

TEST(SqliteTradeStoreTest, UpsertReplacesTheTradeAndItsFills) {
  const std::string path = FreshPath("upsert");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(FullTrade("T1", kT0), std::nullopt));
  TradeRecord updated = FullTrade("T1", kT0);
  updated.exits.resize(1);
  updated.exit_reason = ExitReason::kStopLoss;
  updated.pnl = Dec("12.5");
  ASSERT_TRUE(store->SaveTrade(updated, std::nullopt));
  auto loaded = store->LoadTrades();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 1u);
  ExpectSameTrade((*loaded)[0], updated);
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "trades"), 1);
  EXPECT_EQ(Count(raw, "fills"), 1);
}

TEST(SqliteTradeStoreTest, EventsAndRejectionsArePersisted) {
  const std::string path = FreshPath("events");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  const PositionEvent filled{
      "T1", "BTCUSDT", kT0, "PENDING", "OPEN", "ENTRY_FILLED", "0.000012345678 @ 42500.01"};
  ASSERT_TRUE(store->SaveTrade(OpenTrade("T1", kT0), filled));
  ASSERT_TRUE(store->AppendEvent(
      {"T1", "BTCUSDT", kT0 + 5, "OPEN", "OPEN", "STOP_MOVED", "41225.0097 -> 42500.01"}));
  ASSERT_TRUE(store->AppendRejection({kT0 + 7, "ETHUSDT", "MAX_POSITIONS", "3 of 3 open"}));

  SQLite::Database raw = Raw(path);
  SQLite::Statement events(raw,
                           "SELECT trade_id, symbol, time, from_state, to_state, event, detail "
                           "FROM position_events ORDER BY id");
  ASSERT_TRUE(events.executeStep());
  EXPECT_EQ(events.getColumn(0).getString(), "T1");
  EXPECT_EQ(events.getColumn(1).getString(), "BTCUSDT");
  EXPECT_EQ(events.getColumn(2).getInt64(), kT0);
  EXPECT_EQ(events.getColumn(3).getString(), "PENDING");
  EXPECT_EQ(events.getColumn(4).getString(), "OPEN");
  EXPECT_EQ(events.getColumn(5).getString(), "ENTRY_FILLED");
  EXPECT_EQ(events.getColumn(6).getString(), "0.000012345678 @ 42500.01");
  ASSERT_TRUE(events.executeStep());
  EXPECT_EQ(events.getColumn(5).getString(), "STOP_MOVED");
  EXPECT_FALSE(events.executeStep());

  SQLite::Statement rejections(raw, "SELECT time, symbol, reason_code, detail FROM rejections");
  ASSERT_TRUE(rejections.executeStep());
  EXPECT_EQ(rejections.getColumn(0).getInt64(), kT0 + 7);
  EXPECT_EQ(rejections.getColumn(1).getString(), "ETHUSDT");
  EXPECT_EQ(rejections.getColumn(2).getString(), "MAX_POSITIONS");
  EXPECT_EQ(rejections.getColumn(3).getString(), "3 of 3 open");
  EXPECT_FALSE(rejections.executeStep());
}

TEST(SqliteTradeStoreTest, EquityIsBufferedUntilFlush) {
  const std::string path = FreshPath("equity_flush");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        store->AppendEquity({kT0 + i * kHourMs, Dec("10000.000000000001"), Dec("9000.5"), i % 3}));
  }
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "equity_snapshots"), 0);
  ASSERT_TRUE(store->Flush());
  EXPECT_EQ(Count(raw, "equity_snapshots"), 10);
  SQLite::Statement q(raw,
                      "SELECT time, equity, cash, open_positions FROM equity_snapshots "
                      "ORDER BY time DESC LIMIT 1");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt64(), kT0 + 9 * kHourMs);
  EXPECT_EQ(q.getColumn(1).getString(), "10000.000000000001");
  EXPECT_EQ(q.getColumn(2).getString(), "9000.5");
  EXPECT_EQ(q.getColumn(3).getInt(), 0);
}

TEST(SqliteTradeStoreTest, EquityIsWrittenInBatches) {
  const std::string path = FreshPath("equity_batch");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  SQLite::Database raw = Raw(path);
  const auto batch = static_cast<int>(SqliteTradeStore::kEquityBatch);
  for (int i = 0; i < batch - 1; ++i) {
    ASSERT_TRUE(store->AppendEquity({kT0 + i, Dec("1"), Dec("1"), 0}));
  }
  EXPECT_EQ(Count(raw, "equity_snapshots"), 0);
  ASSERT_TRUE(store->AppendEquity({kT0 + batch - 1, Dec("1"), Dec("1"), 0}));
  EXPECT_EQ(Count(raw, "equity_snapshots"), batch);
  ASSERT_TRUE(store->AppendEquity({kT0 + batch, Dec("1"), Dec("1"), 0}));
  EXPECT_EQ(Count(raw, "equity_snapshots"), batch);
}

TEST(SqliteTradeStoreTest, EquityIsFlushedOnDestruction) {
  const std::string path = FreshPath("equity_dtor");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->AppendEquity({kT0 + i, Dec("2"), Dec("1"), 1}));
  store.reset();
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "equity_snapshots"), 5);
}

TEST(SqliteTradeStoreTest, RiskStateIsNulloptOnAFreshStoreAndRoundTrips) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store);
  auto fresh = store->LoadRiskState();
  ASSERT_TRUE(fresh) << fresh.error().ToString();
  EXPECT_FALSE(fresh->has_value());

  RiskState first;
  first.equity_peak = Dec("1");
  ASSERT_TRUE(store->SaveRiskState(first));
  RiskState state;
  state.status = "HALTED";
  state.halt_reason = "DAILY_LOSS";
  state.halted_until = kT0 + kDayMs;
  state.consecutive_losses = 4;
  state.day_start = kT0 - kT0 % kDayMs;
  state.day_start_equity = Dec("10000.123456789012");
  state.day_realized_loss = Dec("512.000000000001");
  state.equity_peak = Dec("10500.5");
  state.updated = kT0 + 17;
  ASSERT_TRUE(store->SaveRiskState(state));
  auto loaded = store->LoadRiskState();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_TRUE(loaded->has_value());
  const RiskState& got = **loaded;
  EXPECT_EQ(got.status, state.status);
  EXPECT_EQ(got.halt_reason, state.halt_reason);
  EXPECT_EQ(got.halted_until, state.halted_until);
  EXPECT_EQ(got.consecutive_losses, state.consecutive_losses);
  EXPECT_EQ(got.day_start, state.day_start);
  EXPECT_EQ(got.day_start_equity, state.day_start_equity);
  EXPECT_EQ(got.day_realized_loss, state.day_realized_loss);
  EXPECT_EQ(got.equity_peak, state.equity_peak);
  EXPECT_EQ(got.updated, state.updated);
}

TEST(SqliteTradeStoreTest, FileDatabaseUsesWal) {
  const std::string path = FreshPath("wal");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SqliteTradeStoreTest, ReopeningKeepsDataWithoutRerunningMigrations) {
  const std::string path = FreshPath("reopen");
  const TradeRecord trade = FullTrade("T1", kT0);
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->SaveTrade(trade, std::nullopt));
  }
  {
    SQLite::Database raw = Raw(path);
    EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), LatestSchemaVersion());
  }
  // Migration 1 has no IF NOT EXISTS, so re-running it would fail the open.
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  auto loaded = store->LoadTrades();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  ExpectSameTrade((*loaded)[0], trade);
}

TEST(SqliteTradeStoreTest, NewerSchemaIsRefused) {
  const std::string path = FreshPath("newer");
  {
    auto created = OpenOrDie(path);
    ASSERT_TRUE(created);
  }
  {
    SQLite::Database raw = Raw(path);
    raw.exec("PRAGMA user_version = 999");
  }
  auto store = SqliteTradeStore::Open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_THAT(store.error().message, HasSubstr("999"));
  EXPECT_THAT(store.error().message, HasSubstr("version " + std::to_string(LatestSchemaVersion())));
  auto read = ReadTradesFile(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(read.error().message, HasSubstr("999"));
}

TEST(SqliteTradeStoreTest, FailedSaveLeavesNeitherTradeNorFills) {
  const std::string path = FreshPath("atomic");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  TradeRecord before = FullTrade("T1", kT0);
  before.exits.resize(1);
  ASSERT_TRUE(store->SaveTrade(before, std::nullopt));
  {
    SQLite::Database raw = Raw(path);
    raw.exec(
        "CREATE TRIGGER reject_second_fill BEFORE INSERT ON fills WHEN NEW.seq = 2 "
        "BEGIN SELECT RAISE(ABORT, 'injected fill failure'); END");
  }
  const PositionEvent event{"T1", "BTCUSDT", kT0, "OPEN", "CLOSED", "TRAILING_STOP", ""};
  auto failed = store->SaveTrade(FullTrade("T1", kT0), event);  // 3 fills: the second one fails
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kStore);
  EXPECT_THAT(failed.error().message, HasSubstr(path));
  EXPECT_THAT(failed.error().message, HasSubstr("saving trade 'T1'"));
  EXPECT_THAT(failed.error().message, HasSubstr("injected fill failure"));
  ASSERT_FALSE(store->SaveTrade(FullTrade("T2", kT0 + 1), std::nullopt));

  auto loaded = store->LoadTrades();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);  // no T2
  ExpectSameTrade((*loaded)[0], before);
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "fills"), 1);
  EXPECT_EQ(Count(raw, "position_events"), 0);

  // The store stays usable once the cause is gone.
  raw.exec("DROP TRIGGER reject_second_fill");
  ASSERT_TRUE(store->SaveTrade(FullTrade("T2", kT0 + 1), std::nullopt));
  EXPECT_EQ(Count(raw, "fills"), 4);
}

TEST(SqliteTradeStoreTest, DroppedTableGivesStoreErrorAndKeepsOtherData) {
  const std::string path = FreshPath("dropped");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(FullTrade("T1", kT0), std::nullopt));
  ASSERT_TRUE(store->AppendRejection({kT0, "BTCUSDT", "MAX_POSITIONS", ""}));
  {
    SQLite::Database raw = Raw(path);
    raw.exec("DROP TABLE rejections");
    raw.exec("DROP TABLE equity_snapshots");
  }
  auto rejected = store->AppendRejection({kT0 + 1, "BTCUSDT", "MAX_POSITIONS", ""});
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kStore);
  EXPECT_THAT(rejected.error().message, HasSubstr(path + ": appending rejection MAX_POSITIONS"));
  EXPECT_THAT(rejected.error().message, HasSubstr("rejections"));

  ASSERT_TRUE(store->AppendEquity({kT0, Dec("1"), Dec("1"), 0}));
  auto flushed = store->Flush();
  ASSERT_FALSE(flushed);
  EXPECT_EQ(flushed.error().code, ErrorCode::kStore);
  EXPECT_THAT(flushed.error().message, HasSubstr("equity"));

  auto loaded = store->LoadTrades();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  ExpectSameTrade((*loaded)[0], FullTrade("T1", kT0));
}

TEST(SqliteTradeStoreTest, CorruptValueNamesTableRowAndColumn) {
  const std::string path = FreshPath("corrupt");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(FullTrade("T1", kT0), std::nullopt));
  SQLite::Database raw = Raw(path);

  raw.exec("UPDATE trades SET entry_price = '42500.0.1' WHERE id = 'T1'");
  auto loaded = store->LoadTrades();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kStore);
  EXPECT_THAT(loaded.error().message, HasSubstr(path));
  EXPECT_THAT(loaded.error().message, HasSubstr("table trades, id 'T1', column entry_price"));
  EXPECT_THAT(loaded.error().message, HasSubstr("42500.0.1"));

  raw.exec("UPDATE trades SET entry_price = '42500.01', take_profits = '[{\"price\":\"1\"}]'");
  loaded = store->LoadTrades();
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr("column take_profits"));

  ASSERT_TRUE(store->SaveTrade(FullTrade("T1", kT0), std::nullopt));
  raw.exec("UPDATE fills SET fee = X'41' WHERE seq = 2");  // a BLOB where TEXT belongs
  loaded = store->LoadTrades();
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message,
              HasSubstr("table fills, trade_id 'T1', seq 2, column fee: expected text"));
}

TEST(SqliteTradeStoreTest, OpenFailureNamesThePath) {
  const std::string path = ::testing::TempDir() + "osprey_no_such_dir/x/trades.db";
  auto store = SqliteTradeStore::Open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kStore);
  EXPECT_THAT(store.error().message, HasSubstr(path + ": opening the database"));
}

TEST(ReadTradesFileTest, ReadsWhatTheStoreWroteEvenWhileItIsOpen) {
  const std::string path = FreshPath("read_file");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(FullTrade("T1", kT0), std::nullopt));
  ASSERT_TRUE(store->SaveTrade(OpenTrade("T2", kT0 + 1), std::nullopt));
  auto read = ReadTradesFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  ASSERT_EQ(read->size(), 2u);
  ExpectSameTrade((*read)[0], FullTrade("T1", kT0));
  ExpectSameTrade((*read)[1], OpenTrade("T2", kT0 + 1));
  store.reset();
  read = ReadTradesFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->size(), 2u);
}

TEST(ReadTradesFileTest, ATradeEndedByAnEmergencyExitReadsBack) {
  const std::string path = FreshPath("emergency");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  TradeRecord t = FullTrade("T1", kT0);
  t.exit_reason = ExitReason::kEmergency;
  t.exits.back().reason = ExitReason::kEmergency;
  ASSERT_TRUE(store->SaveTrade(t, std::nullopt));
  store.reset();
  auto read = ReadTradesFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].exit_reason, ExitReason::kEmergency);
  EXPECT_EQ((*read)[0].exits.back().reason, ExitReason::kEmergency);
}

TEST(ReadEquityFileTest, ReadsEverySnapshotInTimeOrderExactly) {
  const std::string path = FreshPath("read_equity");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  for (int i = 2; i >= 0; --i) {
    ASSERT_TRUE(
        store->AppendEquity({kT0 + i * kHourMs, Dec("10000.000000000001"), Dec("9000.5"), i}));
  }
  ASSERT_TRUE(store->Flush());
  auto read = ReadEquityFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  ASSERT_EQ(read->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const EquitySnapshot& e = (*read)[static_cast<std::size_t>(i)];
    EXPECT_EQ(e.time, kT0 + i * kHourMs);
    EXPECT_EQ(e.equity, Dec("10000.000000000001"));
    EXPECT_EQ(e.cash, Dec("9000.5"));
    EXPECT_EQ(e.open_positions, i);
  }
}

TEST(ReadEquityFileTest, MissingFileIsNotFoundAndACorruptValueIsNamed) {
  const std::string missing = FreshPath("equity_missing");
  auto none = ReadEquityFile(missing);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(missing));

  const std::string path = FreshPath("equity_corrupt");
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->AppendEquity({kT0, Dec("1"), Dec("1"), 0}));
    ASSERT_TRUE(store->Flush());
  }
  Raw(path).exec("UPDATE equity_snapshots SET equity = 'lots'");
  auto bad = ReadEquityFile(path);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kStore);
  EXPECT_THAT(bad.error().message, HasSubstr("equity_snapshots"));
  EXPECT_THAT(bad.error().message, HasSubstr("equity"));
}

TEST(ReadTradesFileTest, MissingFileIsNotFound) {
  const std::string path = FreshPath("missing");
  auto read = ReadTradesFile(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(read.error().message, HasSubstr(path));
  EXPECT_FALSE(std::filesystem::exists(path));  // reading never creates the file
}

TEST(ReadTradesFileTest, ForeignSqliteFileIsRefused) {
  const std::string path = FreshPath("foreign");
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE trades (x INTEGER)");
  }
  auto read = ReadTradesFile(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(read.error().message, HasSubstr("not an Osprey trade store"));
  EXPECT_THAT(read.error().message, HasSubstr("it holds trades"));
}

TEST(SqliteTradeStoreTest, EquitySnapshotsCommitWithTheNextTransaction) {
  const std::string path = FreshPath("equity_commit");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store->AppendEquity({kT0 + TimeMs{i} * 3'600'000, Dec("1000"), Dec("1000"), 0}));
  }
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "equity_snapshots"), 0);  // buffered
  ASSERT_TRUE(store->AppendRejection({kT0, "BTCUSDT", "MAX_POSITIONS", ""}));
  EXPECT_EQ(Count(raw, "equity_snapshots"), 5);  // committed together with the rejection
  ASSERT_TRUE(store->AppendEquity({kT0 + TimeMs{5} * 3'600'000, Dec("999"), Dec("999"), 0}));
  ASSERT_TRUE(store->SaveRiskState(RiskState{}));
  EXPECT_EQ(Count(raw, "equity_snapshots"), 6);
}

TEST(SqliteTradeStoreTest, KilledProcessKeepsEquityUpToItsLastCommit) {
  const std::string path = FreshPath("equity_kill");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child writes like a backtest and dies without running any destructor.
    auto store = SqliteTradeStore::Open(path);
    if (!store) ::_exit(3);
    for (int i = 0; i < 10; ++i) {
      if (!(*store)->AppendEquity({kT0 + TimeMs{i} * 3'600'000, Dec("1000"), Dec("1000"), 0}))
        ::_exit(4);
    }
    if (!(*store)->SaveTrade(FullTrade("T1", kT0), std::nullopt)) ::_exit(5);
    for (int i = 10; i < 13; ++i) {
      if (!(*store)->AppendEquity({kT0 + TimeMs{i} * 3'600'000, Dec("1000"), Dec("1000"), 0}))
        ::_exit(6);
    }
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto trades = ReadTradesFile(path);
  ASSERT_TRUE(trades) << trades.error().ToString();
  EXPECT_EQ(trades->size(), 1u);
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "equity_snapshots"), 10);  // the 3 after the last commit are lost
}

TEST(ReadRiskStateFileTest, ReadsWithoutCreatingOrChangingAnything) {
  const std::string path = FreshPath("risk_read");
  EXPECT_EQ(ReadRiskStateFile(path).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path));
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    auto none = ReadRiskStateFile(path);
    ASSERT_TRUE(none) << none.error().ToString();
    EXPECT_FALSE(none->has_value());
    RiskState state;
    state.status = "HALTED";
    state.halt_reason = "MAX_DRAWDOWN";
    state.equity_peak = Dec("1234.5");
    ASSERT_TRUE(store->SaveRiskState(state));
  }
  auto read = ReadRiskStateFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(read->value().status, "HALTED");
  EXPECT_EQ(read->value().equity_peak, Dec("1234.5"));
}

}  // namespace
}  // namespace osprey
