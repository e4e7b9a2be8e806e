#pragma once
// FUZZ_CHECK(condition, detail): a property of the code under test. When it does not hold, the
// condition and `detail` (anything convertible to std::string_view, evaluated only then) are
// printed and the process aborts, which libFuzzer and the mutation driver report as a crash
// with the input that caused it.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace osprey::fuzz {

[[noreturn]] inline void PropertyBroken(const char* file, int line, const char* condition,
                                        std::string_view detail) {
  std::fprintf(stderr, "%s:%d: property broken: %s\n  %.*s\n", file, line, condition,
               static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace osprey::fuzz

#define FUZZ_CHECK(condition, detail)                                           \
  do {                                                                          \
    if (!(condition)) {                                                         \
      ::osprey::fuzz::PropertyBroken(__FILE__, __LINE__, #condition, (detail)); \
    }                                                                           \
  } while (false)
