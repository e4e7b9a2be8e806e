#pragma once
// The folder a run writes its outputs into (`osprey backtest --out DIR`), replaced as a whole.
// Promises: one run at a time per folder (a second run fails at once, naming the holder's pid);
// the folder only ever holds the complete outputs of one run, the previous ones until Commit and
// the new ones after it, even if the process is killed (the run writes into a fresh staging folder
// beside DIR, and Commit swaps the two with one atomic rename); nothing is written through a
// symlink planted in DIR; a folder holding files osprey did not write is refused, never replaced.
//
// How: the run holds flock(LOCK_EX) on DIR's inode and on its staging folder's inode, so after
// Commit swaps the two the folder at DIR is still locked. The pid in the "in use" message is read
// from /proc/locks (the kernel's record of the lock holder; nothing stale is written to disk). The
// staging folder is `.<name>.partial-<pid>` beside DIR; a killed run leaves it (and, on filesystems
// without RENAME_EXCHANGE, maybe `.<name>.old-<pid>`) behind, and the next Claim on DIR removes it
// (or renames the old folder back to DIR if DIR is missing).
//
// Thread contract: not thread-safe; one per run. Close every file written into staging() before
// Commit. Linux only (flock, renameat2, /proc/locks).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace osprey {

class OutputFolder {
 public:
  // Claims `dir` for this run. `dir` may be missing (it and its parents are created) or a symlink
  // (the folder it resolves to is used; the symlink stays). On success the folder is locked until
  // this object is destroyed, leftovers of killed runs are gone and staging() is a new empty
  // folder. Fails with kInvalidArgument if `dir` is not a folder or holds an entry whose name is
  // not in `owned_names` (naming up to 5 of them; nothing is touched), with kIo if another run
  // holds the folder ("... is in use by another osprey run (pid N) ...") or the system refuses.
  [[nodiscard]] static Result<OutputFolder> Claim(const std::string& dir,
                                                  std::vector<std::string> owned_names);

  OutputFolder(OutputFolder&& other) noexcept;
  OutputFolder& operator=(OutputFolder&& other) noexcept;
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  // Without a successful Commit, removes the staging folder (the previous outputs stay as they
  // were); then releases the lock.
  ~OutputFolder();

  // The resolved folder (absolute, no symlinks), e.g. /home/me/out/backtest.
  const std::filesystem::path& target() const { return target_; }
  // The folder the run writes into, beside target(): `.<name>.partial-<pid>`. Meaningless after
  // Commit.
  const std::filesystem::path& staging() const { return staging_; }

  // Makes the staging folder's content the content of target(): fsyncs the staged files and the
  // staging folder, swaps the two folders with renameat2(RENAME_EXCHANGE), fsyncs the parent and
  // removes the previous content (a failure there is ignored). Falls back to CommitByRenames on
  // filesystems without RENAME_EXCHANGE. On failure before the swap, kIo and target() is
  // untouched; if only the parent's fsync fails, kIo though the new outputs are in place. A second
  // Commit after a successful swap is a programming error: kInternal.
  [[nodiscard]] Result<void> Commit();

  // Commit with two renames instead of one exchange (target -> `.<name>.old-<pid>`, staging ->
  // target): what Commit does when the filesystem lacks RENAME_EXCHANGE. A kill between the two
  // renames leaves no folder at target(); the next Claim renames the old folder back. Public so
  // tests can pin this path; callers use Commit.
  [[nodiscard]] Result<void> CommitByRenames();

  // Creates `path` (never an existing file, never through a symlink: O_CREAT|O_EXCL|O_NOFOLLOW),
  // writes `content`, fsyncs and closes it. Fails with kIo naming the path and the system's reason
  // (a partly written file is removed).
  [[nodiscard]] static Result<void> WriteNewFile(const std::filesystem::path& path,
                                                 std::string_view content);

 private:
  OutputFolder(std::filesystem::path target, std::filesystem::path staging, int target_fd,
               int staging_fd);
  Result<void> PrepareCommit();
  Result<void> SwapByRenames();
  Result<void> FinishSwap(const std::filesystem::path& previous);
  void Release() noexcept;

  std::filesystem::path target_;
  std::filesystem::path staging_;
  int target_fd_ = -1;   // locked; the inode at target_ (after Commit, the new content)
  int staging_fd_ = -1;  // locked; the inode at staging_ (after Commit, closed)
  bool committed_ = false;
};

}  // namespace osprey
