// The SQLite store's orders journal (SaveOrder, LoadActiveOrders, ReadOrdersFile) and its
// engine-state key-value table (SaveState, LoadState), against the TradeStore port's contract.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {

// Readable gtest failure output.
void PrintTo(const OrderRecord& o, std::ostream* os) {
  *os << "{" << o.client_id << " trade " << o.trade_id << " " << o.symbol << " "
      << OrderRoleName(o.role) << " L" << o.level << " G" << o.generation << " list '" << o.list_id
      << "' " << SideName(o.side) << " " << OrderTypeName(o.type) << " q " << o.quantity.ToString()
      << " p " << o.price.ToString() << " sp " << o.stop_price.ToString() << " "
      << JournalStatusName(o.status) << " exec " << o.executed_quantity.ToString() << " quote "
      << o.cumulative_quote.ToString() << " xid " << o.exchange_order_id << " c " << o.created
      << " u " << o.updated << " '" << o.detail << "'}";
}

namespace {

using ::testing::HasSubstr;

constexpr TimeMs kT0 = 1'702'477'800'000;  // 2023-12-13T14:30:00Z

constexpr std::array kRoles = {OrderRole::kEntry, OrderRole::kTakeProfit, OrderRole::kStopLoss,
                               OrderRole::kExit};
constexpr std::array kStatuses = {JournalStatus::kSending,  JournalStatus::kUnknown,
                                  JournalStatus::kNew,      JournalStatus::kPartiallyFilled,
                                  JournalStatus::kFilled,   JournalStatus::kCanceled,
                                  JournalStatus::kRejected, JournalStatus::kExpired};

std::string FreshPath(const std::string& name) {
  std::string path = ::testing::TempDir() + "osprey_orders_" + name + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

std::unique_ptr<SqliteTradeStore> OpenOrDie(const std::string& path, const Clock* clock = nullptr) {
  auto store = SqliteTradeStore::Open(path, StoreAccess::kCreate, clock);
  EXPECT_TRUE(store) << store.error().ToString();
  return store ? std::move(*store) : nullptr;
}

SQLite::Database Raw(const std::string& path) {
  return SQLite::Database(path, SQLite::OPEN_READWRITE);
}

std::int64_t Count(SQLite::Database& db, const std::string& table) {
  return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

// An order with every field set to something that is easy to get wrong.
OrderRecord FullOrder(const std::string& client_id, const std::string& trade_id, TimeMs created) {
  OrderRecord o;
  o.client_id = client_id;
  o.trade_id = trade_id;
  o.symbol = "BTCUSDT";
  o.role = OrderRole::kTakeProfit;
  o.level = 2;
  o.generation = 7;
  o.list_id = "osp-T1-oco-2-7";
  o.side = Side::kSell;
  o.type = OrderType::kLimit;
  o.quantity = Dec("0.000012345678");
  o.price = Dec("43775.0103");
  o.stop_price = Dec("41225.009700");
  o.status = JournalStatus::kPartiallyFilled;
  o.executed_quantity = Dec("0.000004069999");
  o.cumulative_quote = Dec("178.163000000001");
  o.exchange_order_id = std::numeric_limits<std::int64_t>::max();
  o.created = created;
  o.updated = created + 1'234;
  o.detail = "-2010 Stop price would trigger immediately. 'quoted' \"twice\"\nsecond line";
  return o;
}

TradeRecord Trade(const std::string& id, TradeStatus status) {
  TradeRecord t;
  t.id = id;
  t.symbol = "BTCUSDT";
  t.side = "BUY";
  t.entry_time = kT0;
  t.exit_index = -1;
  t.status = status;
  return t;
}

TEST(OrderJournalTest, EveryFieldOfEveryRoleAndStatusRoundTripsExactly) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store);
  std::vector<OrderRecord> saved;
  TimeMs created = kT0;
  for (OrderRole role : kRoles) {
    for (JournalStatus status : kStatuses) {
      OrderRecord o = FullOrder("c" + std::to_string(saved.size()), "T1", created++);
      o.role = role;
      o.status = status;
      o.side = saved.size() % 2 == 0 ? Side::kBuy : Side::kSell;
      o.type = saved.size() % 3 == 0   ? OrderType::kMarket
               : saved.size() % 3 == 1 ? OrderType::kLimit
                                       : OrderType::kStopLoss;
      o.level = static_cast<int>(saved.size()) - 3;
      o.generation = saved.size() == 5 ? std::numeric_limits<int>::max() : 0;
      o.list_id = saved.size() % 4 == 0 ? "" : o.list_id;
      o.exchange_order_id = static_cast<std::int64_t>(saved.size()) * 1'000'000'007;
      o.detail = saved.size() == 1 ? "" : o.detail;
      ASSERT_TRUE(store->SaveOrder(o, std::nullopt)) << o.client_id;
      saved.push_back(o);
    }
  }
  auto loaded = store->LoadActiveOrders();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  EXPECT_EQ(*loaded, saved);
}

TEST(OrderJournalTest, StoresExactStringsAndReadableColumns) {
  const std::string path = FreshPath("columns");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveOrder(FullOrder("c1", "T1", kT0), std::nullopt));
  SQLite::Database raw = Raw(path);
  SQLite::Statement q(raw,
                      "SELECT role, side, type, quantity, cumulative_quote, status, created_utc, "
                      "typeof(price), exchange_order_id FROM orders");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "TAKE_PROFIT");
  EXPECT_EQ(q.getColumn(1).getString(), "SELL");
  EXPECT_EQ(q.getColumn(2).getString(), "LIMIT");
  EXPECT_EQ(q.getColumn(3).getString(), "0.000012345678");
  EXPECT_EQ(q.getColumn(4).getString(), "178.163000000001");
  EXPECT_EQ(q.getColumn(5).getString(), "PARTIALLY_FILLED");
  EXPECT_EQ(q.getColumn(6).getString(), "2023-12-13T14:30:00Z");
  EXPECT_EQ(q.getColumn(7).getString(), "text");
  EXPECT_EQ(q.getColumn(8).getInt64(), std::numeric_limits<std::int64_t>::max());
}

