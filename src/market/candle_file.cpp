#include "market/candle_file.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstring>
#include <memory>
#include <system_error>

#include "core/regular_file.hpp"

namespace osprey {
namespace {

// Required columns; the order is the slot order used while parsing a row.
constexpr std::array<std::string_view, 6> kColumns = {"open_time_ms", "open",  "high",
                                                      "low",          "close", "volume"};
constexpr std::int8_t kIgnored = -1;

// The text handed to the parser is followed by kPadding NUL bytes, so the digit scanners may load
// 8 bytes at a time without bounds checks (a NUL is neither a digit nor '.').
constexpr std::size_t kPadding = 8;

// A growable byte buffer that, unlike std::string, does not zero what it allocates (the reader and
// the inflater overwrite every byte they keep), with kPadding bytes of slack past its capacity.
class ByteBuffer {
 public:
  explicit ByteBuffer(std::size_t capacity) { Reallocate(std::max<std::size_t>(capacity, 64)); }

  char* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  void set_size(std::size_t n) { size_ = n; }  // n <= capacity()
  void Grow() { Reallocate(capacity_ * 2); }
  void GrowTo(std::size_t capacity) { Reallocate(std::max(capacity, capacity_)); }
  // The bytes, followed by kPadding NULs.
  std::string_view PaddedView() {
    std::memset(data_.get() + size_, 0, kPadding);
    return {data_.get(), size_};
  }

 private:
  void Reallocate(std::size_t capacity) {
    auto fresh = std::make_unique_for_overwrite<char[]>(capacity + kPadding);
    if (size_ != 0) std::memcpy(fresh.get(), data_.get(), size_);
    data_ = std::move(fresh);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Reads a whole regular file of at most kMaxCandleFileBytes into a padded buffer.
Result<ByteBuffer> ReadWholeFile(const std::string& path) {
  auto file = OpenRegularFile(path, kMaxCandleFileBytes, "candle file");
  if (!file) {
    Error e = std::move(file.error());
    if (e.code == ErrorCode::kOutOfRange) e.code = ErrorCode::kData;  // the file's content: exit 1
    return std::unexpected(std::move(e));
  }
  // One spare byte so that a file that grew since fstat is read fully without a size query.
  ByteBuffer buf(file->size() + 1);
  for (;;) {
    if (buf.size() == buf.capacity()) {
      if (buf.size() > kMaxCandleFileBytes) {
        return Fail(ErrorCode::kData,
                    fmt::format("{}: the candle file grew past the limit of {} bytes while being "
                                "read",
                                path, kMaxCandleFileBytes));
      }
      buf.Grow();
    }
    const ssize_t n = ::read(file->fd(), buf.data() + buf.size(), buf.capacity() - buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrorCode::kIo, fmt::format("{}: read failed: {}", path, ErrnoText(errno)));
    }
    if (n == 0) break;
    buf.set_size(buf.size() + static_cast<std::size_t>(n));
  }
  if (buf.size() > kMaxCandleFileBytes) {
    return Fail(ErrorCode::kData,
                fmt::format("{}: the candle file grew past the limit of {} bytes while being read",
                            path, kMaxCandleFileBytes));
  }
  return buf;
}

// The most a gzip stream of `compressed` bytes may inflate to: real kline files inflate about
// 3-4x; a stream far out of proportion (a "zip bomb", a 2 GiB line in 2 MB) is refused before
// it can exhaust memory.
std::size_t InflateLimit(std::size_t compressed) {
  return std::min(kMaxCandleFileBytes, std::max(kMaxInflateRatio * compressed, kMinInflateLimit));
}

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

// Inflates a whole (possibly multi-member) gzip file in one inflate loop into a buffer pre-sized
// from the trailer's ISIZE: a single allocation and zlib's fast path all the way.
Result<ByteBuffer> Gunzip(std::string_view in, const std::string& path) {
  const std::size_t limit = InflateLimit(in.size());
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    return Fail(ErrorCode::kInternal, fmt::format("{}: zlib inflateInit2 failed", path));
  }
  struct Ender {
    z_stream* zs;
    ~Ender() { inflateEnd(zs); }
  } ender{&zs};

