#pragma once
// One name table per enum: the name of a value and the value of a name both come from a single
// constexpr array of {value, name} rows, so a name cannot be printed that cannot be parsed back.
// A table must list every enumerator exactly once, in declaration order (row i holds value i);
// EnumTableComplete() checks that at compile time, and each table's header ties its size to the
// enum's count with a static_assert. Pure constexpr functions, no state.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace osprey {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// True when row i holds enumerator i for every row and no two names are equal or empty.
template <typename Row, std::size_t N>
constexpr bool EnumTableComplete(const std::array<Row, N>& table) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(table[i].value) != i || table[i].name.empty()) return false;
    for (std::size_t j = i + 1; j < N; ++j) {
      if (table[i].name == table[j].name) return false;
    }
  }
  return true;
}

// The name of `value`; "?" for a value outside the table (a cast of a bad integer).
template <typename Row, std::size_t N>
constexpr std::string_view EnumNameOf(const std::array<Row, N>& table, decltype(Row::value) value) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? table[i].name : std::string_view("?");
}

// The value named exactly `name` (case-sensitive); nullopt for any other text.
template <typename Row, std::size_t N>
constexpr std::optional<decltype(Row::value)> EnumParse(const std::array<Row, N>& table,
                                                        std::string_view name) {
  for (const Row& row : table) {
    if (row.name == name) return row.value;
  }
  return std::nullopt;
}

}  // namespace osprey
