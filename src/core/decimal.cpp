#include "core/decimal.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace osprey {
namespace {

using U128 = unsigned __int128;
using Raw = Decimal::Raw;

constexpr Raw kRawMax = static_cast<Raw>(~U128{0} >> 1);

U128 Magnitude(Raw v) { return v < 0 ? U128{0} - static_cast<U128>(v) : static_cast<U128>(v); }

// Whether a quotient with remainder `rem` of `divisor` should be bumped by one unit of magnitude.
bool RoundAway(U128 quotient, U128 rem, U128 divisor, bool negative, Rounding mode) {
  if (rem == 0) return false;
  switch (mode) {
    case Rounding::kDown: return false;
    case Rounding::kUp: return true;
    case Rounding::kFloor: return negative;
    case Rounding::kCeiling: return !negative;
    case Rounding::kHalfUp: return rem >= divisor - rem;
    case Rounding::kHalfEven: {
      const U128 other = divisor - rem;
      if (rem != other) return rem > other;
      return (quotient & 1U) != 0;
    }
  }
  return false;
}

// 256-bit unsigned as four 64-bit limbs, least significant first.
using U256 = std::array<std::uint64_t, 4>;

U256 Mul128(U128 a, U128 b) {
  const U128 mask = 0xFFFFFFFFFFFFFFFFULL;
  const U128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
  const U128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  U256 r{};
  r[0] = static_cast<std::uint64_t>(p00);
  U128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
  r[1] = static_cast<std::uint64_t>(mid);
  U128 high = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + (p11 & mask);
  r[2] = static_cast<std::uint64_t>(high);
  r[3] = static_cast<std::uint64_t>((high >> 64) + (p11 >> 64));
  return r;
}

// Divides a 256-bit value by a 64-bit divisor; returns the quotient and the remainder.
struct DivResult {
  U256 quotient;
  std::uint64_t remainder;
};
DivResult Div256By64(const U256& n, std::uint64_t d) {
  DivResult out{};
  U128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    const U128 cur = (rem << 64) | n[static_cast<std::size_t>(i)];
    out.quotient[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(cur / d);
    rem = cur % d;
  }
  out.remainder = static_cast<std::uint64_t>(rem);
  return out;
}

// Binary long division of a 256-bit value by a 128-bit divisor (slow path, rare).
struct DivResult128 {
  U256 quotient;
  U128 remainder;
};
DivResult128 Div256By128(const U256& n, U128 d) {
  DivResult128 out{};
  U128 rem = 0;
  for (int bit = 255; bit >= 0; --bit) {
    const bool carry = (rem >> 127) != 0;
    rem = (rem << 1) | ((n[static_cast<std::size_t>(bit / 64)] >> (bit % 64)) & 1U);
    if (carry || rem >= d) {
      rem -= d;
      out.quotient[static_cast<std::size_t>(bit / 64)] |= std::uint64_t{1} << (bit % 64);
    }
  }
  out.remainder = rem;
  return out;
}

Result<Raw> ToSigned(const U256& q, bool bump, bool negative) {
  if (q[2] != 0 || q[3] != 0) return Fail(ErrorCode::kOverflow, "decimal result out of range");
  U128 mag = (static_cast<U128>(q[1]) << 64) | q[0];
  if (bump) ++mag;
  if (mag > static_cast<U128>(kRawMax)) {
    return Fail(ErrorCode::kOverflow, "decimal result out of range");
  }
  const Raw v = static_cast<Raw>(mag);
  return negative ? -v : v;
}

U128 QuotientLow(const U256& q) { return (static_cast<U128>(q[1]) << 64) | q[0]; }

}  // namespace

Decimal Decimal::FromScaled(std::int64_t mantissa, int decimals) {
  OSPREY_CHECK(decimals >= 0 && decimals <= kScale, "Decimal::FromScaled: decimals out of 0..12");
  return Decimal(Raw{mantissa} * kPowersOfTen[static_cast<std::size_t>(kScale - decimals)]);
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Fail(ErrorCode::kParse,
                "invalid decimal '" + std::string(text) + "': " + std::string(why));
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  U128 mag = 0;
  int int_digits = 0;
  int frac_digits = 0;
  const U128 limit = static_cast<U128>(kRawMax) / kOne;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    mag = mag * 10 + static_cast<U128>(text[i] - '0');
    if (mag > limit) return bad("out of range");
  }
  mag *= static_cast<U128>(kOne);
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
      const int digit = text[i] - '0';
      if (frac_digits >= kScale) {
        if (digit != 0) return bad("more than 12 decimal places");
        continue;
      }
      mag += static_cast<U128>(digit) *
             static_cast<U128>(kPowersOfTen[static_cast<std::size_t>(kScale - 1 - frac_digits)]);
    }
  }
  if (int_digits + frac_digits == 0) return bad("no digits");
  if (i != text.size()) return bad("unexpected character");
  // The integer part is bounded above, but integer part plus fraction can still pass kRawMax.
  if (mag > static_cast<U128>(kRawMax)) return bad("out of range");
  const Raw v = static_cast<Raw>(mag);
  return Decimal(negative ? -v : v);
}

