#include "store/sqlite_trade_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/time.hpp"
#include "store/migrations.hpp"
#include "store/store_file.hpp"

namespace osprey {
namespace {

// ---- SQL -------------------------------------------------------------------------------------

constexpr const char* kUpsertTrade = R"sql(
INSERT INTO trades (id, symbol, side, entry_time, entry_time_utc, signal_candle_open_time,
  entry_index, entry_price, quantity, net_quantity, entry_fee, confidence, analysts, stop_loss,
  take_profits, exit_time, exit_time_utc, exit_index, exit_price, exit_reason, pnl, pnl_percent,
  status)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  symbol = excluded.symbol, side = excluded.side, entry_time = excluded.entry_time,
  entry_time_utc = excluded.entry_time_utc,
  signal_candle_open_time = excluded.signal_candle_open_time,
  entry_index = excluded.entry_index, entry_price = excluded.entry_price,
  quantity = excluded.quantity, net_quantity = excluded.net_quantity,
  entry_fee = excluded.entry_fee, confidence = excluded.confidence, analysts = excluded.analysts,
  stop_loss = excluded.stop_loss, take_profits = excluded.take_profits,
  exit_time = excluded.exit_time, exit_time_utc = excluded.exit_time_utc,
  exit_index = excluded.exit_index, exit_price = excluded.exit_price,
  exit_reason = excluded.exit_reason, pnl = excluded.pnl, pnl_percent = excluded.pnl_percent,
  status = excluded.status
)sql";

constexpr const char* kDeleteFills = "DELETE FROM fills WHERE trade_id = ?";

constexpr const char* kInsertFill = R"sql(
INSERT INTO fills (trade_id, seq, time, candle_open_time, candle_index, price, quantity, fee,
  reason)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql";

constexpr const char* kInsertEvent = R"sql(
INSERT INTO position_events (trade_id, symbol, time, from_state, to_state, event, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
)sql";

constexpr const char* kInsertRejection =
    "INSERT INTO rejections (time, symbol, reason_code, detail) VALUES (?, ?, ?, ?)";

constexpr const char* kUpsertEquity =
    "INSERT OR REPLACE INTO equity_snapshots (time, equity, cash, open_positions) "
    "VALUES (?, ?, ?, ?)";

constexpr const char* kUpsertRisk = R"sql(
INSERT OR REPLACE INTO risk_state (id, status, halt_reason, halted_until, consecutive_losses,
  day_start, day_start_equity, day_realized_loss, equity_peak, updated)
VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql";

constexpr const char* kSelectRisk = R"sql(
SELECT status, halt_reason, halted_until, consecutive_losses, day_start, day_start_equity,
  day_realized_loss, equity_peak, updated
FROM risk_state WHERE id = 1
)sql";

constexpr const char* kSelectEquity =
    "SELECT time, equity, cash, open_positions FROM equity_snapshots ORDER BY time";

// Column order must match ReadTradeRow().
constexpr const char* kSelectTrades = R"sql(
SELECT id, symbol, side, entry_time, signal_candle_open_time, entry_index, entry_price,
  quantity, net_quantity, entry_fee, confidence, analysts, stop_loss, take_profits, exit_time,
  exit_index, exit_price, exit_reason, pnl, pnl_percent, status
FROM trades ORDER BY entry_time, id
)sql";

// Column order must match ReadFillRow().
constexpr const char* kSelectFills = R"sql(
SELECT trade_id, seq, time, candle_open_time, candle_index, price, quantity, fee, reason
FROM fills ORDER BY trade_id, seq
)sql";

constexpr const char* kUpsertOrder = R"sql(
INSERT INTO orders (client_id, trade_id, symbol, role, level, generation, list_id, side, type,
  quantity, price, stop_price, status, executed_quantity, cumulative_quote, exchange_order_id,
  created, created_utc, updated, detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (client_id) DO UPDATE SET
  trade_id = excluded.trade_id, symbol = excluded.symbol, role = excluded.role,
  level = excluded.level, generation = excluded.generation, list_id = excluded.list_id,
  side = excluded.side, type = excluded.type, quantity = excluded.quantity,
  price = excluded.price, stop_price = excluded.stop_price, status = excluded.status,
  executed_quantity = excluded.executed_quantity, cumulative_quote = excluded.cumulative_quote,
  exchange_order_id = excluded.exchange_order_id, created = excluded.created,
  created_utc = excluded.created_utc, updated = excluded.updated, detail = excluded.detail
)sql";