  // ISIZE (last 4 bytes) is the uncompressed size mod 2^32 of the last member: only a hint.
  std::size_t estimate = in.size() * 4;
  if (in.size() >= 18) {
    const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
    const std::size_t isize =
        static_cast<std::size_t>(t[0]) | (static_cast<std::size_t>(t[1]) << 8) |
        (static_cast<std::size_t>(t[2]) << 16) | (static_cast<std::size_t>(t[3]) << 24);
    if (isize >= in.size() / 2 && isize / 1100 <= in.size()) estimate = isize;
  }
  ByteBuffer out(std::min(estimate, limit));
  std::size_t in_pos = 0;
  for (;;) {
    if (out.size() >= limit) {
      return Fail(ErrorCode::kData,
                  fmt::format("{}: the gzip stream inflates to more than {} bytes ({}x its {} "
                              "compressed bytes, at most {}); refused as out of proportion for "
                              "a candle file",
                              path, limit, kMaxInflateRatio, in.size(), kMaxCandleFileBytes));
    }
    if (out.size() == out.capacity()) out.GrowTo(std::min(out.capacity() * 2, limit));
    const std::size_t in_chunk = std::min<std::size_t>(in.size() - in_pos, UINT_MAX);
    const std::size_t out_chunk =
        std::min({out.capacity() - out.size(), limit - std::min(limit, out.size()),
                  static_cast<std::size_t>(UINT_MAX)});
    // zlib's API is not const-correct; it never writes through next_in.
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + in_pos));
    zs.avail_in = static_cast<uInt>(in_chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + out.size());
    zs.avail_out = static_cast<uInt>(out_chunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    in_pos += in_chunk - zs.avail_in;
    out.set_size(out.size() + out_chunk - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (in_pos == in.size()) break;
      // Concatenated gzip members form one valid file (as `cat a.gz b.gz` produces).
      if (!IsGzip(in.substr(in_pos))) {
        return Fail(ErrorCode::kData,
                    fmt::format("{}: corrupt gzip: {} trailing bytes after the gzip stream", path,
                                in.size() - in_pos));
      }
      if (inflateReset(&zs) != Z_OK) {
        return Fail(ErrorCode::kInternal, fmt::format("{}: zlib inflateReset failed", path));
      }
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR) {
      if (zs.avail_out == 0) continue;  // output full: grown at the top of the loop
      return Fail(ErrorCode::kData,
                  fmt::format("{}: corrupt gzip: truncated stream (file ends after {} bytes)", path,
                              in.size()));
    }
    if (rc == Z_MEM_ERROR) {
      return Fail(ErrorCode::kIo, fmt::format("{}: out of memory while inflating", path));
    }
    return Fail(ErrorCode::kData, fmt::format("{}: corrupt gzip: {}", path,
                                              zs.msg != nullptr ? zs.msg : "invalid data"));
  }
  return out;
}

enum class FieldError : std::uint8_t {
  kNone,
  kEmpty,
  kExponent,
  kNotNumber,
  kOutOfRange,
  kLongDecimal,  // over 19 digits or 12 decimals: decided by Decimal::Parse (slow, rare)
};

// Fields end at ',', at the line end ("\n" or "\r\n") or at the end of the text.
inline bool AtFieldEnd(const char* q, const char* end) {
  return q == end || *q == ',' || *q == '\n' || *q == '\r';
}

inline const char* SkipField(const char* q, const char* end) {
  while (!AtFieldEnd(q, end)) ++q;
  return q;
}

// What stopped a number before the end of its field.
constexpr FieldError StopReason(char c) {
  return c == 'e' || c == 'E' ? FieldError::kExponent : FieldError::kNotNumber;
}

constexpr std::array<std::uint64_t, 9> kPow10U = {
    1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000};

inline std::uint64_t Load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;  // little-endian: p[0] is the lowest byte
}

// Number of leading ASCII digits in an 8-byte chunk. A byte's flag is exact as long as all lower
// bytes are digits (no carry or borrow reaches it), which is all the lowest set flag needs.
inline int LeadingDigits(std::uint64_t chunk) {
  const std::uint64_t above_nine = chunk + 0x4646464646464646ULL;  // '9' + 0x46 = 0x7f
  const std::uint64_t below_zero = chunk - 0x3030303030303030ULL;
  const std::uint64_t non_digit = (above_nine | below_zero) & 0x8080808080808080ULL;
  return non_digit == 0 ? 8 : __builtin_ctzll(non_digit) / 8;
}

