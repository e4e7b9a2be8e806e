// OpenStoreFile: nothing that is not an Osprey store is ever written to, whichever command opens
// it (ReadTradesFile for `osprey trades`, ReadRiskStateFile for `risk show`, a writable open
// for `risk reset`, a creating open for a backtest).
#include "store/store_file.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "store/migrations.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {
namespace {

using ::testing::HasSubstr;

std::string FreshPath(const std::string& name) {
  std::string path = ::testing::TempDir() + "osprey_store_file_" + name + ".db";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix);
  }
  return path;
}

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every way a command opens a store, each expected to refuse `path` with `code`.
void ExpectEveryOpenerRefuses(const std::string& path, ErrorCode code, const std::string& needle) {
  auto trades = ReadTradesFile(path);
  ASSERT_FALSE(trades);
  EXPECT_EQ(trades.error().code, code) << trades.error().ToString();
  EXPECT_THAT(trades.error().message, HasSubstr(needle));
  EXPECT_THAT(trades.error().message, HasSubstr(path));
  auto risk = ReadRiskStateFile(path);
  ASSERT_FALSE(risk);
  EXPECT_EQ(risk.error().code, code) << risk.error().ToString();
  EXPECT_THAT(risk.error().message, HasSubstr(needle));
  auto orders = ReadOrdersFile(path);
  ASSERT_FALSE(orders);
  EXPECT_EQ(orders.error().code, code) << orders.error().ToString();
  EXPECT_THAT(orders.error().message, HasSubstr(needle));
  for (StoreAccess access : {StoreAccess::kReadWrite, StoreAccess::kCreate}) {
    auto store = SqliteTradeStore::Open(path, access);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, code) << store.error().ToString();
    EXPECT_THAT(store.error().message, HasSubstr(needle));
  }
}

void ExpectNoSidecarFiles(const std::string& path) {
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(std::filesystem::exists(path + suffix)) << path << suffix;
  }
}

TEST(StoreFileTest, AnotherApplicationsDatabaseIsRefusedAndLeftByteIdentical) {
  const std::string path = FreshPath("foreign");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE contacts (name TEXT, phone TEXT)");
    db.exec("INSERT INTO contacts VALUES ('Ada', '555')");
    db.exec("PRAGMA user_version = 1");  // the same version number as ours must not fool it
  }
  const std::string before = Bytes(path);
  ExpectEveryOpenerRefuses(path, ErrorCode::kInvalidArgument, "not an Osprey trade store");
  EXPECT_EQ(Bytes(path), before);
  ExpectNoSidecarFiles(path);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "delete");  // not switched to WAL
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 1);
}