// Column order must match ReadOrderRow().
constexpr std::string_view kSelectOrderColumns = R"sql(
SELECT o.client_id, o.trade_id, o.symbol, o.role, o.level, o.generation, o.list_id, o.side,
  o.type, o.quantity, o.price, o.stop_price, o.status, o.executed_quantity, o.cumulative_quote,
  o.exchange_order_id, o.created, o.updated, o.detail
FROM orders o
)sql";

// The orders of trades that have not closed: an entry not yet filled has no trade row.
std::string SelectActiveOrders() {
  return std::string(kSelectOrderColumns) +
         "LEFT JOIN trades t ON t.id = o.trade_id\n"
         "WHERE t.id IS NULL OR t.status <> 'CLOSED'\n"
         "ORDER BY o.created, o.client_id";
}

std::string SelectAllOrders() {
  return std::string(kSelectOrderColumns) + "ORDER BY o.created, o.client_id";
}

constexpr const char* kUpsertState = R"sql(
INSERT INTO engine_state (key, value, updated) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated
)sql";

constexpr const char* kSelectState = "SELECT value FROM engine_state WHERE key = ?";

// ---- errors ----------------------------------------------------------------------------------

std::unexpected<Error> StoreError(const std::string& path, std::string_view doing,
                                  const std::exception& e) {
  return Fail(ErrorCode::kStore, fmt::format("{}: {}: {}", path, doing, e.what()));
}

// ---- statement helpers -----------------------------------------------------------------------

// Uses a cached statement: resets it before (a previous failure may have left it mid-step) and
// after (a half-read SELECT would otherwise pin a WAL snapshot).
class Use {
 public:
  explicit Use(SQLite::Statement& statement) : s_(statement) { s_.tryReset(); }
  ~Use() { s_.tryReset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  SQLite::Statement& operator*() { return s_; }
  SQLite::Statement* operator->() { return &s_; }

 private:
  SQLite::Statement& s_;
};

// Binds parameters left to right.
class Binder {
 public:
  explicit Binder(SQLite::Statement& statement) : s_(statement) {}
  Binder& Int(std::int64_t v) {
    s_.bind(next_++, v);
    return *this;
  }
  Binder& Real(double v) {
    s_.bind(next_++, v);
    return *this;
  }
  Binder& Text(std::string_view v) {
    s_.bind(next_++, std::string(v));
    return *this;
  }
  Binder& Dec(Decimal v) { return Text(v.ToString()); }
  Binder& Null() {
    s_.bind(next_++);
    return *this;
  }

 private:
  SQLite::Statement& s_;
  int next_ = 1;
};

// Reads the current row's columns left to right, checking each value's type. The first problem
// is recorded with the table, row key and column name; later reads then return defaults, and the
// caller checks error() once per row.
class RowReader {
 public:
  RowReader(SQLite::Statement& statement, const std::string& path, std::string_view table)
      : s_(statement), path_(path), table_(table) {}

  void SetKey(std::string key) { key_ = std::move(key); }

  std::int64_t Int() {
    const SQLite::Column c = Next();
    if (!c.isInteger()) return Bad<std::int64_t>(c, "expected an integer");
    return c.getInt64();
  }
  int Int32() {
    const int col = col_;
    const std::int64_t v = Int();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
      Record(col, fmt::format("{} does not fit an int", v));
      return 0;
    }
    return static_cast<int>(v);
  }
  double Real() {
    const SQLite::Column c = Next();
    if (!c.isFloat() && !c.isInteger()) return Bad<double>(c, "expected a number");
    return c.getDouble();
  }
  std::string Text() {
    const SQLite::Column c = Next();
    if (!c.isText()) return Bad<std::string>(c, "expected text");
    return c.getString();
  }
  // A TEXT column parsed by `parse` (std::string_view -> Result<T>).
  template <class T, class Parse>
  T Parsed(Parse&& parse) {
    const int col = col_;
    const std::string text = Text();
    if (error_) return T{};
    Result<T> r = parse(text);
    if (!r) {
      Record(col, r.error().message);
      return T{};
    }
    return *std::move(r);
  }
  Decimal Dec() { return Parsed<Decimal>(Decimal::Parse); }

