#include "app/output_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>

namespace osprey {
namespace {

namespace fs = std::filesystem;

// How often Claim starts over when the folder is replaced under it (another run committing).
constexpr int kMaxClaimAttempts = 10;
// Symlinks followed by hand when resolving an --out symlink to a missing folder.
constexpr int kMaxSymlinkHops = 40;

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Owns a file descriptor in Claim's error paths.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

UniqueFd OpenDir(const fs::path& p) {
  return UniqueFd(::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

// True if this call took the exclusive lock, false if another open file description holds it.
Result<bool> TryLock(int fd, const fs::path& p) {
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return false;
    return Fail(ErrorCode::kIo, "cannot lock " + p.string() + ": " + ErrnoText(errno));
  }
}

// Whether `fd` is the inode found at `p` right now (not a folder renamed away meanwhile).
bool SameInode(int fd, const fs::path& p) {
  struct stat at_fd {};
  struct stat at_path {};
  return ::fstat(fd, &at_fd) == 0 && ::lstat(p.c_str(), &at_path) == 0 &&
         at_fd.st_dev == at_path.st_dev && at_fd.st_ino == at_path.st_ino;
}

// The pid holding a flock on the inode of `fd`, from the kernel's list in /proc/locks (lines like
// "1: FLOCK  ADVISORY  WRITE 1234 fe:00:247066 0 EOF"); none if unknown or in another pid
// namespace.
std::optional<long> LockHolderPid(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    std::istringstream words(line);
    std::string id, kind, mode, access, where;
    long pid = 0;
    // Waiters are listed as "1: -> FLOCK ..."; they do not hold the lock.
    if (!(words >> id >> kind >> mode >> access >> pid >> where) || kind != "FLOCK") continue;
    unsigned dev_major = 0;
    unsigned dev_minor = 0;
    unsigned long long ino = 0;
    if (std::sscanf(where.c_str(), "%x:%x:%llu", &dev_major, &dev_minor, &ino) != 3) continue;
    if (dev_major == major(st.st_dev) && dev_minor == minor(st.st_dev) && ino == st.st_ino &&
        pid > 0) {
      return pid;
    }
  }
  return std::nullopt;
}

std::unexpected<Error> InUse(const fs::path& target, int locked_by_other) {
  const std::optional<long> pid = LockHolderPid(locked_by_other);
  return Fail(ErrorCode::kIo, target.string() + " is in use by another osprey run" +
                                  (pid ? " (pid " + std::to_string(*pid) + ")" : std::string()) +
                                  "; wait for it or choose another --out");
}

// The absolute folder `dir` names, symlinks resolved (also a symlink to a folder not created yet).
Result<fs::path> Resolve(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.empty()) return Fail(ErrorCode::kInvalidArgument, "the --out folder name is empty");
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot resolve --out " + dir + ": " + ec.message());
  for (int hops = 0; fs::is_symlink(fs::symlink_status(p, ec)) && !fs::exists(p, ec); ++hops) {
    if (hops == kMaxSymlinkHops) {
      return Fail(ErrorCode::kInvalidArgument, "--out " + dir + " is a loop of symlinks");
    }
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) return Fail(ErrorCode::kIo, "cannot read symlink " + p.string() + ": " + ec.message());
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  fs::path resolved = fs::exists(p, ec) ? fs::canonical(p, ec) : fs::weakly_canonical(p, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot resolve --out " + dir + ": " + ec.message());
  if (!resolved.has_filename()) resolved = resolved.parent_path();
  if (!resolved.has_filename() || resolved == resolved.root_path()) {
    return Fail(ErrorCode::kInvalidArgument, "--out " + dir + " cannot be the root folder");
  }
  return resolved;
}

// Entries `.<name>.<kind><digits>` in `parent` (kind "partial-" or "old-"): folders of earlier
// runs.
std::vector<fs::path> Leftovers(const fs::path& parent, const std::string& name,
                                std::string_view kind) {
  const std::string prefix = "." + name + "." + std::string(kind);
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (entry.size() > prefix.size() && entry.starts_with(prefix) &&
        std::all_of(entry.begin() + static_cast<std::ptrdiff_t>(prefix.size()), entry.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      found.push_back(it->path());
    }
  }
  return found;
}

// Renames `from` to `to` unless `to` exists (RENAME_NOREPLACE where the filesystem has it).
int RenameNoReplace(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) return -1;
  return ::rename(from.c_str(), to.c_str());
}

// Opens the folder at `dir` and locks it for the run on `target`. Returns the locked fd, an fd
// of -1 if the folder vanished or was replaced meanwhile (try again), kIo "in use" naming
// `target` if another run holds it, or the error.
Result<UniqueFd> OpenLocked(const fs::path& dir, const fs::path& target) {
  UniqueFd fd = OpenDir(dir);
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) return UniqueFd();
    return Fail(ErrorCode::kIo, "cannot open " + dir.string() + ": " + ErrnoText(errno));
  }
  const Result<bool> locked = TryLock(fd.get(), dir);
  if (!locked) return std::unexpected(locked.error());
  if (!*locked) return InUse(target, fd.get());
  if (!SameInode(fd.get(), dir)) return UniqueFd();
  return fd;
}

