#include "core/regular_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace osprey {
namespace {

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace

RegularFile::RegularFile(RegularFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

RegularFile& RegularFile::operator=(RegularFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string_view FileKindName(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a directory";
    case S_IFIFO: return "a FIFO (named pipe)";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    default: return "not a regular file";
  }
}

Result<RegularFile> OpenRegularFile(const std::string& path, std::size_t max_bytes,
                                    std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return Fail(ErrorCode::kNotFound, fmt::format("{}: no such {}", path, what));
    }
    return Fail(ErrorCode::kIo,
                fmt::format("{}: cannot open the {}: {}", path, what, ErrnoText(err)));
  }
  RegularFile file(fd, 0);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Fail(ErrorCode::kIo,
                fmt::format("{}: cannot inspect the {}: {}", path, what, ErrnoText(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: is {}, not a regular file; the {} must be a regular file", path,
                            FileKindName(static_cast<unsigned>(st.st_mode)), what));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > max_bytes) {
    return Fail(ErrorCode::kOutOfRange,
                fmt::format("{}: the {} holds {} bytes, more than the limit of {}", path, what,
                            size, max_bytes));
  }
  // Regular files never block; reads go back to blocking mode for clarity.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  file.size_ = size;
  return file;
}

Result<std::string> ReadRegularFile(const std::string& path, std::size_t max_bytes,
                                    std::string_view what) {
  auto file = OpenRegularFile(path, max_bytes, what);
  if (!file) return std::unexpected(std::move(file.error()));
  std::string text;
  // One spare byte: a file that grew since fstat is noticed without another size query.
  text.resize(file->size() + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (text.size() > max_bytes) {
        return Fail(ErrorCode::kOutOfRange,
                    fmt::format("{}: the {} grew past the limit of {} bytes while being read", path,
                                what, max_bytes));
      }
      text.resize(std::min(text.size() * 2, max_bytes + 1));
    }
    const ssize_t n = ::read(file->fd(), text.data() + used, text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrorCode::kIo,
                  fmt::format("{}: reading the {} failed: {}", path, what, ErrnoText(errno)));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) {
    return Fail(ErrorCode::kOutOfRange,
                fmt::format("{}: the {} grew past the limit of {} bytes while being read", path,
                            what, max_bytes));
  }
  text.resize(used);
  return text;
}

}  // namespace osprey