  const std::optional<Error>& error() const { return error_; }

 private:
  SQLite::Column Next() { return s_.getColumn(col_++); }

  template <class T>
  T Bad(const SQLite::Column& c, std::string_view expected) {
    Record(col_ - 1, fmt::format("{}, found '{}'", expected, c.isNull() ? "NULL" : c.getString()));
    return T{};
  }
  void Record(int col, std::string_view why) {
    if (error_) return;
    error_ =
        Error{ErrorCode::kStore, fmt::format("{}: corrupt value in table {}, {}, column {}: {}",
                                             path_, table_, key_, s_.getColumnName(col), why)};
  }

  SQLite::Statement& s_;
  const std::string& path_;
  std::string_view table_;
  std::string key_;
  int col_ = 0;
  std::optional<Error> error_;
};

// ---- enums -----------------------------------------------------------------------------------

Result<ExitReason> ParseStoredExitReason(std::string_view name) {
  if (auto r = ParseExitReason(name)) return *r;
  return Fail(ErrorCode::kParse, fmt::format("unknown exit reason '{}'", name));
}

Result<TradeStatus> ParseStoredTradeStatus(std::string_view name) {
  if (auto s = ParseTradeStatus(name)) return *s;
  return Fail(ErrorCode::kParse, fmt::format("unknown trade status '{}'", name));
}

Result<Side> ParseSide(std::string_view name) {
  for (Side s : {Side::kBuy, Side::kSell}) {
    if (SideName(s) == name) return s;
  }
  return Fail(ErrorCode::kParse, fmt::format("unknown side '{}'", name));
}

Result<OrderType> ParseOrderType(std::string_view name) {
  for (OrderType t : {OrderType::kMarket, OrderType::kLimit, OrderType::kStopLoss}) {
    if (OrderTypeName(t) == name) return t;
  }
  return Fail(ErrorCode::kParse, fmt::format("unknown order type '{}'", name));
}

// ---- take-profit JSON --------------------------------------------------------------------------

// [{"price":"43775","percent":"3","fraction":"0.33"}, ...] with the exact decimal strings.
std::string EncodeTakeProfits(const std::vector<TakeProfitLevel>& levels) {
  std::string out = "[";
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i > 0) out += ',';
    out += fmt::format(R"({{"price":"{}","percent":"{}","fraction":"{}"}})",
                       levels[i].price.ToString(), levels[i].percent.ToString(),
                       levels[i].fraction.ToString());
  }
  out += ']';
  return out;
}

// Reads what EncodeTakeProfits writes (any key order, whitespace allowed; strings have no
// escapes because they are decimals).
class TakeProfitParser {
 public:
  explicit TakeProfitParser(std::string_view text) : text_(text) {}

  Result<std::vector<TakeProfitLevel>> Parse() {
    std::vector<TakeProfitLevel> levels;
    if (!Eat('[')) return Bad("expected '['");
    if (!Eat(']')) {
      do {
        auto level = ParseLevel();
        if (!level) return std::unexpected(level.error());
        levels.push_back(*level);
      } while (Eat(','));
      if (!Eat(']')) return Bad("expected ',' or ']'");
    }
    SkipSpace();
    if (pos_ != text_.size()) return Bad("unexpected text after ']'");
    return levels;
  }

