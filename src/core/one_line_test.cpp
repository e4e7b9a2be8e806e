#include "core/one_line.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

TEST(OneLine, ControlCharactersBecomeEscapes) {
  EXPECT_EQ(OneLine("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(OneLine(std::string("x\x1b[31my\x7f", 8)), "x\\x1b[31my\\x7f");
  EXPECT_EQ(OneLine(std::string("nul\0end", 7)), "nul\\x00end");
}

TEST(OneLine, PrintableTextIsUnchanged) {
  EXPECT_EQ(OneLine("config/osprey.toml: mode: must be one of \"backtest\""),
            "config/osprey.toml: mode: must be one of \"backtest\"");
  EXPECT_EQ(OneLine("prix: 0,5 € — ok"), "prix: 0,5 € — ok");  // UTF-8 passes through
}

}  // namespace
}  // namespace osprey