TEST(OrderJournalTest, SavingAgainReplacesTheRowWithTheSameClientId) {
  const std::string path = FreshPath("upsert");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  OrderRecord order = FullOrder("c1", "T1", kT0);
  order.status = JournalStatus::kSending;
  order.exchange_order_id = 0;
  ASSERT_TRUE(store->SaveOrder(order, std::nullopt));
  order.status = JournalStatus::kFilled;
  order.exchange_order_id = 4242;
  order.executed_quantity = order.quantity;
  order.updated = kT0 + 60'000;
  order.detail = "";
  ASSERT_TRUE(store->SaveOrder(order, std::nullopt));
  auto loaded = store->LoadActiveOrders();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0], order);
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "orders"), 1);
}

TEST(OrderJournalTest, ActiveOrdersAreThoseOfOpenTradesAndOfTradesWithoutARow) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(Trade("open", TradeStatus::kOpen), std::nullopt));
  ASSERT_TRUE(store->SaveTrade(Trade("closed", TradeStatus::kClosed), std::nullopt));
  ASSERT_TRUE(store->SaveOrder(FullOrder("o1", "open", kT0 + 2), std::nullopt));
  ASSERT_TRUE(store->SaveOrder(FullOrder("x1", "closed", kT0), std::nullopt));
  ASSERT_TRUE(store->SaveOrder(FullOrder("p1", "pending", kT0 + 1), std::nullopt));
  auto loaded = store->LoadActiveOrders();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].client_id, "p1");  // no trade row yet: an entry not yet filled
  EXPECT_EQ((*loaded)[1].client_id, "o1");

  // Once its trade closes, an order is no longer active.
  ASSERT_TRUE(store->SaveTrade(Trade("open", TradeStatus::kClosed), std::nullopt));
  loaded = store->LoadActiveOrders();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].client_id, "p1");
}

TEST(OrderJournalTest, ActiveOrdersAreOrderedByCreationTimeThenClientIdBytewise) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store);
  // Saved in an order that is neither the answer nor its reverse.
  for (const auto& [id, created] : std::vector<std::pair<std::string, TimeMs>>{
           {"b", kT0}, {"z", kT0 - 1}, {"a", kT0}, {"B", kT0}, {"a2", kT0 + 1}}) {
    ASSERT_TRUE(store->SaveOrder(FullOrder(id, "T1", created), std::nullopt));
  }
  auto loaded = store->LoadActiveOrders();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  std::vector<std::string> ids;
  for (const OrderRecord& o : *loaded) ids.push_back(o.client_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"z", "B", "a", "b", "a2"}));
}