Result<Decimal> Decimal::FromDouble(double value) {
  if (!std::isfinite(value))
    return Fail(ErrorCode::kInvalidArgument, "decimal from non-finite double");
  std::array<char, 64> buf{};
  auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed);
  if (ec != std::errc()) return Fail(ErrorCode::kOverflow, "decimal from double out of range");
  std::string_view text(buf.data(), static_cast<std::size_t>(end - buf.data()));
  // Shortest fixed form can carry more than 12 places (1e-13): round it to 12 places.
  const auto dot = text.find('.');
  if (dot != std::string_view::npos && text.size() - dot - 1 > kScale) {
    std::array<char, 64> fixed{};
    auto [end2, ec2] = std::to_chars(fixed.data(), fixed.data() + fixed.size(), value,
                                     std::chars_format::fixed, kScale);
    if (ec2 != std::errc()) return Fail(ErrorCode::kOverflow, "decimal from double out of range");
    return Parse(std::string_view(fixed.data(), static_cast<std::size_t>(end2 - fixed.data())));
  }
  return Parse(text);
}

double Decimal::ToDouble() const {
  // Up to 2^53 both the raw value and 10^12 are exact doubles, and one IEEE division of exact
  // operands is correctly rounded.
  constexpr Raw kExact = Raw{1} << 53;
  if (raw_ > -kExact && raw_ < kExact) {
    return static_cast<double>(raw_) / static_cast<double>(kOne);
  }
  // Otherwise raw / 10^12 = (raw / 5^12) * 2^-12. Shift the magnitude left as far as 128 bits
  // allow, so that the integer quotient by 5^12 (< 2^28) keeps at least 99 significant bits, and
  // fold a non-zero remainder into its lowest bit (a sticky bit far below the 53 kept): the one
  // rounding of that integer to double is then the rounding of the exact value. Scaling by a
  // power of two is exact.
  constexpr U128 kFive12 = 244'140'625;  // 5^12
  U128 scaled = Magnitude(raw_);         // >= 2^53 here
  int shift = 0;
  for (; (scaled >> 127) == 0; scaled <<= 1) ++shift;
  U128 quotient = scaled / kFive12;
  if (scaled % kFive12 != 0) quotient |= 1;
  const double magnitude = std::ldexp(static_cast<double>(quotient), -shift - kScale);
  return raw_ < 0 ? -magnitude : magnitude;
}