 private:
  Result<TakeProfitLevel> ParseLevel() {
    if (!Eat('{')) return Bad("expected '{'");
    TakeProfitLevel level;
    bool seen[3] = {false, false, false};
    do {
      auto key = String();
      if (!key) return Bad("expected a quoted key");
      if (!Eat(':')) return Bad("expected ':'");
      auto value = String();
      if (!value) return Bad("expected a quoted decimal");
      int field = *key == "price" ? 0 : *key == "percent" ? 1 : *key == "fraction" ? 2 : -1;
      if (field < 0) return Bad(fmt::format("unknown key '{}'", *key));
      auto d = Decimal::Parse(*value);
      if (!d) return Bad(d.error().message);
      (field == 0 ? level.price : field == 1 ? level.percent : level.fraction) = *d;
      seen[field] = true;
    } while (Eat(','));
    if (!Eat('}')) return Bad("expected ',' or '}'");
    if (!seen[0] || !seen[1] || !seen[2]) return Bad("a level needs price, percent and fraction");
    return level;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\t' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<std::string_view> String() {
    if (!Eat('"')) return std::nullopt;
    const std::size_t end = text_.find('"', pos_);
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view s = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }
  std::unexpected<Error> Bad(std::string_view why) const {
    return Fail(ErrorCode::kParse,
                fmt::format("invalid take-profit JSON at offset {}: {}", pos_, why));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

Result<std::vector<TakeProfitLevel>> DecodeTakeProfits(std::string_view text) {
  return TakeProfitParser(text).Parse();
}

// ---- rows ------------------------------------------------------------------------------------

void BindTrade(SQLite::Statement& s, const TradeRecord& t) {
  Binder b(s);
  b.Text(t.id).Text(t.symbol).Text(t.side).Int(t.entry_time).Text(FormatIsoUtc(t.entry_time));
  b.Int(t.signal_candle_open_time).Int(t.entry_index).Dec(t.entry_price).Dec(t.quantity);
  b.Dec(t.net_quantity).Dec(t.entry_fee).Real(t.confidence).Text(t.analysts).Dec(t.stop_loss);
  b.Text(EncodeTakeProfits(t.take_profits)).Int(t.exit_time);
  if (t.exit_time != 0) {
    b.Text(FormatIsoUtc(t.exit_time));
  } else {
    b.Null();
  }
  b.Int(t.exit_index).Dec(t.exit_price).Text(ExitReasonName(t.exit_reason)).Dec(t.pnl);
  b.Real(t.pnl_percent).Text(TradeStatusName(t.status));
}

void BindFill(SQLite::Statement& s, const std::string& trade_id, std::int64_t seq,
              const ExitFill& f) {
  Binder(s)
      .Text(trade_id)
      .Int(seq)
      .Int(f.time)
      .Int(f.candle_open_time)
      .Int(f.candle_index)
      .Dec(f.price)
      .Dec(f.quantity)
      .Dec(f.fee)
      .Text(ExitReasonName(f.reason));
}

void BindEvent(SQLite::Statement& s, const PositionEvent& e) {
  Binder(s)
      .Text(e.trade_id)
      .Text(e.symbol)
      .Int(e.time)
      .Text(e.from_state)
      .Text(e.to_state)
      .Text(e.event)
      .Text(e.detail);
}

Result<TradeRecord> ReadTradeRow(SQLite::Statement& s, const std::string& path) {
  RowReader r(s, path, "trades");
  TradeRecord t;
  t.id = r.Text();
  r.SetKey(fmt::format("id '{}'", t.id));
  t.symbol = r.Text();
  t.side = r.Text();
  t.entry_time = r.Int();
  t.signal_candle_open_time = r.Int();
  t.entry_index = r.Int();
  t.entry_price = r.Dec();
  t.quantity = r.Dec();
  t.net_quantity = r.Dec();
  t.entry_fee = r.Dec();
  t.confidence = r.Real();
  t.analysts = r.Text();
  t.stop_loss = r.Dec();
  t.take_profits = r.Parsed<std::vector<TakeProfitLevel>>(DecodeTakeProfits);
  t.exit_time = r.Int();
  t.exit_index = r.Int();
  t.exit_price = r.Dec();
  t.exit_reason = r.Parsed<ExitReason>(ParseStoredExitReason);
  t.pnl = r.Dec();
  t.pnl_percent = r.Real();
  t.status = r.Parsed<TradeStatus>(ParseStoredTradeStatus);
  if (r.error()) return std::unexpected(*r.error());
  return t;
}

void BindOrder(SQLite::Statement& s, const OrderRecord& o) {
  Binder b(s);
  b.Text(o.client_id).Text(o.trade_id).Text(o.symbol).Text(OrderRoleName(o.role)).Int(o.level);
  b.Int(o.generation).Text(o.list_id).Text(SideName(o.side)).Text(OrderTypeName(o.type));
  b.Dec(o.quantity).Dec(o.price).Dec(o.stop_price).Text(JournalStatusName(o.status));
  b.Dec(o.executed_quantity).Dec(o.cumulative_quote).Int(o.exchange_order_id).Int(o.created);
  b.Text(FormatIsoUtc(o.created)).Int(o.updated).Text(o.detail);
}

Result<OrderRecord> ReadOrderRow(SQLite::Statement& s, const std::string& path) {
  RowReader r(s, path, "orders");
  OrderRecord o;
  o.client_id = r.Text();
  r.SetKey(fmt::format("client_id '{}'", o.client_id));
  o.trade_id = r.Text();
  o.symbol = r.Text();
  o.role = r.Parsed<OrderRole>(ParseOrderRole);
  o.level = r.Int32();
  o.generation = r.Int32();
  o.list_id = r.Text();
  o.side = r.Parsed<Side>(ParseSide);
  o.type = r.Parsed<OrderType>(ParseOrderType);
  o.quantity = r.Dec();
  o.price = r.Dec();
  o.stop_price = r.Dec();
  o.status = r.Parsed<JournalStatus>(ParseJournalStatus);
  o.executed_quantity = r.Dec();
  o.cumulative_quote = r.Dec();
  o.exchange_order_id = r.Int();
  o.created = r.Int();
  o.updated = r.Int();
  o.detail = r.Text();
  if (r.error()) return std::unexpected(*r.error());
  return o;
}

// Every row `statement` selects, in its order. Throws SQLite::Exception; returns kStore for
// corrupt values.
Result<std::vector<OrderRecord>> ReadOrders(SQLite::Statement& statement, const std::string& path) {
  Use q(statement);
  std::vector<OrderRecord> orders;
  while (q->executeStep()) {
    auto order = ReadOrderRow(*q, path);
    if (!order) return std::unexpected(order.error());
    orders.push_back(*std::move(order));
  }
  return orders;
}

// The fill and the id of its trade.
Result<std::pair<std::string, ExitFill>> ReadFillRow(SQLite::Statement& s, const std::string& path,
                                                     std::int64_t& seq) {
  RowReader r(s, path, "fills");
  std::string trade_id = r.Text();
  seq = r.Int();
  r.SetKey(fmt::format("trade_id '{}', seq {}", trade_id, seq));
  ExitFill f;
  f.time = r.Int();
  f.candle_open_time = r.Int();
  f.candle_index = r.Int();
  f.price = r.Dec();
  f.quantity = r.Dec();
  f.fee = r.Dec();
  f.reason = r.Parsed<ExitReason>(ParseStoredExitReason);
  if (r.error()) return std::unexpected(*r.error());
  return std::pair{std::move(trade_id), f};
}

// All trades with their fills, read in one transaction (one consistent snapshot). Throws
// SQLite::Exception; returns kStore for corrupt values.
Result<std::vector<TradeRecord>> ReadAllTrades(SQLite::Database& db, SQLite::Statement& trades_q,
                                               SQLite::Statement& fills_q,
                                               const std::string& path) {
  SQLite::Transaction tx(db);  // DEFERRED: a read snapshot, no write lock
  std::vector<TradeRecord> trades;
  std::unordered_map<std::string, std::size_t> index;
  {
    Use q(trades_q);
    while (q->executeStep()) {
      auto trade = ReadTradeRow(*q, path);
      if (!trade) return std::unexpected(trade.error());
      index.emplace(trade->id, trades.size());
      trades.push_back(*std::move(trade));
    }
  }
  {
    Use q(fills_q);
    while (q->executeStep()) {
      std::int64_t seq = 0;
      auto fill = ReadFillRow(*q, path, seq);
      if (!fill) return std::unexpected(fill.error());
      const auto it = index.find(fill->first);
      if (it == index.end()) {
        return Fail(ErrorCode::kStore,
                    fmt::format("{}: corrupt table fills: trade_id '{}', seq {} has no trade", path,
                                fill->first, seq));
      }
      std::vector<ExitFill>& exits = trades[it->second].exits;
      if (seq != static_cast<std::int64_t>(exits.size()) + 1) {
        return Fail(ErrorCode::kStore,
                    fmt::format("{}: corrupt table fills: trade_id '{}' has seq {} where {} was "
                                "expected",
                                path, fill->first, seq, exits.size() + 1));
      }
      exits.push_back(fill->second);
    }
  }
  tx.commit();
  return trades;
}

// The risk_state row, or nullopt when none was saved. Throws SQLite::Exception.
Result<std::optional<RiskState>> ReadRisk(SQLite::Statement& statement, const std::string& path) {
  Use q(statement);
  if (!q->executeStep()) return std::optional<RiskState>();
  RowReader r(*q, path, "risk_state");
  r.SetKey("id 1");
  RiskState state;
  state.status = r.Text();
  state.halt_reason = r.Text();
  state.halted_until = r.Int();
  state.consecutive_losses = r.Int32();
  state.day_start = r.Int();
  state.day_start_equity = r.Dec();
  state.day_realized_loss = r.Dec();
  state.equity_peak = r.Dec();
  state.updated = r.Int();
  if (r.error()) return std::unexpected(*r.error());
  return std::optional<RiskState>(std::move(state));
}

Result<std::vector<EquitySnapshot>> ReadEquity(SQLite::Statement& statement,
                                               const std::string& path) {
  std::vector<EquitySnapshot> out;
  Use q(statement);
  while (q->executeStep()) {
    RowReader r(*q, path, "equity_snapshots");
    r.SetKey(fmt::format("row {}", out.size() + 1));
    EquitySnapshot e;
    e.time = r.Int();
    e.equity = r.Dec();
    e.cash = r.Dec();
    e.open_positions = r.Int32();
    if (r.error()) return std::unexpected(*r.error());
    out.push_back(e);
  }
  return out;
}

}  // namespace

// ---- SqliteTradeStore
// ----------------------------------------------------------------------------

struct SqliteTradeStore::Statements {
  explicit Statements(SQLite::Database& db)
      : upsert_trade(db, kUpsertTrade),
        delete_fills(db, kDeleteFills),
        insert_fill(db, kInsertFill),
        insert_event(db, kInsertEvent),
        insert_rejection(db, kInsertRejection),
        upsert_equity(db, kUpsertEquity),
        upsert_risk(db, kUpsertRisk),
        select_risk(db, kSelectRisk),
        select_trades(db, kSelectTrades),
        select_fills(db, kSelectFills),
        upsert_order(db, kUpsertOrder),
        select_active_orders(db, SelectActiveOrders()),
        upsert_state(db, kUpsertState),
        select_state(db, kSelectState) {}