// Renames `old` (the previous outputs, left by a run killed inside CommitByRenames) back to
// `target` and returns it locked. An fd of -1 means the folders changed meanwhile: try again.
Result<UniqueFd> RestoreOld(const fs::path& old, const fs::path& target) {
  // Locked by another run: a live run is between its two renames.
  Result<UniqueFd> fd = OpenLocked(old, target);
  if (!fd || fd->get() < 0) return fd;
  if (RenameNoReplace(old, target) != 0) {
    if (errno == EEXIST || errno == ENOTEMPTY || errno == ENOENT) return UniqueFd();
    return Fail(ErrorCode::kIo, "cannot restore the previous outputs " + old.string() + " to " +
                                    target.string() + ": " + ErrnoText(errno));
  }
  if (!SameInode(fd->get(), target)) return UniqueFd();
  return fd;
}

// One attempt to lock the folder at `target`, creating or restoring it if missing. Returns the
// locked fd, an fd of -1 if the folder was replaced meanwhile (try again), or the error.
Result<UniqueFd> LockTarget(const fs::path& target, const fs::path& parent,
                            const std::string& name) {
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--out " + target.string() + " exists and is not a folder");
    }
  } else if (errno != ENOENT) {
    return Fail(ErrorCode::kIo, "cannot inspect " + target.string() + ": " + ErrnoText(errno));
  } else if (std::vector<fs::path> olds = Leftovers(parent, name, "old-"); !olds.empty()) {
    // Normally at most one; if several, the newest holds the latest complete outputs.
    std::error_code ec;
    const auto newest =
        std::max_element(olds.begin(), olds.end(), [&](const fs::path& a, const fs::path& b) {
          return fs::last_write_time(a, ec) < fs::last_write_time(b, ec);
        });
    return RestoreOld(*newest, target);
  } else if (::mkdir(target.c_str(), 0777) != 0 && errno != EEXIST) {
    return Fail(ErrorCode::kIo, "cannot create " + target.string() + ": " + ErrnoText(errno));
  }
  return OpenLocked(target, target);
}

Result<void> RefuseForeignEntries(const fs::path& target, const std::vector<std::string>& owned) {
  std::vector<std::string> foreign;
  std::error_code ec;
  for (fs::directory_iterator it(target, ec), end; !ec && it != end; it.increment(ec)) {
    std::string entry = it->path().filename().string();
    if (std::find(owned.begin(), owned.end(), entry) == owned.end()) {
      foreign.push_back(std::move(entry));
    }
  }
  if (ec) return Fail(ErrorCode::kIo, "cannot list " + target.string() + ": " + ec.message());
  if (foreign.empty()) return {};
  std::sort(foreign.begin(), foreign.end());
  constexpr std::size_t kShown = 5;
  std::string list;
  for (std::size_t i = 0; i < std::min(foreign.size(), kShown); ++i) {
    list += (i == 0 ? "" : ", ") + foreign[i];
  }
  if (foreign.size() > kShown) list += " and " + std::to_string(foreign.size() - kShown) + " more";
  return Fail(ErrorCode::kInvalidArgument, target.string() + " holds files osprey did not write (" +
                                               list + "); give --out an empty or new folder");
}