std::string Decimal::ToString() const {
  U128 mag = Magnitude(raw_);
  U128 int_part = mag / static_cast<U128>(kOne);
  std::uint64_t frac = static_cast<std::uint64_t>(mag % static_cast<U128>(kOne));
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(int_part % 10)));
    int_part /= 10;
  } while (int_part != 0);
  std::string out = raw_ < 0 ? "-" + digits : digits;
  if (frac != 0) {
    std::string f(kScale, '0');
    for (int k = kScale - 1; k >= 0; --k) {
      f[static_cast<std::size_t>(k)] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  return out;
}

std::string Decimal::ToFixed(int decimals) const {
  OSPREY_CHECK(decimals >= 0 && decimals <= kScale, "Decimal::ToFixed: decimals out of 0..12");
  const Decimal step = FromScaled(1, decimals);
  const Decimal rounded = RoundToStep(step, Rounding::kHalfEven);
  std::string s = rounded.ToString();
  if (decimals == 0) return s;
  auto dot = s.find('.');
  if (dot == std::string::npos) {
    s += '.';
    dot = s.size() - 1;
  }
  const std::size_t have = s.size() - dot - 1;
  s.append(static_cast<std::size_t>(decimals) - have, '0');
  return s;
}

Decimal operator+(Decimal a, Decimal b) {
  Raw out = 0;
  OSPREY_CHECK(!__builtin_add_overflow(a.raw_, b.raw_, &out), "Decimal addition overflow");
  return Decimal(out);
}

Decimal operator-(Decimal a, Decimal b) {
  Raw out = 0;
  OSPREY_CHECK(!__builtin_sub_overflow(a.raw_, b.raw_, &out), "Decimal subtraction overflow");
  return Decimal(out);
}

Result<Decimal> Decimal::CheckedMul(Decimal a, Decimal b, Rounding mode) {
  const bool negative = (a.raw_ < 0) != (b.raw_ < 0);
  const U128 ma = Magnitude(a.raw_);
  const U128 mb = Magnitude(b.raw_);
  const U128 one = static_cast<U128>(kOne);
  // Fast path: the product fits 127 bits, one 128-bit division.
  if ((ma >> 63) == 0 && (mb >> 63) == 0) {
    const U128 p = ma * mb;
    const U128 q = p / one;
    const U128 r = p % one;
    const U128 mag = q + (RoundAway(q, r, one, negative, mode) ? 1U : 0U);
    const Raw v = static_cast<Raw>(mag);
    return Decimal(negative ? -v : v);
  }
  const DivResult d = Div256By64(Mul128(ma, mb), static_cast<std::uint64_t>(kOne));
  auto v = ToSigned(d.quotient,
                    RoundAway(QuotientLow(d.quotient), d.remainder, one, negative, mode), negative);
  if (!v)
    return Fail(ErrorCode::kOverflow, "decimal overflow in " + a.ToString() + " * " + b.ToString());
  return Decimal(*v);
}

Result<Decimal> Decimal::CheckedDiv(Decimal a, Decimal b, Rounding mode) {
  if (b.raw_ == 0)
    return Fail(ErrorCode::kInvalidArgument, "decimal division by zero: " + a.ToString() + " / 0");
  const bool negative = (a.raw_ < 0) != (b.raw_ < 0);
  const U128 ma = Magnitude(a.raw_);
  const U128 mb = Magnitude(b.raw_);
  const U128 one = static_cast<U128>(kOne);
  if (ma <= (~U128{0} >> 1) / one) {
    const U128 n = ma * one;
    const U128 q = n / mb;
    const U128 r = n % mb;
    U128 mag = q + (RoundAway(q, r, mb, negative, mode) ? 1U : 0U);
    if (mag > static_cast<U128>(kRawMax)) {
      return Fail(ErrorCode::kOverflow,
                  "decimal overflow in " + a.ToString() + " / " + b.ToString());
    }
    const Raw v = static_cast<Raw>(mag);
    return Decimal(negative ? -v : v);
  }
  const DivResult128 d = Div256By128(Mul128(ma, one), mb);
  auto v = ToSigned(d.quotient, RoundAway(QuotientLow(d.quotient), d.remainder, mb, negative, mode),
                    negative);
  if (!v)
    return Fail(ErrorCode::kOverflow, "decimal overflow in " + a.ToString() + " / " + b.ToString());
  return Decimal(*v);
}

Decimal Decimal::Mul(Decimal a, Decimal b, Rounding mode) {
  auto r = CheckedMul(a, b, mode);
  if (!r) Panic(r.error().message);
  return *r;
}

Decimal Decimal::Div(Decimal a, Decimal b, Rounding mode) {
  auto r = CheckedDiv(a, b, mode);
  if (!r) Panic(r.error().message);
  return *r;
}

Decimal Decimal::RoundToStep(Decimal step, Rounding mode) const {
  OSPREY_CHECK(step.raw_ > 0, "Decimal::RoundToStep: step must be positive");
  const bool negative = raw_ < 0;
  const U128 mag = Magnitude(raw_);
  const U128 s = static_cast<U128>(step.raw_);
  const U128 q = mag / s;
  const U128 r = mag % s;
  const U128 n = q + (RoundAway(q, r, s, negative, mode) ? 1U : 0U);
  const Raw v = static_cast<Raw>(n * s);
  return Decimal(negative ? -v : v);
}

bool Decimal::IsMultipleOf(Decimal step) const {
  OSPREY_CHECK(step.raw_ > 0, "Decimal::IsMultipleOf: step must be positive");
  return raw_ % step.raw_ == 0;
}

Decimal Dec(std::string_view text) {
  auto r = Decimal::Parse(text);
  if (!r) Panic(r.error().message);
  return *r;
}

}  // namespace osprey
