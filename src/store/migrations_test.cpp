#include "store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <string>

namespace osprey {
namespace {

using ::testing::HasSubstr;

int UserVersion(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

SQLite::Database MemoryDb() {
  return SQLite::Database(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

TEST(MigrationsTest, VersionsStartAtOneWithoutGaps) {
  const auto migrations = StoreMigrations();
  ASSERT_FALSE(migrations.empty());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(migrations[i].sql.empty());
  }
  EXPECT_EQ(LatestSchemaVersion(), migrations.back().version);
}

TEST(MigrationsTest, FreshDatabaseGetsEveryTableAndTheLatestVersion) {
  SQLite::Database db = MemoryDb();
  auto applied = ApplyMigrations(db, "fresh.db");
  ASSERT_TRUE(applied) << applied.error().ToString();
  EXPECT_EQ(*applied, static_cast<int>(StoreMigrations().size()));
  EXPECT_EQ(UserVersion(db), LatestSchemaVersion());
  for (const char* table : {"trades", "fills", "position_events", "rejections", "equity_snapshots",
                            "risk_state", "orders", "engine_state"}) {
    EXPECT_TRUE(db.tableExists(table)) << table;
  }
  for (const char* index :
       {"trades_entry_time", "position_events_trade_id", "rejections_time", "orders_trade_id"}) {
    SQLite::Statement q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?");
    q.bind(1, index);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 1) << index;
  }
}

TEST(MigrationsTest, UpToDateDatabaseIsLeftAlone) {
  SQLite::Database db = MemoryDb();
  ASSERT_TRUE(ApplyMigrations(db, "db"));
  auto again = ApplyMigrations(db, "db");
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(UserVersion(db), LatestSchemaVersion());
}

TEST(MigrationsTest, NewerDatabaseIsRefusedNamingFileAndBothVersions) {
  SQLite::Database db = MemoryDb();
  db.exec("PRAGMA user_version = 999");
  auto applied = ApplyMigrations(db, "/data/trades.db");
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kStore);
  EXPECT_THAT(applied.error().message, HasSubstr("/data/trades.db"));
  EXPECT_THAT(applied.error().message, HasSubstr("999"));
  EXPECT_THAT(applied.error().message,
              HasSubstr("version " + std::to_string(LatestSchemaVersion())));
  EXPECT_EQ(UserVersion(db), 999);
}

TEST(MigrationsTest, FailedMigrationRollsBackAndKeepsEarlierOnes) {
  constexpr std::array kBroken = {
      Migration{1, "CREATE TABLE a (x INTEGER);"},
      Migration{2, "CREATE TABLE b (x INTEGER); INSERT INTO no_such_table VALUES (1);"},
  };
  SQLite::Database db = MemoryDb();
  auto applied = ApplyMigrations(db, "broken.db", kBroken);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kStore);
  EXPECT_THAT(applied.error().message, HasSubstr("broken.db"));
  EXPECT_THAT(applied.error().message, HasSubstr("version 2"));
  EXPECT_THAT(applied.error().message, HasSubstr("no_such_table"));
  EXPECT_EQ(UserVersion(db), 1);
  EXPECT_TRUE(db.tableExists("a"));
  EXPECT_FALSE(db.tableExists("b"));  // rolled back with its migration

  constexpr std::array kFixed = {
      Migration{1, "CREATE TABLE a (x INTEGER);"},
      Migration{2, "CREATE TABLE b (x INTEGER);"},
  };
  auto fixed = ApplyMigrations(db, "broken.db", kFixed);
  ASSERT_TRUE(fixed) << fixed.error().ToString();
  EXPECT_EQ(*fixed, 1);  // only version 2 ran
  EXPECT_EQ(UserVersion(db), 2);
  EXPECT_TRUE(db.tableExists("b"));
}

TEST(MigrationsTest, AVersionOneDatabaseGetsTheOrdersJournalAndKeepsItsRows) {
  SQLite::Database db = MemoryDb();
  auto v1 = ApplyMigrations(db, "v1.db", StoreMigrations().first(1));
  ASSERT_TRUE(v1) << v1.error().ToString();
  db.exec(
      "INSERT INTO rejections (time, symbol, reason_code, detail) "
      "VALUES (1, 'BTCUSDT', 'MAX_POSITIONS', '3 of 3')");
  EXPECT_FALSE(db.tableExists("orders"));
  auto applied = ApplyMigrations(db, "v1.db");
  ASSERT_TRUE(applied) << applied.error().ToString();
  EXPECT_EQ(*applied, 1);  // version 2 only
  EXPECT_EQ(UserVersion(db), 2);
  EXPECT_TRUE(db.tableExists("orders"));
  EXPECT_TRUE(db.tableExists("engine_state"));
  EXPECT_EQ(db.execAndGet("SELECT detail FROM rejections").getString(), "3 of 3");
}

TEST(MigrationsTest, ReadSchemaVersionOfEmptyDatabaseIsZero) {
  SQLite::Database db = MemoryDb();
  auto version = ReadSchemaVersion(db, "empty.db");
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, 0);
}

}  // namespace
}  // namespace osprey
