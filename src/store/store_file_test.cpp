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
  auto store = SqliteTradeStore::Open(path, StoreAccess::kReadWrite);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(store.error().message, HasSubstr(path + ": no such trade store"));
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace osprey