  SQLite::Statement upsert_trade;
  SQLite::Statement delete_fills;
  SQLite::Statement insert_fill;
  SQLite::Statement insert_event;
  SQLite::Statement insert_rejection;
  SQLite::Statement upsert_equity;
  SQLite::Statement upsert_risk;
  SQLite::Statement select_risk;
  SQLite::Statement select_trades;
  SQLite::Statement select_fills;
  SQLite::Statement upsert_order;
  SQLite::Statement select_active_orders;
  SQLite::Statement upsert_state;
  SQLite::Statement select_state;
};

Result<std::unique_ptr<SqliteTradeStore>> SqliteTradeStore::Open(const std::string& path,
                                                                 StoreAccess access,
                                                                 const Clock* clock) {
  if (access == StoreAccess::kReadOnly) {
    return Fail(ErrorCode::kInvalidArgument,
                path +
                    ": SqliteTradeStore writes; read with ReadTradesFile / ReadRiskStateFile / "
                    "ReadOrdersFile");
  }
  auto db = OpenStoreFile(path, access);
  if (!db) return std::unexpected(db.error());
  try {
    return std::unique_ptr<SqliteTradeStore>(new SqliteTradeStore(path, *std::move(db), clock));
  } catch (const std::exception& e) {
    return StoreError(path, "preparing statements", e);
  }
}

SqliteTradeStore::SqliteTradeStore(std::string path, std::unique_ptr<SQLite::Database> db,
                                   const Clock* clock)
    : path_(std::move(path)),
      db_(std::move(db)),
      stmts_(std::make_unique<Statements>(*db_)),
      clock_(clock) {
  equity_buffer_.reserve(kEquityBatch);
}

SqliteTradeStore::~SqliteTradeStore() {
  if (auto flushed = WriteEquityBuffer(); !flushed) {
    std::fprintf(stderr, "osprey: lost %zu equity snapshots: %s\n", equity_buffer_.size(),
                 flushed.error().ToString().c_str());
  }
}

void SqliteTradeStore::InsertEquityRows() {
  for (const EquitySnapshot& e : equity_buffer_) {
    Use s(stmts_->upsert_equity);
    Binder(*s).Int(e.time).Dec(e.equity).Dec(e.cash).Int(e.open_positions);
    s->exec();
  }
}

template <class Write>
Result<void> SqliteTradeStore::Transact(std::string_view doing, Write&& write) {
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    InsertEquityRows();
    write();
    tx.commit();
  } catch (const std::exception& e) {
    return StoreError(path_, doing, e);
  }
  equity_buffer_.clear();
  return {};
}

