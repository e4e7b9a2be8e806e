#pragma once
// The trade store's versioned schema. `PRAGMA user_version` records the last migration applied;
// ApplyMigrations() brings a database up to date, one migration per transaction, so a failed
// migration leaves the database at the previous version. Migrations are append-only: never edit
// one that has shipped, add the next version instead.
// Functions take the connection they act on and are as thread-safe as that connection (one
// thread at a time). SQLite errors are returned as kStore errors, never thrown.

#include <SQLiteCpp/SQLiteCpp.h>

#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace osprey {

struct Migration {
  int version;           // 1, 2, 3, ... in order, no gaps
  std::string_view sql;  // one or more statements, run inside the migration's transaction
};

// The store's migrations, ordered by version.
std::span<const Migration> StoreMigrations();
// The schema version this build writes (the last migration's version).
int LatestSchemaVersion();

// The database's `PRAGMA user_version`.
Result<int> ReadSchemaVersion(SQLite::Database& db, const std::string& path);

// Applies every migration in `migrations` newer than the database's version, each in its own
// transaction together with the new user_version. Returns how many were applied (0 when up to
// date). Fails, naming `path` and both versions, when the database is newer than the last
// migration; fails naming the version when a migration's SQL fails (that migration is rolled
// back; earlier ones stay applied).
Result<int> ApplyMigrations(SQLite::Database& db, const std::string& path,
                            std::span<const Migration> migrations = StoreMigrations());

}  // namespace osprey
