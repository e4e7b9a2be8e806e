// MakeAnalysts: every known name builds the analyst of that name; anything else is a config error.

#include "analysis/analyst_factory.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

TEST(AnalystFactoryTest, KnownNamesBuildInOrder) {
  auto analysts = MakeAnalysts({"reference", "technical"}, Settings{});
  ASSERT_TRUE(analysts.has_value()) << analysts.error().message;
  ASSERT_EQ(analysts->size(), 2u);
  EXPECT_EQ((*analysts)[0]->Name(), "reference");
  EXPECT_EQ((*analysts)[1]->Name(), "technical");
}

TEST(AnalystFactoryTest, EveryListedKnownNameBuilds) {
  ASSERT_FALSE(KnownAnalysts().empty());
  for (const std::string& name : KnownAnalysts()) {
    auto analysts = MakeAnalysts({name}, Settings{});
    ASSERT_TRUE(analysts.has_value()) << name << ": " << analysts.error().message;
    ASSERT_EQ(analysts->size(), 1u);
    EXPECT_EQ((*analysts)[0]->Name(), name);
  }
}

TEST(AnalystFactoryTest, DefaultConfigBuildsTheTechnicalAnalyst) {
  const Settings settings;
  auto analysts = MakeAnalysts(settings.ai.analysts, settings);
  ASSERT_TRUE(analysts.has_value());
  ASSERT_EQ(analysts->size(), 1u);
  EXPECT_EQ((*analysts)[0]->Name(), "technical");
}

TEST(AnalystFactoryTest, UnknownNameIsAConfigErrorNamingIt) {
  auto analysts = MakeAnalysts({"technical", "crystal_ball"}, Settings{});
  ASSERT_FALSE(analysts.has_value());
  EXPECT_EQ(analysts.error().code, ErrorCode::kConfig);
  EXPECT_NE(analysts.error().message.find("crystal_ball"), std::string::npos)
      << analysts.error().message;
  // And it lists the known ones.
  for (const std::string& name : KnownAnalysts()) {
    EXPECT_NE(analysts.error().message.find(name), std::string::npos) << name;
  }
}

TEST(AnalystFactoryTest, NamesAreCaseSensitive) {
  auto analysts = MakeAnalysts({"Technical"}, Settings{});
  ASSERT_FALSE(analysts.has_value());
  EXPECT_EQ(analysts.error().code, ErrorCode::kConfig);
}

TEST(AnalystFactoryTest, NoNameIsAConfigError) {
  auto analysts = MakeAnalysts({}, Settings{});
  ASSERT_FALSE(analysts.has_value());
  EXPECT_EQ(analysts.error().code, ErrorCode::kConfig);
}

}  // namespace
}  // namespace osprey
