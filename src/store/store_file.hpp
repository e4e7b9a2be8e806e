#pragma once
// Opening the SQLite file of an Osprey trade store without ever touching a file that is not one.
// An Osprey store carries PRAGMA application_id = kStoreApplicationId (set when it is created)
// and PRAGMA user_version = its schema version (store/migrations.hpp). Before anything is
// written (WAL mode, migrations, tables), the file is identified: an empty file, another
// application's database, a file that is not SQLite at all, a FIFO or device, or a store of a
// newer schema is refused and left exactly as it was.
// Functions are thread-safe; the connection they return belongs to one thread at a time.

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>

#include "core/error.hpp"

namespace osprey {

// "OSPR" in ASCII: the value of PRAGMA application_id in every Osprey trade store.
inline constexpr int kStoreApplicationId = 0x4F535052;

enum class StoreAccess {
  kReadOnly,   // an existing store, opened read-only (never creates or changes the file)
  kReadWrite,  // an existing store, opened for writing (migrated to this build's schema)
  kCreate,     // an existing store or a new one at a path where nothing exists yet
};

// Opens the store at `path` (":memory:" only with kCreate) and returns the connection, with a
// busy timeout set; writable connections are in WAL mode (files only), synchronous=NORMAL,
// foreign keys on, and migrated to LatestSchemaVersion(). Fails, naming `path`, with:
//   kNotFound        nothing at `path` (kReadOnly, kReadWrite): nothing is created;
//   kInvalidArgument `path` is not a regular file, not an SQLite database, an empty file or
//                    database, another application's database (application_id differs), or a
//                    store of a newer schema than this build reads; or (kReadOnly) an older
//                    schema that must be migrated by a writable open first;
//   kStore           SQLite failed (I/O, locked, corrupt) or a migration failed.
[[nodiscard]] Result<std::unique_ptr<SQLite::Database>> OpenStoreFile(const std::string& path,
                                                                      StoreAccess access);

}  // namespace osprey