Result<void> SqliteTradeStore::SaveTrade(const TradeRecord& record,
                                         const std::optional<PositionEvent>& event) {
  if (record.id.empty()) {
    return Fail(ErrorCode::kInvalidArgument, path_ + ": refusing to save a trade with an empty id");
  }
  return Transact(fmt::format("saving trade '{}'", record.id), [&] {
    {
      Use s(stmts_->upsert_trade);
      BindTrade(*s, record);
      s->exec();
    }
    {
      Use s(stmts_->delete_fills);
      s->bind(1, record.id);
      s->exec();
    }
    for (std::size_t i = 0; i < record.exits.size(); ++i) {
      Use s(stmts_->insert_fill);
      BindFill(*s, record.id, static_cast<std::int64_t>(i) + 1, record.exits[i]);
      s->exec();
    }
    if (event) {
      Use s(stmts_->insert_event);
      BindEvent(*s, *event);
      s->exec();
    }
  });
}

Result<void> SqliteTradeStore::AppendEvent(const PositionEvent& event) {
  return Transact(fmt::format("appending event {} of trade '{}'", event.event, event.trade_id),
                  [&] {
                    Use s(stmts_->insert_event);
                    BindEvent(*s, event);
                    s->exec();
                  });
}

Result<void> SqliteTradeStore::AppendRejection(const Rejection& rejection) {
  return Transact(
      fmt::format("appending rejection {} of {}", rejection.reason_code, rejection.symbol), [&] {
        Use s(stmts_->insert_rejection);
        Binder(*s)
            .Int(rejection.time)
            .Text(rejection.symbol)
            .Text(rejection.reason_code)
            .Text(rejection.detail);
        s->exec();
      });
}

