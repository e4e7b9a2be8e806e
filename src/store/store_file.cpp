#include "store/store_file.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <exception>
#include <string_view>
#include <vector>

#include "core/regular_file.hpp"
#include "store/migrations.hpp"

namespace osprey {
namespace {

constexpr int kBusyTimeoutMs = 5000;

std::unexpected<Error> NotAStore(const std::string& path, std::string_view why) {
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("{}: not an Osprey trade store ({}); nothing was changed", path, why));
}

// What the database says about itself, read without writing anything.
struct Identity {
  int application_id = 0;
  int version = 0;
  std::vector<std::string> objects;  // names in sqlite_schema
};

Identity Identify(SQLite::Database& db) {
  Identity id;
  id.application_id = db.execAndGet("PRAGMA application_id").getInt();
  id.version = db.execAndGet("PRAGMA user_version").getInt();
  SQLite::Statement q(db, "SELECT name FROM sqlite_master ORDER BY name LIMIT 6");
  while (q.executeStep()) id.objects.push_back(q.getColumn(0).getString());
  return id;
}

// Checks the identity; true when the database is empty and may be initialised (kCreate only).
Result<bool> CheckIdentity(const Identity& id, const std::string& path, StoreAccess access) {
  const int latest = LatestSchemaVersion();
  if (id.application_id == kStoreApplicationId) {
    if (id.version > latest) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: trade store schema version {} is newer than this build reads "
                              "(version {}); use a newer osprey; nothing was changed",
                              path, id.version, latest));
    }
    if (access == StoreAccess::kReadOnly && id.version < latest) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: trade store schema version {} is older than this build reads "
                              "(version {}); open it with a writing command once to migrate it",
                              path, id.version, latest));
    }
    return false;
  }
  const bool empty = id.application_id == 0 && id.version == 0 && id.objects.empty();
  if (empty) {
    if (access == StoreAccess::kCreate) return true;
    return NotAStore(path, "an empty file or database");
  }
  std::string why =
      fmt::format("application_id {:#x}, expected {:#x}", static_cast<unsigned>(id.application_id),
                  static_cast<unsigned>(kStoreApplicationId));
  if (!id.objects.empty()) {
    why += "; it holds";
    for (std::size_t i = 0; i < id.objects.size() && i < 5; ++i) {
      why += (i == 0 ? " " : ", ") + id.objects[i];
    }
    if (id.objects.size() > 5) why += ", ...";
  }
  return NotAStore(path, why);
}

}  // namespace

Result<std::unique_ptr<SQLite::Database>> OpenStoreFile(const std::string& path,
                                                        StoreAccess access) {
  const bool memory = path == ":memory:";
  if (memory && access != StoreAccess::kCreate) {
    return Fail(ErrorCode::kInvalidArgument, "an in-memory store can only be created");
  }
  if (!memory) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if ((errno == ENOENT || errno == ENOTDIR) && access != StoreAccess::kCreate) {
        return Fail(ErrorCode::kNotFound, fmt::format("{}: no such trade store", path));
      }
    } else if (!S_ISREG(st.st_mode)) {
      // SQLite would block on a FIFO and misread a device.
      return NotAStore(path,
                       fmt::format("it is {}", FileKindName(static_cast<unsigned>(st.st_mode))));
    }
  }
  const int flags = access == StoreAccess::kReadOnly ? SQLite::OPEN_READONLY
                    : access == StoreAccess::kCreate ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE
                                                     : SQLite::OPEN_READWRITE;
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(path, flags, kBusyTimeoutMs);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStore, fmt::format("{}: opening the database: {}", path, e.what()));
  }
  Result<bool> fresh = false;
  try {
    fresh = CheckIdentity(Identify(*db), path, access);
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB) return NotAStore(path, "not an SQLite database");
    return Fail(ErrorCode::kStore, fmt::format("{}: identifying the database: {}", path, e.what()));
  }
  if (!fresh) return std::unexpected(fresh.error());
  if (access == StoreAccess::kReadOnly) return db;
  try {
    if (*fresh) {
      // Claim the empty database; the write lock makes the emptiness check and the claim one
      // step, so two processes cannot both initialise it.
      SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
      if (auto again = CheckIdentity(Identify(*db), path, access); !again) {
        return std::unexpected(again.error());
      }
      db->exec(fmt::format("PRAGMA application_id = {}", kStoreApplicationId));
      tx.commit();
    }
    if (!memory) db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStore, fmt::format("{}: preparing the database: {}", path, e.what()));
  }
  auto applied = ApplyMigrations(*db, path);
  if (!applied) return std::unexpected(applied.error());
  return db;
}

}  // namespace osprey