TEST(OrderJournalTest, TheEventIsWrittenWithTheOrder) {
  const std::string path = FreshPath("event");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  const PositionEvent submitted{"T1",      "BTCUSDT",         kT0,           "NOT_OWNED",
                                "PENDING", "ENTRY_SUBMITTED", "client id c1"};
  OrderRecord entry = FullOrder("c1", "T1", kT0);
  entry.role = OrderRole::kEntry;
  entry.status = JournalStatus::kSending;
  ASSERT_TRUE(store->SaveOrder(entry, submitted));
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "orders"), 1);
  SQLite::Statement q(raw,
                      "SELECT trade_id, from_state, to_state, event, detail "
                      "FROM position_events");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "T1");
  EXPECT_EQ(q.getColumn(1).getString(), "NOT_OWNED");
  EXPECT_EQ(q.getColumn(2).getString(), "PENDING");
  EXPECT_EQ(q.getColumn(3).getString(), "ENTRY_SUBMITTED");
  EXPECT_EQ(q.getColumn(4).getString(), "client id c1");
  EXPECT_FALSE(q.executeStep());
}

TEST(OrderJournalTest, AFailedSaveStoresNeitherRowNorEventAndTheStoreStaysUsable) {
  const std::string path = FreshPath("atomic");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  OrderRecord before = FullOrder("c1", "T1", kT0);
  before.status = JournalStatus::kSending;
  ASSERT_TRUE(store->SaveOrder(before, std::nullopt));
  SQLite::Database raw = Raw(path);
  // The event is written after the row: failing it shows the row is rolled back with it.
  raw.exec(
      "CREATE TRIGGER reject_events BEFORE INSERT ON position_events "
      "BEGIN SELECT RAISE(ABORT, 'injected event failure'); END");
  ASSERT_TRUE(store->AppendEquity({kT0, Dec("1000"), Dec("1000"), 0}));  // buffered

  OrderRecord update = before;
  update.status = JournalStatus::kNew;
  update.exchange_order_id = 99;
  const PositionEvent event{"T1", "BTCUSDT", kT0, "PENDING", "PENDING", "ACKED", ""};
  auto failed = store->SaveOrder(update, event);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kStore);
  EXPECT_THAT(failed.error().message, HasSubstr(path + ": saving order 'c1' (NEW)"));
  EXPECT_THAT(failed.error().message, HasSubstr("injected event failure"));
  auto failed_new = store->SaveOrder(FullOrder("c2", "T2", kT0 + 1), event);
  ASSERT_FALSE(failed_new);

  auto loaded = store->LoadActiveOrders();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);    // no c2
  EXPECT_EQ((*loaded)[0], before);  // c1 as it was before the failed update
  EXPECT_EQ(Count(raw, "position_events"), 0);
  EXPECT_EQ(Count(raw, "equity_snapshots"), 0);  // rolled back too, but still buffered

  raw.exec("DROP TRIGGER reject_events");
  ASSERT_TRUE(store->SaveOrder(update, event));
  loaded = store->LoadActiveOrders();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0], update);
  EXPECT_EQ(Count(raw, "position_events"), 1);
  EXPECT_EQ(Count(raw, "equity_snapshots"), 1);  // committed with the order
}

TEST(OrderJournalTest, ASaveWhileAnotherWriterHoldsTheLockFailsAndStoresNothing) {
  const std::string path = FreshPath("locked");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  SQLite::Database other = Raw(path);
  {
    SQLite::Transaction lock(other, SQLite::TransactionBehavior::IMMEDIATE);
    const auto start = std::chrono::steady_clock::now();
    auto failed = store->SaveOrder(
        FullOrder("c1", "T1", kT0),
        PositionEvent{"T1", "BTCUSDT", kT0, "NOT_OWNED", "PENDING", "ENTRY_SUBMITTED", ""});
    const auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kStore);
    EXPECT_THAT(failed.error().message, HasSubstr(path + ": saving order 'c1'"));
    EXPECT_THAT(failed.error().message, HasSubstr("locked"));
    EXPECT_GE(waited, std::chrono::seconds(4));  // it waited for the lock before giving up
  }                                              // the other writer rolls back and lets go
  EXPECT_EQ(Count(other, "orders"), 0);
  EXPECT_EQ(Count(other, "position_events"), 0);
  ASSERT_TRUE(store->SaveOrder(FullOrder("c1", "T1", kT0), std::nullopt));
  EXPECT_EQ(Count(other, "orders"), 1);
}

TEST(OrderJournalTest, AnEmptyClientIdIsRefusedAndNothingIsWritten) {
  const std::string path = FreshPath("empty_id");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  auto refused = store->SaveOrder(FullOrder("", "T1", kT0),
                                  PositionEvent{"T1", "BTCUSDT", kT0, "A", "B", "C", ""});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message, HasSubstr("empty client id"));
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "orders"), 0);
  EXPECT_EQ(Count(raw, "position_events"), 0);
}