Result<void> SqliteTradeStore::AppendEquity(const EquitySnapshot& snapshot) {
  equity_buffer_.push_back(snapshot);
  if (equity_buffer_.size() < kEquityBatch) return {};
  return WriteEquityBuffer();
}

Result<void> SqliteTradeStore::Flush() { return WriteEquityBuffer(); }

Result<void> SqliteTradeStore::WriteEquityBuffer() {
  if (equity_buffer_.empty()) return {};
  return Transact(fmt::format("writing {} equity snapshots from {}", equity_buffer_.size(),
                              FormatIsoUtc(equity_buffer_.front().time)),
                  [] {});
}

Result<void> SqliteTradeStore::SaveRiskState(const RiskState& state) {
  return Transact("saving the risk state", [&] {
    Use s(stmts_->upsert_risk);
    Binder(*s)
        .Text(state.status)
        .Text(state.halt_reason)
        .Int(state.halted_until)
        .Int(state.consecutive_losses)
        .Int(state.day_start)
        .Dec(state.day_start_equity)
        .Dec(state.day_realized_loss)
        .Dec(state.equity_peak)
        .Int(state.updated);
    s->exec();
  });
}

Result<std::optional<RiskState>> SqliteTradeStore::LoadRiskState() {
  try {
    return ReadRisk(stmts_->select_risk, path_);
  } catch (const std::exception& e) {
    return StoreError(path_, "loading the risk state", e);
  }
}

