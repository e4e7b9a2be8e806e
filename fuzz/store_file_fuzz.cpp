// Fuzz target: opening and reading an Osprey trade store (store/store_file.hpp,
// store/sqlite_trade_store.hpp) that is an arbitrary file.
//
// Each input is written to a private file (named after the process id, see StorePath), then
// read by ReadTradesFile and ReadRiskStateFile, opened with SqliteTradeStore::Open(kReadWrite)
// and, when that succeeds, read with LoadTrades and LoadRiskState; the file and its -wal, -shm
// and -journal companions are removed afterwards.
// Properties, from the headers' promises:
// - no call crashes or throws, and every error names the file;
// - a file that does not start with the SQLite header is refused by every call and left
//   byte-identical (nothing is ever written to a file that is not an Osprey store);
// - a store that opens for writing and loads reads back the same (number of) trades and the same
//   presence of a risk state through the read-only functions once it is closed.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_check.hpp"
#include "store/sqlite_trade_store.hpp"
#include "store/store_file.hpp"

namespace {

constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};

// In $TMPDIR when set, else in /dev/shm when writable (a tmpfs: SQLite's syncs cost nothing there,
// about 6x more inputs per second than on a disk), else in /tmp.
std::string StorePath() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = dir != nullptr && *dir != '\0'           ? dir
                     : ::access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm"
                                                              : "/tmp";
  if (path.back() != '/') path += '/';
  return path + "osprey-store-fuzz-" + std::to_string(::getpid()) + ".db";
}

void RemoveStore(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
      std::fprintf(stderr, "store_file_fuzz: cannot remove %s: %s\n", file.c_str(),
                   std::strerror(errno));
      std::abort();
    }
  }
}

void WriteStore(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0;
  while (ok && !bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  if (!ok) {
    std::fprintf(stderr, "store_file_fuzz: cannot write %s: %s\n", path.c_str(),
                 std::strerror(errno));
    std::abort();
  }
}

std::string ReadBack(const std::string& path) {
  std::string bytes;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  FUZZ_CHECK(fd >= 0, "the store file vanished: " + path);
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    FUZZ_CHECK(n >= 0, "cannot read back " + path);
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

template <class T>
void CheckError(const osprey::Result<T>& result, const std::string& path, std::string_view call) {
  if (result) return;
  const std::string& message = result.error().message;
  FUZZ_CHECK(
      message.find(path) != std::string::npos,
      std::string(call) + ": the error does not name the file: " + result.error().ToString());
}

// A file that is not SQLite at all: every call refuses it and it stays as it was.
template <class T>
void CheckRefusedUntouched(const osprey::Result<T>& result, const std::string& path,
                           std::string_view bytes, std::string_view call) {
  FUZZ_CHECK(!result, std::string(call) + " accepted a file without the SQLite header");
  FUZZ_CHECK(ReadBack(path) == bytes, std::string(call) + " changed a file it refused");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = StorePath();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const bool sqlite = bytes.starts_with(kSqliteHeader);
  RemoveStore(path);
  WriteStore(path, bytes);

  const auto trades = osprey::ReadTradesFile(path);
  CheckError(trades, path, "ReadTradesFile");
  if (!sqlite) CheckRefusedUntouched(trades, path, bytes, "ReadTradesFile");

  const auto risk = osprey::ReadRiskStateFile(path);
  CheckError(risk, path, "ReadRiskStateFile");
  if (!sqlite) CheckRefusedUntouched(risk, path, bytes, "ReadRiskStateFile");

  std::optional<std::size_t> loaded_trades;
  std::optional<bool> loaded_risk;
  {
    auto store = osprey::SqliteTradeStore::Open(path, osprey::StoreAccess::kReadWrite);
    CheckError(store, path, "SqliteTradeStore::Open");
    if (!sqlite) CheckRefusedUntouched(store, path, bytes, "SqliteTradeStore::Open(kReadWrite)");
    if (store) {
      const auto all = (*store)->LoadTrades();
      CheckError(all, path, "LoadTrades");
      const auto state = (*store)->LoadRiskState();
      CheckError(state, path, "LoadRiskState");
      if (all && state) {
        loaded_trades = all->size();
        loaded_risk = state->has_value();
      }
    }
  }
  if (loaded_trades) {
    // The store is closed and migrated: the read-only readers see what the writer loaded.
    const auto again = osprey::ReadTradesFile(path);
    FUZZ_CHECK(
        again && again->size() == *loaded_trades,
        again ? "ReadTradesFile after LoadTrades: " + std::to_string(again->size()) +
                    " trades instead of " + std::to_string(*loaded_trades)
              : "ReadTradesFile fails after LoadTrades succeeded: " + again.error().ToString());
    const auto state = osprey::ReadRiskStateFile(path);
    FUZZ_CHECK(state && state->has_value() == *loaded_risk,
               state ? std::string("ReadRiskStateFile disagrees with LoadRiskState")
                     : "ReadRiskStateFile fails after LoadRiskState succeeded: " +
                           state.error().ToString());
  }
  RemoveStore(path);
  return 0;
}