TEST(StoreFileTest, AnEmptyFileIsRefusedByEveryCommandThatExpectsAStore) {
  const std::string path = FreshPath("empty");
  { std::ofstream touch(path); }
  auto trades = ReadTradesFile(path);
  ASSERT_FALSE(trades);
  EXPECT_EQ(trades.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(trades.error().message, HasSubstr("an empty file or database"));
  EXPECT_EQ(ReadRiskStateFile(path).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(SqliteTradeStore::Open(path, StoreAccess::kReadWrite).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
  ExpectNoSidecarFiles(path);
  // Only a creating open (a backtest writing its own fresh store) may claim an empty file.
  auto created = SqliteTradeStore::Open(path, StoreAccess::kCreate);
  ASSERT_TRUE(created) << created.error().ToString();
}

TEST(StoreFileTest, AFileThatIsNotSqliteIsRefused) {
  const std::string path = FreshPath("text");
  {
    std::ofstream(path) << "open_time_ms,open,high,low,close,volume\n1,2,3,4,5,6\n"
                        << std::string(200, 'x');
  }
  const std::string before = Bytes(path);
  ExpectEveryOpenerRefuses(path, ErrorCode::kInvalidArgument, "not an SQLite database");
  EXPECT_EQ(Bytes(path), before);
}

TEST(StoreFileTest, FifosAndDevicesAreRefusedWithoutBlocking) {
  const std::string fifo = FreshPath("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ExpectEveryOpenerRefuses(fifo, ErrorCode::kInvalidArgument, "FIFO");
  std::filesystem::remove(fifo);
  ExpectEveryOpenerRefuses("/dev/null", ErrorCode::kInvalidArgument, "character device");
}

TEST(StoreFileTest, ANewerSchemaIsRefusedWithTheSameCodeEverywhere) {
  const std::string path = FreshPath("newer");
  {
    auto store = SqliteTradeStore::Open(path);
    ASSERT_TRUE(store) << store.error().ToString();
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 77");
  }
  ExpectEveryOpenerRefuses(path, ErrorCode::kInvalidArgument, "schema version 77 is newer");
}

TEST(StoreFileTest, AnOlderSchemaIsReadOnlyAfterAWritingOpenMigratesIt) {
  const std::string path = FreshPath("older");
  {
    // An Osprey store claimed before any migration ran (version 0).
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA application_id = " + std::to_string(kStoreApplicationId));
  }
  auto read = ReadTradesFile(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(read.error().message, HasSubstr("schema version 0 is older than this build reads"));
  {
    auto store = SqliteTradeStore::Open(path, StoreAccess::kReadWrite);
    ASSERT_TRUE(store) << store.error().ToString();
  }
  auto migrated = ReadTradesFile(path);
  ASSERT_TRUE(migrated) << migrated.error().ToString();
  EXPECT_TRUE(migrated->empty());
}

TEST(StoreFileTest, AVersionOneStoreIsMigratedWithItsTradesIntact) {
  const std::string path = FreshPath("v1");
  {
    // A store as a version-1 build left it: claimed, schema 1, one closed trade with a fill.
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA application_id = " + std::to_string(kStoreApplicationId));
    db.exec("PRAGMA journal_mode=WAL");
    auto v1 = ApplyMigrations(db, path, StoreMigrations().first(1));
    ASSERT_TRUE(v1) << v1.error().ToString();
    db.exec(R"sql(
INSERT INTO trades VALUES ('T1', 'BTCUSDT', 'BUY', 1702477800000, '2023-12-13T14:30:00Z',
  1702474200000, 1234, '42500.01', '0.000012345678', '0.000012333332', '0.000524691858', 0.75,
  'technical', '41225.0097', '[{"price":"43775.0103","percent":"3","fraction":"1"}]',
  1702481400000, '2023-12-13T15:30:00Z', 1235, '43775.0103', 'TAKE_PROFIT_3', '0.0123456789',
  2.5, 'CLOSED');
INSERT INTO fills VALUES ('T1', 1, 1702481400000, 1702477800000, 1235, '43775.0103',
  '0.000012333332', '0.000539899', 'TAKE_PROFIT_3');
INSERT INTO risk_state VALUES (1, 'HALTED', 'MAX_DRAWDOWN', 0, 2, 1702425600000, '1000',
  '12.5', '1100.25', 1702481400000);
)sql");
  }
  const std::string before = Bytes(path);
  // Read-only opens refuse it (and leave it alone) until a writing open has migrated it.
  auto refused = ReadOrdersFile(path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message,
              HasSubstr("schema version 1 is older than this build reads (version 2)"));
  EXPECT_EQ(ReadTradesFile(path).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ReadRiskStateFile(path).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Bytes(path), before);
  {
    auto store = SqliteTradeStore::Open(path, StoreAccess::kReadWrite);
    ASSERT_TRUE(store) << store.error().ToString();
    auto trades = (*store)->LoadTrades();
    ASSERT_TRUE(trades) << trades.error().ToString();
    ASSERT_EQ(trades->size(), 1u);
    const TradeRecord& t = (*trades)[0];
    EXPECT_EQ(t.id, "T1");
    EXPECT_EQ(t.quantity, Dec("0.000012345678"));
    EXPECT_EQ(t.confidence, 0.75);
    ASSERT_EQ(t.take_profits.size(), 1u);
    EXPECT_EQ(t.take_profits[0].price, Dec("43775.0103"));
    ASSERT_EQ(t.exits.size(), 1u);
    EXPECT_EQ(t.exits[0].fee, Dec("0.000539899"));
    EXPECT_EQ(t.exits[0].reason, ExitReason::kTakeProfit3);
    EXPECT_EQ(t.pnl, Dec("0.0123456789"));
    EXPECT_EQ(t.status, TradeStatus::kClosed);
    auto risk = (*store)->LoadRiskState();
    ASSERT_TRUE(risk) << risk.error().ToString();
    ASSERT_TRUE(risk->has_value());
    EXPECT_EQ((*risk)->status, "HALTED");
    EXPECT_EQ((*risk)->equity_peak, Dec("1100.25"));
    // The new tables exist and work.
    auto orders = (*store)->LoadActiveOrders();
    ASSERT_TRUE(orders) << orders.error().ToString();
    EXPECT_TRUE(orders->empty());
    ASSERT_TRUE((*store)->SaveState("kelly", "{}"));
  }
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA application_id").getInt(), kStoreApplicationId);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 2);
  EXPECT_TRUE(db.tableExists("orders"));
  EXPECT_TRUE(db.tableExists("engine_state"));
  auto trades = ReadTradesFile(path);
  ASSERT_TRUE(trades) << trades.error().ToString();
  EXPECT_EQ(trades->size(), 1u);
  auto orders = ReadOrdersFile(path);
  ASSERT_TRUE(orders) << orders.error().ToString();
  EXPECT_TRUE(orders->empty());
}

TEST(StoreFileTest, ANewStoreCarriesOspreysApplicationId) {
  const std::string path = FreshPath("new");
  {
    auto store = SqliteTradeStore::Open(path);
    ASSERT_TRUE(store) << store.error().ToString();
  }
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA application_id").getInt(), kStoreApplicationId);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), LatestSchemaVersion());
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(StoreFileTest, ReadersAndReadWriteOpensNeverCreateAFile) {
  const std::string path = FreshPath("missing");
  EXPECT_EQ(ReadTradesFile(path).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadRiskStateFile(path).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadOrdersFile(path).error().code, ErrorCode::kNotFound);
  auto store = SqliteTradeStore::Open(path, StoreAccess::kReadWrite);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(store.error().message, HasSubstr(path + ": no such trade store"));
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace osprey