// Removes the staging and old folders of earlier runs on this target. The caller holds the lock,
// so they belong to killed runs; one still locked (a live run that lost the folder to a rename by
// hand) is kept. Errors are ignored: a concurrent removal is fine.
void RemoveLeftovers(const fs::path& parent, const std::string& name) {
  for (std::string_view kind : {"partial-", "old-"}) {
    for (const fs::path& leftover : Leftovers(parent, name, kind)) {
      const UniqueFd fd = OpenDir(leftover);
      if (fd.get() >= 0) {
        const Result<bool> locked = TryLock(fd.get(), leftover);
        if (locked && !*locked) continue;
      }
      std::error_code ec;
      fs::remove_all(leftover, ec);
    }
  }
}

Result<void> FsyncPath(const fs::path& p) {
  const UniqueFd fd(::open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    return Fail(ErrorCode::kIo, "cannot flush " + p.string() + ": " + ErrnoText(errno));
  }
  return {};
}

// fsyncs every regular file and folder under `root` (symlinks are not followed), then `root`.
Result<void> FsyncTree(const fs::path& root, int root_fd) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_regular_file(st) || fs::is_directory(st)) {
      if (Result<void> flushed = FsyncPath(it->path()); !flushed) return flushed;
    }
  }
  if (ec) return Fail(ErrorCode::kIo, "cannot list " + root.string() + ": " + ec.message());
  if (::fsync(root_fd) != 0) {
    return Fail(ErrorCode::kIo, "cannot flush " + root.string() + ": " + ErrnoText(errno));
  }
  return {};
}

}  // namespace

Result<OutputFolder> OutputFolder::Claim(const std::string& dir,
                                         std::vector<std::string> owned_names) {
  const Result<fs::path> resolved = Resolve(dir);
  if (!resolved) return std::unexpected(resolved.error());
  const fs::path& target = *resolved;
  const fs::path parent = target.parent_path();
  const std::string name = target.filename().string();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot create " + parent.string() + ": " + ec.message());

  UniqueFd target_fd;
  for (int attempt = 0; target_fd.get() < 0; ++attempt) {
    if (attempt == kMaxClaimAttempts) {
      return Fail(ErrorCode::kIo, target.string() +
                                      " kept being replaced while osprey tried to lock it; is "
                                      "another program renaming it?");
    }
    Result<UniqueFd> locked = LockTarget(target, parent, name);
    if (!locked) return std::unexpected(locked.error());
    target_fd = std::move(*locked);
  }
  if (Result<void> ok = RefuseForeignEntries(target, owned_names); !ok) {
    return std::unexpected(ok.error());
  }
  RemoveLeftovers(parent, name);

  // 0700 until it has the target's mode, so nobody else can plant anything inside meanwhile.
  const fs::path staging = parent / ("." + name + ".partial-" + std::to_string(::getpid()));
  if (::mkdir(staging.c_str(), 0700) != 0) {
    return Fail(ErrorCode::kIo,
                "cannot create the staging folder " + staging.string() + ": " + ErrnoText(errno));
  }
  UniqueFd staging_fd = OpenDir(staging);
  if (staging_fd.get() < 0) {
    const int err = errno;
    fs::remove_all(staging, ec);
    return Fail(ErrorCode::kIo, "cannot open " + staging.string() + ": " + ErrnoText(err));
  }
  // From here the object owns both: its destructor removes the staging folder on failure.
  OutputFolder folder(target, staging, target_fd.release(), staging_fd.release());
  struct stat target_st {};
  if (::fstat(folder.target_fd_, &target_st) == 0) {
    ::fchmod(folder.staging_fd_, target_st.st_mode & 07777);  // cosmetic; a failure is harmless
  }
  const Result<bool> locked = TryLock(folder.staging_fd_, staging);
  if (!locked) return std::unexpected(locked.error());
  if (!*locked) return InUse(target, folder.staging_fd_);
  return folder;
}