TEST(OrderJournalTest, TheSchemaRefusesAStatusThatIsNotAJournalStatus) {
  const std::string path = FreshPath("check");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveOrder(FullOrder("c1", "T1", kT0), std::nullopt));
  SQLite::Database raw = Raw(path);
  for (JournalStatus status : kStatuses) {
    raw.exec(std::string("UPDATE orders SET status = '") + std::string(JournalStatusName(status)) +
             "'");
  }
  EXPECT_THROW(raw.exec("UPDATE orders SET status = 'PENDING_CANCEL'"), SQLite::Exception);
}

// Writes `value` into `column` of order c1 behind the store's back (CHECK constraints off).
void Sabotage(SQLite::Database& raw, const std::string& column, const std::string& value) {
  raw.exec("PRAGMA ignore_check_constraints = ON");
  SQLite::Statement q(raw, "UPDATE orders SET " + column + " = ? WHERE client_id = 'c1'");
  q.bind(1, value);
  q.exec();
}

TEST(OrderJournalTest, ACorruptValueNamesTableRowAndColumn) {
  const std::string path = FreshPath("corrupt");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  const OrderRecord good = FullOrder("c1", "T1", kT0);
  ASSERT_TRUE(store->SaveOrder(good, std::nullopt));
  SQLite::Database raw = Raw(path);
  struct Case {
    std::string column, value, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"role", "TAKE_PROFIT_9", "unknown order role 'TAKE_PROFIT_9'"},
           {"status", "PENDING_CANCEL", "unknown order status 'PENDING_CANCEL'"},
           {"side", "SHORT", "unknown side 'SHORT'"},
           {"type", "STOP_LOSS_LIMIT", "unknown order type 'STOP_LOSS_LIMIT'"},
           {"executed_quantity", "1.2.3", "1.2.3"},
           {"level", "two", "expected an integer, found 'two'"},
       }) {
    SCOPED_TRACE(c.column);
    ASSERT_TRUE(store->SaveOrder(good, std::nullopt));
    Sabotage(raw, c.column, c.value);
    for (auto loaded : {store->LoadActiveOrders(), ReadOrdersFile(path)}) {
      ASSERT_FALSE(loaded);
      EXPECT_EQ(loaded.error().code, ErrorCode::kStore);
      EXPECT_THAT(loaded.error().message, HasSubstr(path));
      EXPECT_THAT(loaded.error().message,
                  HasSubstr("table orders, client_id 'c1', column " + c.column));
      EXPECT_THAT(loaded.error().message, HasSubstr(c.expected));
    }
  }
  ASSERT_TRUE(store->SaveOrder(good, std::nullopt));
  raw.exec("UPDATE orders SET generation = 4294967296 WHERE client_id = 'c1'");
  auto loaded = store->LoadActiveOrders();
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr("column generation: 4294967296 does not fit"));
}

TEST(OrderJournalTest, ADroppedOrdersTableIsAStoreError) {
  const std::string path = FreshPath("dropped");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  {
    SQLite::Database raw = Raw(path);
    raw.exec("DROP TABLE orders");
  }
  auto saved = store->SaveOrder(FullOrder("c1", "T1", kT0), std::nullopt);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::kStore);
  EXPECT_THAT(saved.error().message, HasSubstr("saving order 'c1'"));
  auto loaded = store->LoadActiveOrders();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kStore);
  EXPECT_THAT(loaded.error().message, HasSubstr(path + ": loading active orders"));
}

// ---- ReadOrdersFile --------------------------------------------------------------------------

TEST(ReadOrdersFileTest, ReadsEveryOrderAsSoonAsSaveOrderReturns) {
  const std::string path = FreshPath("read_file");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveTrade(Trade("closed", TradeStatus::kClosed), std::nullopt));
  const OrderRecord of_closed = FullOrder("x1", "closed", kT0 + 1);
  OrderRecord pending = FullOrder("p1", "pending", kT0);
  pending.status = JournalStatus::kSending;
  ASSERT_TRUE(store->SaveOrder(of_closed, std::nullopt));
  ASSERT_TRUE(store->SaveOrder(pending, std::nullopt));
  // Another connection sees the row while the store is open: it was committed before SaveOrder
  // returned, which is what lets the order manager send the request afterwards.
  auto read = ReadOrdersFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(*read, (std::vector<OrderRecord>{pending, of_closed}));  // closed trades too
  store.reset();
  read = ReadOrdersFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->size(), 2u);
}