Result<std::vector<TradeRecord>> SqliteTradeStore::LoadTrades() {
  try {
    return ReadAllTrades(*db_, stmts_->select_trades, stmts_->select_fills, path_);
  } catch (const std::exception& e) {
    return StoreError(path_, "loading trades", e);
  }
}

Result<void> SqliteTradeStore::SaveOrder(const OrderRecord& order,
                                         const std::optional<PositionEvent>& event) {
  if (order.client_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                path_ + ": refusing to save an order with an empty client id");
  }
  return Transact(
      fmt::format("saving order '{}' ({})", order.client_id, JournalStatusName(order.status)), [&] {
        {
          Use s(stmts_->upsert_order);
          BindOrder(*s, order);
          s->exec();
        }
        if (event) {
          Use s(stmts_->insert_event);
          BindEvent(*s, *event);
          s->exec();
        }
      });
}

Result<std::vector<OrderRecord>> SqliteTradeStore::LoadActiveOrders() {
  try {
    return ReadOrders(stmts_->select_active_orders, path_);
  } catch (const std::exception& e) {
    return StoreError(path_, "loading active orders", e);
  }
}

Result<void> SqliteTradeStore::SaveState(std::string_view key, std::string_view value) {
  return Transact(fmt::format("saving engine state '{}'", key), [&] {
    Use s(stmts_->upsert_state);
    Binder b(*s);
    b.Text(key).Text(value);
    if (clock_ != nullptr) {
      b.Int(clock_->Now());
    } else {
      b.Null();
    }
    s->exec();
  });
}

Result<std::optional<std::string>> SqliteTradeStore::LoadState(std::string_view key) {
  try {
    Use q(stmts_->select_state);
    q->bind(1, std::string(key));
    if (!q->executeStep()) return std::optional<std::string>();
    RowReader r(*q, path_, "engine_state");
    r.SetKey(fmt::format("key '{}'", key));
    std::string value = r.Text();
    if (r.error()) return std::unexpected(*r.error());
    return std::optional<std::string>(std::move(value));
  } catch (const std::exception& e) {
    return StoreError(path_, fmt::format("loading engine state '{}'", key), e);
  }
}

// ---- ReadTradesFile
// ------------------------------------------------------------------------------

Result<std::vector<TradeRecord>> ReadTradesFile(const std::string& path) {
  auto db = OpenStoreFile(path, StoreAccess::kReadOnly);
  if (!db) return std::unexpected(db.error());
  try {
    SQLite::Statement trades_q(**db, kSelectTrades);
    SQLite::Statement fills_q(**db, kSelectFills);
    return ReadAllTrades(**db, trades_q, fills_q, path);
  } catch (const std::exception& e) {
    return StoreError(path, "reading trades", e);
  }
}

Result<std::vector<EquitySnapshot>> ReadEquityFile(const std::string& path) {
  auto db = OpenStoreFile(path, StoreAccess::kReadOnly);
  if (!db) return std::unexpected(db.error());
  try {
    SQLite::Statement q(**db, kSelectEquity);
    return ReadEquity(q, path);
  } catch (const std::exception& e) {
    return StoreError(path, "reading the equity snapshots", e);
  }
}

Result<std::optional<RiskState>> ReadRiskStateFile(const std::string& path) {
  auto db = OpenStoreFile(path, StoreAccess::kReadOnly);
  if (!db) return std::unexpected(db.error());
  try {
    SQLite::Statement q(**db, kSelectRisk);
    return ReadRisk(q, path);
  } catch (const std::exception& e) {
    return StoreError(path, "reading the risk state", e);
  }
}

Result<std::vector<OrderRecord>> ReadOrdersFile(const std::string& path) {
  auto db = OpenStoreFile(path, StoreAccess::kReadOnly);
  if (!db) return std::unexpected(db.error());
  try {
    SQLite::Statement q(**db, SelectAllOrders());
    return ReadOrders(q, path);
  } catch (const std::exception& e) {
    return StoreError(path, "reading orders", e);
  }
}

}  // namespace osprey
