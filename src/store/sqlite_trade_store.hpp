#pragma once
// SqliteTradeStore: the TradeStore port on one SQLite file (schema in store/migrations.cpp).
//
// Promises:
// - Every call is one transaction: it stores everything or nothing. SaveTrade upserts the trade,
//   replaces its fills and writes the optional event together; SaveOrder upserts the order row
//   and writes the optional event together.
// - Exact decimals are stored as their exact strings and read back bit for bit.
// - Equity snapshots are buffered and written with the next transaction the store commits (any
//   Save/Append call), at kEquityBatch buffered snapshots, on Flush() and in the destructor: a
//   killed process keeps every equity snapshot taken before the store's last commit.
// - Only Osprey stores are opened (store/store_file.hpp): another application's database, an
//   empty file or a newer schema is refused before anything is written to it.
// - No exception escapes: SQLite failures come back as kStore errors naming the file, the
//   operation and SQLite's message; a failed call leaves the store usable.
// Thread contract: not thread-safe; one thread (the engine) owns the store. Another process may
// read the file concurrently (WAL mode).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/trade_record.hpp"
#include "store/store_file.hpp"
#include "trading/journal_types.hpp"
#include "trading/trade_store.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace osprey {

class SqliteTradeStore final : public TradeStore {
 public:
  static constexpr std::size_t kEquityBatch = 1000;

  // Opens the store at `path` for writing (":memory:" for a private in-memory one) with
  // OpenStoreFile(): kCreate creates a new store where nothing exists, kReadWrite requires an
  // existing one. Errors as OpenStoreFile (kNotFound, kInvalidArgument for a file that is not
  // an Osprey store or is newer, kStore for SQLite failures). `clock` (if given, it must outlive
  // the store) stamps engine_state.updated; without one that column is NULL.
  [[nodiscard]] static Result<std::unique_ptr<SqliteTradeStore>> Open(
      const std::string& path, StoreAccess access = StoreAccess::kCreate,
      const Clock* clock = nullptr);

  // Writes buffered equity snapshots; a failure is printed to stderr (it cannot be returned).
  ~SqliteTradeStore() override;
  SqliteTradeStore(const SqliteTradeStore&) = delete;
  SqliteTradeStore& operator=(const SqliteTradeStore&) = delete;

  [[nodiscard]] Result<void> SaveTrade(const TradeRecord& record,
                                       const std::optional<PositionEvent>& event) override;
  [[nodiscard]] Result<void> AppendEvent(const PositionEvent& event) override;
  [[nodiscard]] Result<void> AppendRejection(const Rejection& rejection) override;
  // A snapshot at a time already stored replaces it.
  [[nodiscard]] Result<void> AppendEquity(const EquitySnapshot& snapshot) override;
  [[nodiscard]] Result<void> SaveRiskState(const RiskState& state) override;
  [[nodiscard]] Result<std::optional<RiskState>> LoadRiskState() override;
  [[nodiscard]] Result<std::vector<TradeRecord>> LoadTrades() override;
  // Writes the buffered equity snapshots. On failure the buffer is kept for the next attempt.
  [[nodiscard]] Result<void> Flush() override;

  // Refuses an empty client id (kInvalidArgument, nothing written).
  [[nodiscard]] Result<void> SaveOrder(const OrderRecord& order,
                                       const std::optional<PositionEvent>& event) override;
  // A row whose values do not parse (an unknown role, side, type or status, a bad decimal) is a
  // kStore error naming the table, the client id and the column.
  [[nodiscard]] Result<std::vector<OrderRecord>> LoadActiveOrders() override;
  [[nodiscard]] Result<void> SaveState(std::string_view key, std::string_view value) override;
  [[nodiscard]] Result<std::optional<std::string>> LoadState(std::string_view key) override;

  const std::string& path() const { return path_; }

 private:
  struct Statements;  // the cached prepared statements

  SqliteTradeStore(std::string path, std::unique_ptr<SQLite::Database> db, const Clock* clock);
  Result<void> WriteEquityBuffer();
  // Inserts the buffered equity snapshots inside the caller's open transaction (throws).
  void InsertEquityRows();
  // Runs `write` and the buffered equity rows in one IMMEDIATE transaction; the buffer is
  // cleared only when it commits. `doing` names the operation in errors.
  template <class Write>
  Result<void> Transact(std::string_view doing, Write&& write);

  std::string path_;
  std::unique_ptr<SQLite::Database> db_;  // declared before stmts_: outlives the statements
  std::unique_ptr<Statements> stmts_;
  std::vector<EquitySnapshot> equity_buffer_;
  const Clock* clock_;  // may be null
};

// Reads every trade (ordered by entry time then id) from the store file at `path`, opened
// read-only (OpenStoreFile kReadOnly): for the CLI, possibly while a bot is writing the file.
// Never creates or changes a file. kNotFound when nothing is at `path`; kInvalidArgument when
// it is not an Osprey store of this build's schema; kStore when SQLite fails or a row is
// corrupt (naming the table, row and column). Thread-safe (uses its own connection).
[[nodiscard]] Result<std::vector<TradeRecord>> ReadTradesFile(const std::string& path);

// Every equity snapshot of the store at `path` in ascending time, read-only. Errors as
// ReadTradesFile.
[[nodiscard]] Result<std::vector<EquitySnapshot>> ReadEquityFile(const std::string& path);

// The persisted risk state of the store at `path`, read-only, or nullopt when none was saved.
// Errors as ReadTradesFile.
[[nodiscard]] Result<std::optional<RiskState>> ReadRiskStateFile(const std::string& path);

// Every order of the journal (of open and closed trades alike), ordered by creation time then
// client id, from the store at `path` opened read-only. Errors as ReadTradesFile.
[[nodiscard]] Result<std::vector<OrderRecord>> ReadOrdersFile(const std::string& path);

}  // namespace osprey