TEST(ReadOrdersFileTest, NeverCreatesAFile) {
  const std::string path = FreshPath("missing");
  auto read = ReadOrdersFile(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(read.error().message, HasSubstr(path));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ReadOrdersFileTest, AnEmptyJournalIsAnEmptyList) {
  const std::string path = FreshPath("empty");
  { ASSERT_TRUE(OpenOrDie(path)); }
  auto read = ReadOrdersFile(path);
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_TRUE(read->empty());
}

// ---- engine state ----------------------------------------------------------------------------

TEST(EngineStateTest, AMissingKeyIsNullopt) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store);
  auto value = store->LoadState("kelly");
  ASSERT_TRUE(value) << value.error().ToString();
  EXPECT_FALSE(value->has_value());
}

TEST(EngineStateTest, ValuesRoundTripAndASecondSaveOverwrites) {
  const std::string path = FreshPath("state");
  const std::string json = R"({"wins":[1.5,-1,"x"],"note":"it's \"quoted\"\n\u00e9"})";
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->SaveState("kelly", "first"));
    ASSERT_TRUE(store->SaveState("kelly", json));
    ASSERT_TRUE(store->SaveState("paused", ""));
    ASSERT_TRUE(store->SaveState("é key", std::string("a\0b", 3)));
    auto kelly = store->LoadState("kelly");
    ASSERT_TRUE(kelly) << kelly.error().ToString();
    EXPECT_EQ(*kelly, json);
  }
  auto store = OpenOrDie(path);  // and it survives a restart
  ASSERT_TRUE(store);
  EXPECT_EQ(store->LoadState("kelly").value(), json);
  EXPECT_EQ(store->LoadState("paused").value(), std::string());
  EXPECT_EQ(store->LoadState("é key").value(), std::string("a\0b", 3));
  EXPECT_FALSE(store->LoadState("Kelly").value().has_value());  // keys are exact
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(Count(raw, "engine_state"), 3);
}

TEST(EngineStateTest, UpdatedIsTheClocksTimeOrNullWithoutAClock) {
  const std::string path = FreshPath("state_updated");
  SimulatedClock clock(kT0);
  {
    auto store = OpenOrDie(path, &clock);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->SaveState("kelly", "1"));
    clock.AdvanceTo(kT0 + 5);
    ASSERT_TRUE(store->SaveState("paused", "yes"));
  }
  SQLite::Database raw = Raw(path);
  EXPECT_EQ(raw.execAndGet("SELECT updated FROM engine_state WHERE key = 'kelly'").getInt64(), kT0);
  EXPECT_EQ(raw.execAndGet("SELECT updated FROM engine_state WHERE key = 'paused'").getInt64(),
            kT0 + 5);
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->SaveState("kelly", "2"));
  }
  EXPECT_TRUE(raw.execAndGet("SELECT updated FROM engine_state WHERE key = 'kelly'").isNull());
}

TEST(EngineStateTest, FailuresAreStoreErrorsNamingTheKey) {
  const std::string path = FreshPath("state_fail");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveState("kelly", "1"));
  SQLite::Database raw = Raw(path);
  raw.exec("UPDATE engine_state SET value = X'00ff' WHERE key = 'kelly'");  // a BLOB
  auto corrupt = store->LoadState("kelly");
  ASSERT_FALSE(corrupt);
  EXPECT_EQ(corrupt.error().code, ErrorCode::kStore);
  EXPECT_THAT(corrupt.error().message,
              HasSubstr(path + ": corrupt value in table engine_state, key 'kelly', column "
                               "value: expected text"));

  raw.exec(
      "CREATE TRIGGER reject_state BEFORE UPDATE ON engine_state "
      "BEGIN SELECT RAISE(ABORT, 'injected state failure'); END");
  auto failed = store->SaveState("kelly", "2");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kStore);
  EXPECT_THAT(failed.error().message, HasSubstr(path + ": saving engine state 'kelly'"));
  EXPECT_THAT(failed.error().message, HasSubstr("injected state failure"));
  raw.exec("DROP TRIGGER reject_state");
  ASSERT_TRUE(store->SaveState("kelly", "3"));
  EXPECT_EQ(store->LoadState("kelly").value(), "3");

  raw.exec("DROP TABLE engine_state");
  auto missing = store->LoadState("kelly");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kStore);
  EXPECT_THAT(missing.error().message, HasSubstr(path + ": loading engine state 'kelly'"));
}

}  // namespace
}  // namespace osprey
