#pragma once
// SqliteTradeStore: the TradeStore port on one SQLite file (schema in store/migrations.cpp).
//
// Promises:
// - Every call is one transaction: it stores everything or nothing. SaveTrade upserts the trade,
//   replaces its fills and writes the optional event together.
// - Exact decimals are stored as their exact strings and read back bit for bit.
// - Equity snapshots are buffered and written kEquityBatch at a time, on Flush() and in the
//   destructor; a crash loses at most the unflushed buffer, so live callers should Flush() at
//   every candle close.
// - No exception escapes: SQLite failures come back as kStore errors naming the file, the
//   operation and SQLite's message; a failed call leaves the store usable.
// Thread contract: not thread-safe; one thread (the engine) owns the store. Another process may
// read the file concurrently (WAL mode).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/trade_record.hpp"
#include "trading/journal_types.hpp"
#include "trading/trade_store.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace osprey {

class SqliteTradeStore final : public TradeStore {
 public:
  static constexpr std::size_t kEquityBatch = 1000;
  static constexpr int kBusyTimeoutMs = 5000;

  // Opens or creates the database at `path` (":memory:" for a private in-memory one), sets WAL
  // mode (files only), synchronous=NORMAL, foreign keys and a busy timeout, then applies pending
  // migrations. Fails on a database newer than this build or on any SQLite error.
  [[nodiscard]] static Result<std::unique_ptr<SqliteTradeStore>> Open(const std::string& path);

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

  const std::string& path() const { return path_; }

 private:
  struct Statements;  // the cached prepared statements

  SqliteTradeStore(std::string path, std::unique_ptr<SQLite::Database> db);
  Result<void> WriteEquityBuffer();

  std::string path_;
  std::unique_ptr<SQLite::Database> db_;  // declared before stmts_: outlives the statements
  std::unique_ptr<Statements> stmts_;
  std::vector<EquitySnapshot> equity_buffer_;
};

// Reads every trade (ordered by entry time then id) from the store file at `path`, opened
// read-only: for the CLI, possibly while a bot is writing the file. kNotFound when the file does
// not exist; kStore when it is not a trade store of this build's schema version or SQLite fails.
// Thread-safe (uses its own connection).
[[nodiscard]] Result<std::vector<TradeRecord>> ReadTradesFile(const std::string& path);

}  // namespace osprey
