#pragma once
// Reading input files safely: only regular files, never blocking, never unbounded. A FIFO, a
// device (/dev/zero), a socket or a directory given where a file is expected is refused at once
// instead of blocking forever or reading until memory runs out, and a file larger than the
// caller's limit is refused before anything is read.
// Pure functions of the file system; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace osprey {

// An open, regular, readable file and its size at open time. Owns the descriptor.
class RegularFile {
 public:
  RegularFile(RegularFile&& other) noexcept;
  RegularFile& operator=(RegularFile&& other) noexcept;
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;
  ~RegularFile();

  int fd() const { return fd_; }
  std::size_t size() const { return size_; }

 private:
  friend Result<RegularFile> OpenRegularFile(const std::string& path, std::size_t max_bytes,
                                             std::string_view what);
  RegularFile(int fd, std::size_t size) : fd_(fd), size_(size) {}
  int fd_ = -1;
  std::size_t size_ = 0;
};

// Opens `path` for reading without blocking (O_NONBLOCK, so a FIFO with no writer cannot hang
// the open) and checks what it is. `what` names the file in messages ("settings file").
// Fails with kNotFound when nothing is at `path`; kInvalidArgument when it is a directory,
// FIFO, device or socket (the message says which); kOutOfRange when it holds more than
// `max_bytes`; kIo when the system refuses (permissions, ...). Every message names the path.
[[nodiscard]] Result<RegularFile> OpenRegularFile(const std::string& path, std::size_t max_bytes,
                                                  std::string_view what);

// The whole content of a regular file of at most `max_bytes` (errors as OpenRegularFile; a file
// that grows past the limit while being read is refused with kOutOfRange).
[[nodiscard]] Result<std::string> ReadRegularFile(const std::string& path, std::size_t max_bytes,
                                                  std::string_view what);

// "a directory", "a FIFO (named pipe)", "a character device", ... for a stat st_mode.
std::string_view FileKindName(unsigned mode);

}  // namespace osprey
