#include "store/migrations.hpp"

#include <fmt/format.h>

#include <array>
#include <exception>

namespace osprey {
namespace {

// Version 1: the spec's trade record plus everything the engine journals. Exact decimals are
// TEXT (Decimal::ToString()), times are INTEGER UTC milliseconds; *_utc columns are ISO copies
// for humans reading the file with the sqlite3 shell and are never read back.
// No IF NOT EXISTS: re-running a migration must fail loudly, not silently pass.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE trades (
  id TEXT PRIMARY KEY NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  entry_time INTEGER NOT NULL,
  entry_time_utc TEXT NOT NULL,
  signal_candle_open_time INTEGER NOT NULL,
  entry_index INTEGER NOT NULL,
  entry_price TEXT NOT NULL,
  quantity TEXT NOT NULL,
  net_quantity TEXT NOT NULL,
  entry_fee TEXT NOT NULL,
  confidence REAL NOT NULL,
  analysts TEXT NOT NULL,
  stop_loss TEXT NOT NULL,
  take_profits TEXT NOT NULL,
  exit_time INTEGER NOT NULL,
  exit_time_utc TEXT,
  exit_index INTEGER NOT NULL,
  exit_price TEXT NOT NULL,
  exit_reason TEXT NOT NULL,
  pnl TEXT NOT NULL,
  pnl_percent REAL NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('OPEN', 'CLOSED'))
);
CREATE INDEX trades_entry_time ON trades(entry_time);

CREATE TABLE fills (
  trade_id TEXT NOT NULL REFERENCES trades(id),
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  candle_open_time INTEGER NOT NULL,
  candle_index INTEGER NOT NULL,
  price TEXT NOT NULL,
  quantity TEXT NOT NULL,
  fee TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (trade_id, seq)
);

CREATE TABLE position_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  trade_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  time INTEGER NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX position_events_trade_id ON position_events(trade_id);

CREATE TABLE rejections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX rejections_time ON rejections(time);

CREATE TABLE equity_snapshots (
  time INTEGER PRIMARY KEY,
  equity TEXT NOT NULL,
  cash TEXT NOT NULL,
  open_positions INTEGER NOT NULL
);

CREATE TABLE risk_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  status TEXT NOT NULL,
  halt_reason TEXT NOT NULL,
  halted_until INTEGER NOT NULL,
  consecutive_losses INTEGER NOT NULL,
  day_start INTEGER NOT NULL,
  day_start_equity TEXT NOT NULL,
  day_realized_loss TEXT NOT NULL,
  equity_peak TEXT NOT NULL,
  updated INTEGER NOT NULL
);
)sql";

// Version 2: the orders journal (a row is committed before its request is sent, then updated on
// every acknowledgement and execution report) and a key-value table for engine state a restart
// must keep. Same conventions as version 1; exchange_order_id is 0 until the exchange assigns one.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE orders (
  client_id TEXT PRIMARY KEY NOT NULL,
  trade_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  role TEXT NOT NULL,
  level INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  list_id TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  quantity TEXT NOT NULL,
  price TEXT NOT NULL,
  stop_price TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('SENDING', 'UNKNOWN', 'NEW', 'PARTIALLY_FILLED',
    'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED')),
  executed_quantity TEXT NOT NULL,
  cumulative_quote TEXT NOT NULL,
  exchange_order_id INTEGER NOT NULL,
  created INTEGER NOT NULL,
  created_utc TEXT NOT NULL,
  updated INTEGER NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX orders_trade_id ON orders(trade_id);

CREATE TABLE engine_state (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL,
  updated INTEGER
);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kSchemaV1},
    Migration{2, kSchemaV2},
};

}  // namespace

std::span<const Migration> StoreMigrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

Result<int> ReadSchemaVersion(SQLite::Database& db, const std::string& path) {
  try {
    return db.execAndGet("PRAGMA user_version").getInt();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStore,
                fmt::format("{}: reading the schema version: {}", path, e.what()));
  }
}

namespace {
std::unexpected<Error> NewerThanBuild(const std::string& path, int version, int latest) {
  return Fail(ErrorCode::kStore,
              fmt::format("{}: database schema version {} is newer than this build supports "
                          "(version {}); use a newer osprey",
                          path, version, latest));
}
}  // namespace

Result<int> ApplyMigrations(SQLite::Database& db, const std::string& path,
                            std::span<const Migration> migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  auto version = ReadSchemaVersion(db, path);
  if (!version) return std::unexpected(version.error());
  if (*version > latest) return NewerThanBuild(path, *version, latest);
  int applied = 0;
  for (const Migration& migration : migrations) {
    if (migration.version <= *version) continue;
    try {
      // IMMEDIATE takes the write lock before the version is read again, so two processes
      // opening the same file cannot both apply the same migration.
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      const int current = db.execAndGet("PRAGMA user_version").getInt();
      if (current > latest) return NewerThanBuild(path, current, latest);
      if (current >= migration.version) continue;  // another process got there first
      if (current != migration.version - 1) {
        return Fail(ErrorCode::kInternal,
                    fmt::format("{}: migration to version {} found the database at version {}",
                                path, migration.version, current));
      }
      db.exec(std::string(migration.sql));
      db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
      tx.commit();
      ++applied;
    } catch (const std::exception& e) {
      return Fail(ErrorCode::kStore, fmt::format("{}: migrating the schema to version {}: {}", path,
                                                 migration.version, e.what()));
    }
  }
  return applied;
}

}  // namespace osprey