// Value of the first n (1..8) digits of a chunk, by SWAR: no per-digit loop or branch.
inline std::uint64_t DigitsValue(std::uint64_t chunk, int n) {
  // Shifting the n digits to the top leaves zero bytes in front of them: leading zero digits.
  std::uint64_t v = (chunk - 0x3030303030303030ULL) << (8 * (8 - n));
  v = (v * 10) + (v >> 8);  // byte pairs -> two-digit values in the even bytes
  constexpr std::uint64_t kMask = 0x000000FF000000FFULL;
  constexpr std::uint64_t kMul1 = 100 + (1'000'000ULL << 32);
  constexpr std::uint64_t kMul2 = 1 + (10'000ULL << 32);
  v = (((v & kMask) * kMul1) + (((v >> 16) & kMask) * kMul2)) >> 32;
  return v & 0xFFFFFFFFULL;
}

// Appends the run of digits at q to `value` (wrapping past 19 digits: callers count digits and
// reject such runs); returns the first non-digit.
inline const char* ScanDigits(const char* q, std::uint64_t& value) {
  for (;;) {
    const std::uint64_t chunk = Load8(q);
    const int n = LeadingDigits(chunk);
    if (n == 0) return q;
    value = value * kPow10U[static_cast<std::size_t>(n)] + DigitsValue(chunk, n);
    q += n;
    if (n < 8) return q;
  }
}

// Parses `[+-]digits[.digits]` into a raw value at scale 12 straight from the digits (no double,
// no allocation). On success `p` is left at the end of the field.
inline FieldError ParseDecimalField(const char*& p, const char* end, Decimal::Raw& out) {
  const char* q = p;
  if (AtFieldEnd(q, end)) return FieldError::kEmpty;
  const bool negative = *q == '-';
  if (negative || *q == '+') ++q;
  std::uint64_t mantissa = 0;
  const char* const first = q;
  q = ScanDigits(q, mantissa);
  std::ptrdiff_t digits = q - first;
  std::ptrdiff_t decimals = 0;
  if (*q == '.') {
    ++q;
    const char* const fraction = q;
    q = ScanDigits(q, mantissa);
    decimals = q - fraction;
    digits += decimals;
  }
  if (!AtFieldEnd(q, end)) return StopReason(*q);
  if (digits == 0) return FieldError::kNotNumber;
  // 19 digits always fit 64 bits; the mantissa may have wrapped beyond, so it is discarded.
  if (digits > 19 || decimals > Decimal::kScale) return FieldError::kLongDecimal;
  // < 10^19 * 10^12 < 2^127: cannot overflow.
  const Decimal::Raw v =
      static_cast<Decimal::Raw>(mantissa) *
      static_cast<Decimal::Raw>(kPowersOfTen[static_cast<std::size_t>(Decimal::kScale - decimals)]);
  out = negative ? -v : v;
  p = q;
  return FieldError::kNone;
}

// Parses a non-negative integer of at most 18 digits.
inline FieldError ParseTimeField(const char*& p, const char* end, std::int64_t& out) {
  const char* q = p;
  if (AtFieldEnd(q, end)) return FieldError::kEmpty;
  std::uint64_t v = 0;
  q = ScanDigits(q, v);
  if (!AtFieldEnd(q, end)) return StopReason(*q);
  if (q - p > 18) return FieldError::kOutOfRange;
  out = static_cast<std::int64_t>(v);
  p = q;
  return FieldError::kNone;
}

class CandleCsvParser {
 public:
  // `text` must be followed by kPadding NUL bytes and outlive the parser.
  CandleCsvParser(std::string_view text, const std::string& path, TimeMs interval_ms)
      : text_(text), path_(path), interval_ms_(interval_ms) {}

  Result<void> Parse(CandleSeries& series) {
    const char* p = text_.data();
    const char* const end = p + text_.size();
    if (text_.size() >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;  // UTF-8 BOM
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    const char* q = nl != nullptr ? static_cast<const char*>(nl) + 1 : end;
    std::string_view header(p, static_cast<std::size_t>((nl != nullptr ? q - 1 : end) - p));
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    if (header.size() > kMaxCandleLineBytes) {
      return Fail(ErrorCode::kParse, fmt::format("{}:1: the header line is longer than {} bytes",
                                                 path_, kMaxCandleLineBytes));
    }
    if (header.find('\r') != std::string_view::npos) {
      // Old Mac line endings (CR only) would make the whole file one header line.
      return Fail(ErrorCode::kParse,
                  fmt::format("{}:1: carriage return inside the header line; lines must end with "
                              "\\n or \\r\\n (CR-only line endings are not supported)",
                              path_));
    }
    if (auto r = ParseHeader(header); !r) return r;
    series.candles.reserve(EstimateRows(q, end));

    std::int64_t line = 1;
    std::int64_t prev_line = 0;
    TimeMs prev_time = 0;
    while (q != end) {
      ++line;
      if (*q == '\n' || *q == '\r') {
        // Trailing blank lines are tolerated; a blank line between rows is not skipped silently.
        if (std::all_of(q, end, [](char ch) { return ch == '\n' || ch == '\r'; })) break;
        return Fail(ErrorCode::kParse, fmt::format("{}:{}: blank line between rows", path_, line));
      }
      Candle c;
      const char* const line_start = q;
      if (auto r = ParseRow(q, end, line, c); !r) return r;
      if (static_cast<std::size_t>(q - line_start) > kMaxCandleLineBytes) [[unlikely]] {
        return Fail(ErrorCode::kParse, fmt::format("{}:{}: line longer than {} bytes", path_, line,
                                                   kMaxCandleLineBytes));
      }
      // ParseRow stops at the line end.
      if (q != end && *q == '\r') {
        ++q;
        if (q != end && *q != '\n') {
          return Fail(ErrorCode::kParse,
                      fmt::format("{}:{}: carriage return not followed by a newline", path_, line));
        }
      }
      if (q != end) ++q;

      const TimeMs t = c.open_time;
      // Consecutive bars, the common case, are on the grid without a division.
      if (prev_line == 0 || t - prev_time != interval_ms_) {
        if (auto r = CheckTime(t, line, prev_time, prev_line, series.gaps); !r) return r;
      }
      prev_time = t;
      prev_line = line;
      series.candles.push_back(c);
    }
    if (series.candles.empty()) {
      return Fail(ErrorCode::kData,
                  fmt::format("{}: no candle rows after the header; nothing to replay", path_));
    }
    return {};
  }

 private:
  // Row count from the mean length of the first lines plus a margin: one reservation instead of
  // log2(n) reallocations, without a full counting pass (a scalar count costs a third of the
  // parse). Unused capacity is never touched, so the margin costs address space, not memory.
  static std::size_t EstimateRows(const char* p, const char* end) {
    constexpr int kSample = 64;
    const char* q = p;
    std::size_t lines = 0;
    for (; lines < kSample && q < end; ++lines) {
      const void* nl = std::memchr(q, '\n', static_cast<std::size_t>(end - q));
      q = nl != nullptr ? static_cast<const char*>(nl) + 1 : end;
    }
    if (q >= end) return lines + 1;
    const auto sampled = static_cast<std::size_t>(q - p);
    if (sampled == 0) return lines;
    const auto total = static_cast<std::size_t>(end - p);
    return total / sampled * lines * 9 / 8 + lines;
  }

  Result<void> ParseHeader(std::string_view header) {
    if (header.empty()) {
      return Fail(ErrorCode::kParse,
                  fmt::format("{}:1: empty first line, expected a header with columns {}", path_,
                              fmt::join(kColumns, ",")));
    }
    std::array<bool, kColumns.size()> seen{};
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = header.find(',', start);
      const std::string_view name =
          header.substr(start, comma == std::string_view::npos ? comma : comma - start);
      std::int8_t slot = kIgnored;
      for (std::size_t k = 0; k < kColumns.size(); ++k) {
        if (name != kColumns[k]) continue;
        if (seen[k]) {
          return Fail(ErrorCode::kParse,
                      fmt::format("{}:1: header names column '{}' twice", path_, name));
        }
        seen[k] = true;
        slot = static_cast<std::int8_t>(k);
      }
      slots_.push_back(slot);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    for (std::size_t k = 0; k < kColumns.size(); ++k) {
      if (!seen[k]) {
        return Fail(ErrorCode::kParse, fmt::format("{}:1: header lacks column '{}' (header: '{}')",
                                                   path_, kColumns[k], header));
      }
    }
    return {};
  }

  // Parses and validates one row, leaving `q` at the line end.
  Result<void> ParseRow(const char*& q, const char* end, std::int64_t line, Candle& c) {
    std::array<Decimal::Raw, 5> v{};  // open, high, low, close, volume
    if (auto r = ParseFields(q, end, line, c.open_time, v); !r) return r;
    const auto [open, high, low, close, volume] = v;
    if (open <= 0 || high <= 0 || low <= 0 || close <= 0 || volume < 0 ||
        low > std::min(open, close) || high < std::max(open, close)) [[unlikely]] {
      return ValueFailure(v, line);
    }
    c.open = Decimal::FromRaw(open);
    c.high = Decimal::FromRaw(high);
    c.low = Decimal::FromRaw(low);
    c.close = Decimal::FromRaw(close);
    c.volume = Decimal::FromRaw(volume);
    return {};
  }

  // Walks the fields once, parsing the required columns in place (the hot loop); a field that
  // does not parse is named in the error.
  Result<void> ParseFields(const char*& q, const char* end, std::int64_t line, TimeMs& open_time,
                           std::array<Decimal::Raw, 5>& v) const {
    const std::size_t columns = slots_.size();
    for (std::size_t col = 0; col < columns; ++col) {
      if (col > 0) {
        if (q == end || *q != ',') {
          return Fail(ErrorCode::kParse, fmt::format("{}:{}: {} fields, the header has {}", path_,
                                                     line, col, columns));
        }
        ++q;
      }
      const std::int8_t slot = slots_[col];
      if (slot == kIgnored) {
        q = SkipField(q, end);
        continue;
      }
      const char* const field = q;
      const FieldError err = slot == 0
                                 ? ParseTimeField(q, end, open_time)
                                 : ParseDecimalField(q, end, v[static_cast<std::size_t>(slot - 1)]);
      if (err != FieldError::kNone) {
        q = SkipField(field, end);
        if (auto r = FieldFailure(line, static_cast<std::size_t>(slot), field, q, err,
                                  v[static_cast<std::size_t>(std::max(slot - 1, 0))]);
            !r) {
          return r;
        }
      }
    }
    if (q != end && *q == ',') {
      return Fail(ErrorCode::kParse,
                  fmt::format("{}:{}: more fields than the header's {}", path_, line, columns));
    }
    return {};
  }

  // Off the hot path: a row not exactly one bar after the previous one.
  Result<void> CheckTime(TimeMs t, std::int64_t line, TimeMs prev_time, std::int64_t prev_line,
                         std::vector<CandleGap>& gaps) const {
    // Rows ascend, and a row one bar after a checked one is in range too: checking the first
    // row and every jump covers the file.
    if (t < kEarliestCandleTimeMs || t >= kLatestCandleTimeMs) {
      if (t >= kEarliestCandleTimeMs * 1000 && t < kLatestCandleTimeMs * 1000) {
        return Fail(ErrorCode::kData,
                    fmt::format("{}:{}: open_time_ms {} looks like microseconds (as milliseconds "
                                "it is {}; as microseconds {}); the column must hold "
                                "milliseconds: divide by 1000",
                                path_, line, t, FormatIsoUtc(t), FormatIsoUtc(t / 1000)));
      }
      return Fail(ErrorCode::kData,
                  fmt::format("{}:{}: open_time_ms {} ({}) is outside {} .. {}: not a Unix time "
                              "in milliseconds",
                              path_, line, t, FormatIsoUtc(t), FormatIsoUtc(kEarliestCandleTimeMs),
                              FormatIsoUtc(kLatestCandleTimeMs)));
    }
    if (t % interval_ms_ != 0) {
      return Fail(ErrorCode::kData,
                  fmt::format("{}:{}: open_time_ms {} ({}) is not on the bar grid (not a multiple "
                              "of the interval {} ms)",
                              path_, line, t, FormatIsoUtc(t), interval_ms_));
    }
    if (prev_line == 0) return {};
    if (t == prev_time) {
      return Fail(ErrorCode::kData,
                  fmt::format("{}:{}: duplicate open_time_ms {} ({}), same as line {}", path_, line,
                              t, FormatIsoUtc(t), prev_line));
    }
    if (t < prev_time) {
      return Fail(ErrorCode::kData,
                  fmt::format("{}:{}: open_time_ms {} ({}) is earlier than {} ({}) on line {}; "
                              "rows must be sorted ascending",
                              path_, line, t, FormatIsoUtc(t), prev_time, FormatIsoUtc(prev_time),
                              prev_line));
    }
    gaps.push_back(
        CandleGap{prev_time + interval_ms_, t - interval_ms_, (t - prev_time) / interval_ms_ - 1});
    return {};
  }

  // Cold path for a field that did not parse. A long decimal is handed to Decimal::Parse and, if
  // valid, stored in `value` (success); anything else becomes a kParse error.
  Result<void> FieldFailure(std::int64_t line, std::size_t slot, const char* field,
                            const char* field_end, FieldError err, Decimal::Raw& value) const {
    const std::string_view text(field, static_cast<std::size_t>(field_end - field));
    const std::string_view column = kColumns[slot];
    std::string what;
    switch (err) {
      case FieldError::kLongDecimal: {
        auto d = Decimal::Parse(text);
        if (d) {
          value = d->raw();
          return {};
        }
        what = d.error().message;
        break;
      }
      case FieldError::kEmpty: what = "empty field"; break;
      case FieldError::kExponent:
        what = fmt::format("exponent notation is not accepted: '{}'", text);
        break;
      case FieldError::kNotNumber:
        what = fmt::format("not a {}: '{}'", slot == 0 ? "non-negative integer" : "decimal number",
                           text);
        break;
      case FieldError::kOutOfRange: what = fmt::format("out of range: '{}'", text); break;
      case FieldError::kNone: return {};
    }
    return Fail(ErrorCode::kParse,
                fmt::format("{}:{}: column '{}': {}", path_, line, column, what));
  }

  // Cold path: names the first violated rule of a parsed row.
  Result<void> ValueFailure(const std::array<Decimal::Raw, 5>& v, std::int64_t line) const {
    const auto s = [](Decimal::Raw raw) { return Decimal::FromRaw(raw).ToString(); };
    for (std::size_t k = 0; k < 4; ++k) {
      if (v[k] <= 0) {
        return Fail(ErrorCode::kData,
                    fmt::format("{}:{}: column '{}': price must be positive, got {}", path_, line,
                                kColumns[k + 1], s(v[k])));
      }
    }
    if (v[4] < 0) {
      return Fail(ErrorCode::kData,
                  fmt::format("{}:{}: column 'volume': negative volume {}", path_, line, s(v[4])));
    }
    const auto [open, high, low, close, volume] = v;
    if (low > std::min(open, close)) {
      return Fail(ErrorCode::kData, fmt::format("{}:{}: low {} is above min(open {}, close {})",
                                                path_, line, s(low), s(open), s(close)));
    }
    return Fail(ErrorCode::kData, fmt::format("{}:{}: high {} is below max(open {}, close {})",
                                              path_, line, s(high), s(open), s(close)));
  }

  std::string_view text_;
  const std::string& path_;
  TimeMs interval_ms_;
  std::vector<std::int8_t> slots_;  // per header column: index into kColumns, or kIgnored
};

}  // namespace

namespace {

// Inflates `bytes` when it is gzip, then parses it. `bytes` holds the content (PaddedView()).
Result<CandleSeries> ParseBuffer(ByteBuffer bytes, const std::string& source,
                                 std::string_view symbol, TimeMs interval_ms) {
  if (interval_ms <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: interval must be positive, got {} ms", source, interval_ms));
  }
  const std::string_view raw = bytes.PaddedView();
  if (IsGzip(raw)) {
    auto inflated = Gunzip(raw, source);
    if (!inflated) return std::unexpected(std::move(inflated.error()));
    bytes = std::move(*inflated);
  }
  const std::string_view text = bytes.PaddedView();
  CandleSeries series;
  series.symbol = std::string(symbol);
  series.interval_ms = interval_ms;
  CandleCsvParser parser(text, source, interval_ms);
  if (auto r = parser.Parse(series); !r) return std::unexpected(std::move(r.error()));
  return series;
}

}  // namespace

Result<CandleSeries> LoadCandleFile(const std::string& path, std::string_view symbol,
                                    TimeMs interval_ms) {
  auto bytes = ReadWholeFile(path);
  if (!bytes) return std::unexpected(std::move(bytes.error()));
  return ParseBuffer(*std::move(bytes), path, symbol, interval_ms);
}

Result<CandleSeries> ParseCandleBytes(std::string_view content, std::string_view source_name,
                                      std::string_view symbol, TimeMs interval_ms) {
  const std::string source(source_name);
  if (content.size() > kMaxCandleFileBytes) {
    return Fail(ErrorCode::kData, fmt::format("{}: {} bytes, more than the limit of {}", source,
                                              content.size(), kMaxCandleFileBytes));
  }
  ByteBuffer bytes(content.size());
  if (!content.empty()) std::memcpy(bytes.data(), content.data(), content.size());
  bytes.set_size(content.size());
  return ParseBuffer(std::move(bytes), source, symbol, interval_ms);
}

}  // namespace osprey