OutputFolder::OutputFolder(fs::path target, fs::path staging, int target_fd, int staging_fd)
    : target_(std::move(target)),
      staging_(std::move(staging)),
      target_fd_(target_fd),
      staging_fd_(staging_fd) {}

OutputFolder::OutputFolder(OutputFolder&& other) noexcept
    : target_(std::move(other.target_)),
      staging_(std::move(other.staging_)),
      target_fd_(std::exchange(other.target_fd_, -1)),
      staging_fd_(std::exchange(other.staging_fd_, -1)),
      committed_(other.committed_) {}

OutputFolder& OutputFolder::operator=(OutputFolder&& other) noexcept {
  if (this != &other) {
    Release();
    target_ = std::move(other.target_);
    staging_ = std::move(other.staging_);
    target_fd_ = std::exchange(other.target_fd_, -1);
    staging_fd_ = std::exchange(other.staging_fd_, -1);
    committed_ = other.committed_;
  }
  return *this;
}

OutputFolder::~OutputFolder() { Release(); }

void OutputFolder::Release() noexcept {
  if (target_fd_ < 0) return;  // moved from
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
  if (staging_fd_ >= 0) ::close(std::exchange(staging_fd_, -1));
  ::close(std::exchange(target_fd_, -1));  // releases the lock, last
}

Result<void> OutputFolder::PrepareCommit() {
  if (target_fd_ < 0) return Fail(ErrorCode::kInternal, "Commit on a moved-from OutputFolder");
  if (committed_) return Fail(ErrorCode::kInternal, "Commit called twice for " + target_.string());
  return FsyncTree(staging_, staging_fd_);
}

Result<void> OutputFolder::Commit() {
  if (Result<void> ready = PrepareCommit(); !ready) return ready;
  if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) return SwapByRenames();
    return Fail(ErrorCode::kIo, "cannot swap " + staging_.string() + " with " + target_.string() +
                                    ": " + ErrnoText(errno));
  }
  return FinishSwap(staging_);  // the previous outputs are now at staging_
}

Result<void> OutputFolder::CommitByRenames() {
  if (Result<void> ready = PrepareCommit(); !ready) return ready;
  return SwapByRenames();
}

Result<void> OutputFolder::SwapByRenames() {
  const fs::path old = target_.parent_path() /
                       ("." + target_.filename().string() + ".old-" + std::to_string(::getpid()));
  if (::rename(target_.c_str(), old.c_str()) != 0) {
    return Fail(ErrorCode::kIo, "cannot move " + target_.string() + " aside to " + old.string() +
                                    ": " + ErrnoText(errno));
  }
  // A kill here leaves no folder at target_; the next Claim renames `old` back.
  if (::rename(staging_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    ::rename(old.c_str(), target_.c_str());  // if this fails too, the next Claim restores it
    return Fail(ErrorCode::kIo, "cannot move " + staging_.string() + " to " + target_.string() +
                                    ": " + ErrnoText(err));
  }
  return FinishSwap(old);
}

Result<void> OutputFolder::FinishSwap(const fs::path& previous) {
  std::swap(target_fd_, staging_fd_);  // both locked, so the folder at target_ stays locked
  committed_ = true;
  Result<void> flushed = FsyncPath(target_.parent_path());
  std::error_code ec;
  fs::remove_all(previous, ec);  // a failure only leaves a leftover for the next Claim
  ::close(std::exchange(staging_fd_, -1));
  if (!flushed) {
    return Fail(ErrorCode::kIo, "the new outputs are in " + target_.string() +
                                    " but may not survive a crash: " + flushed.error().message);
  }
  return {};
}

Result<void> OutputFolder::WriteNewFile(const fs::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return Fail(ErrorCode::kIo, "cannot create " + path.string() + ": " + ErrnoText(errno));
  const auto fail = [&](std::string_view what, int err) {
    ::unlink(path.c_str());  // O_EXCL: the file is ours
    return Fail(ErrorCode::kIo,
                "cannot " + std::string(what) + " " + path.string() + ": " + ErrnoText(err));
  };
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail("write", err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail("flush", err);
  }
  if (::close(fd) != 0) return fail("close", errno);
  return {};
}

}  // namespace osprey
