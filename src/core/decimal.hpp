#pragma once
// Exact fixed-point decimal for prices, quantities, fees and balances.
//
// A value is a signed 128-bit integer count of 10^-12 units: twelve decimal places cover every
// price and quantity Binance prints (at most 8 places) with four to spare for exact intermediate
// results such as 0.33 * quantity. The range is about +-1.7e26.
//
// Promises:
// - Parse() and ToString() are lossless for every exchange string with at most 12 decimals.
// - + and - are exact; on overflow they abort (a broken invariant, values are far from the limit).
// - Multiplication and division round once, in the mode the caller names, and report overflow
//   as an error instead of wrapping.
// Values are immutable and trivially copyable; safe to share between threads.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace osprey {

enum class Rounding {
  kHalfEven,  // banker's rounding: the default for derived money amounts
  kHalfUp,    // ties away from zero
  kDown,      // toward zero (truncate): quantities we are allowed to sell
  kUp,        // away from zero: fees we owe
  kFloor,     // toward -infinity
  kCeiling,   // toward +infinity
};

class Decimal {
 public:
  using Raw = __int128;
  static constexpr int kScale = 12;
  static constexpr std::int64_t kOne = 1'000'000'000'000;  // 10^kScale

  constexpr Decimal() = default;

  static constexpr Decimal FromRaw(Raw raw) { return Decimal(raw); }
  static constexpr Decimal FromInt(std::int64_t units) { return Decimal(Raw{units} * kOne); }
  // value = mantissa * 10^-decimals, exact; decimals must be 0..12.
  static Decimal FromScaled(std::int64_t mantissa, int decimals);
  static constexpr Decimal Zero() { return Decimal(); }

  // Parses "123", "-0.00012300", "+5.", ".5". No exponent, no spaces, no thousands separators.
  // Fails (naming the text) on bad syntax, more than 12 significant decimal places, or overflow.
  static Result<Decimal> Parse(std::string_view text);
  // The shortest decimal that round-trips `value`, then parsed exactly (0.1 -> 0.1, not
  // 0.1000000000000000055...). Fails on NaN, infinity, overflow or more than 12 decimals after
  // rounding to 12 places with kHalfEven.
  static Result<Decimal> FromDouble(double value);

  constexpr Raw raw() const { return raw_; }
  // Nearest double (for analytics only: never send it to an exchange).
  double ToDouble() const;
  // Minimal form: no trailing zeros, no exponent ("0.0012", "42", "-1.5").
  std::string ToString() const;
  // Exactly `decimals` places (0..12), rounded half-even: for display and exchange requests.
  std::string ToFixed(int decimals) const;

  constexpr bool IsZero() const { return raw_ == 0; }
  constexpr bool IsNegative() const { return raw_ < 0; }
  constexpr bool IsPositive() const { return raw_ > 0; }
  constexpr Decimal Abs() const { return raw_ < 0 ? Decimal(-raw_) : *this; }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the synthesized comparison.
  friend constexpr auto operator<=>(Decimal a, Decimal b) = default;
  friend constexpr bool operator==(Decimal a, Decimal b) = default;

  friend Decimal operator+(Decimal a, Decimal b);
  friend Decimal operator-(Decimal a, Decimal b);
  friend constexpr Decimal operator-(Decimal a) { return Decimal(-a.raw_); }
  Decimal& operator+=(Decimal other) { return *this = *this + other; }
  Decimal& operator-=(Decimal other) { return *this = *this - other; }

  // a * b rounded once to 12 places; error on overflow.
  [[nodiscard]] static Result<Decimal> CheckedMul(Decimal a, Decimal b, Rounding mode);
  // a / b rounded once to 12 places; error on division by zero or overflow.
  [[nodiscard]] static Result<Decimal> CheckedDiv(Decimal a, Decimal b, Rounding mode);
  // Same, aborting on overflow: for products of values already bounded by validation.
  static Decimal Mul(Decimal a, Decimal b, Rounding mode = Rounding::kHalfEven);
  static Decimal Div(Decimal a, Decimal b, Rounding mode = Rounding::kHalfEven);

  // The multiple of `step` (> 0) nearest to this value in direction `mode`.
  Decimal RoundToStep(Decimal step, Rounding mode) const;
  // True when this value is an exact multiple of `step` (> 0).
  bool IsMultipleOf(Decimal step) const;

 private:
  explicit constexpr Decimal(Raw raw) : raw_(raw) {}
  Raw raw_ = 0;
};

// 10^0 .. 10^12: scaling factors between a count of decimals and the raw representation.
inline constexpr std::array<std::int64_t, Decimal::kScale + 1> kPowersOfTen = {1,
                                                                               10,
                                                                               100,
                                                                               1'000,
                                                                               10'000,
                                                                               100'000,
                                                                               1'000'000,
                                                                               10'000'000,
                                                                               100'000'000,
                                                                               1'000'000'000,
                                                                               10'000'000'000,
                                                                               100'000'000'000,
                                                                               1'000'000'000'000};

constexpr Decimal Min(Decimal a, Decimal b) { return a < b ? a : b; }
constexpr Decimal Max(Decimal a, Decimal b) { return a < b ? b : a; }

// Parses a literal known to be valid (constants in code and tests); aborts otherwise.
Decimal Dec(std::string_view text);

}  // namespace osprey
