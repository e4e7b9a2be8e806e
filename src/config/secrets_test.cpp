#include "config/secrets.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace osprey {
namespace {

namespace fs = std::filesystem;

// A private temporary directory per test, removed afterwards.
class DotenvTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("osprey_secrets_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `text` to `.env` with permission bits `mode`; returns its path.
  std::string WriteDotenv(const std::string& text, mode_t mode = 0600) {
    const fs::path path = dir_ / ".env";
    std::ofstream(path) << text;
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path.string();
  }

  fs::path dir_;
};

TEST_F(DotenvTest, EnvironmentAloneFillsEverySecret) {
  const std::map<std::string, std::string> env = {
      {"OSPREY_BINANCE_API_KEY", "bk"},   {"OSPREY_BINANCE_API_SECRET", "bs"},
      {"ANTHROPIC_API_KEY", "ak"},        {"OSPREY_TELEGRAM_BOT_TOKEN", "tt"},
      {"OSPREY_TELEGRAM_CHAT_ID", "tc"},  {"OSPREY_NEWSAPI_KEY", "nk"},
      {"OSPREY_COINGECKO_API_KEY", "ck"}, {"UNRELATED", "x"}};
  auto s = LoadSecrets(env, (dir_ / "missing.env").string());
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->binance_api_key, "bk");
  EXPECT_EQ(s->binance_api_secret, "bs");
  EXPECT_EQ(s->anthropic_api_key, "ak");
  EXPECT_EQ(s->telegram_bot_token, "tt");
  EXPECT_EQ(s->telegram_chat_id, "tc");
  EXPECT_EQ(s->newsapi_key, "nk");
  EXPECT_EQ(s->coingecko_api_key, "ck");
}

TEST_F(DotenvTest, MissingDotenvIsFine) {
  auto s = LoadSecrets({}, (dir_ / "nope.env").string());
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_TRUE(s->binance_api_key.empty());
  EXPECT_TRUE(s->anthropic_api_key.empty());
}

TEST_F(DotenvTest, EnvironmentWinsAndDotenvFillsTheGaps) {
  const std::string path = WriteDotenv(
      "# Osprey secrets\n"
      "\n"
      "OSPREY_BINANCE_API_KEY=from-file\n"
      "export OSPREY_BINANCE_API_SECRET = \"quoted secret # not a comment\"\n"
      "ANTHROPIC_API_KEY='single quoted'  # trailing comment\n"
      "OSPREY_TELEGRAM_BOT_TOKEN=bare-value # comment\n"
      "OSPREY_TELEGRAM_CHAT_ID=12345\n"
      "SOMETHING_ELSE=ignored\n");
  const std::map<std::string, std::string> env = {{"OSPREY_BINANCE_API_KEY", "from-env"},
                                                  {"OSPREY_TELEGRAM_CHAT_ID", ""}};
  auto s = LoadSecrets(env, path);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->binance_api_key, "from-env");
  EXPECT_EQ(s->binance_api_secret, "quoted secret # not a comment");
  EXPECT_EQ(s->anthropic_api_key, "single quoted");
  EXPECT_EQ(s->telegram_bot_token, "bare-value");
  EXPECT_EQ(s->telegram_chat_id, "12345");  // an empty variable counts as unset
  EXPECT_TRUE(s->newsapi_key.empty());
}

TEST_F(DotenvTest, OwnerOnlyModesAreAccepted) {
  for (mode_t mode : {mode_t{0600}, mode_t{0400}}) {
    const std::string path = WriteDotenv("OSPREY_NEWSAPI_KEY=n\n", mode);
    auto s = LoadSecrets({}, path);
    ASSERT_TRUE(s.has_value()) << s.error().message;
    EXPECT_EQ(s->newsapi_key, "n");
    ::chmod(path.c_str(), 0600);
  }
}

TEST_F(DotenvTest, FileReadableByGroupOrOthersIsRefused) {
  for (mode_t mode : {mode_t{0640}, mode_t{0604}, mode_t{0644}, mode_t{0660}}) {
    const std::string path = WriteDotenv("OSPREY_NEWSAPI_KEY=very-secret-value\n", mode);
    auto s = LoadSecrets({}, path);
    ASSERT_FALSE(s.has_value()) << std::oct << mode;
    EXPECT_EQ(s.error().code, ErrorCode::kConfig);
    EXPECT_NE(s.error().message.find(path), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("chmod 600"), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.find("very-secret-value"), std::string::npos);
  }
}

TEST_F(DotenvTest, MalformedLinesNameFileAndLineButNeverTheValue) {
  const std::string path = WriteDotenv(
      "OSPREY_NEWSAPI_KEY=fine\n"
      "# comment\n"
      "sk-PASTED-WITHOUT-NAME\n"
      "BAD NAME=sk-SECRET-AFTER-BAD-NAME\n"
      "ANTHROPIC_API_KEY=\"sk-UNTERMINATED\n"
      "OSPREY_COINGECKO_API_KEY='x' sk-TRAILING-JUNK\n");
  auto s = LoadSecrets({}, path);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kConfig);
  const std::string& m = s.error().message;
  for (const char* where : {":3: ", ":4: ", ":5: ", ":6: "}) {
    EXPECT_NE(m.find(path + where), std::string::npos) << where << "\n" << m;
  }
  EXPECT_EQ(m.find(path + ":1:"), std::string::npos) << m;
  EXPECT_EQ(m.find("sk-"), std::string::npos) << m;
  EXPECT_EQ(m.find("SECRET"), std::string::npos) << m;
  EXPECT_EQ(m.find("TRAILING"), std::string::npos) << m;
}

TEST(Redact, ShowsOnlyTheLastFourCharactersOfLongSecrets) {
  EXPECT_EQ(Redact("abcdefghijklmnopWXYZ"), "****WXYZ");
  EXPECT_EQ(Redact("123456789012"), "****9012");
  EXPECT_EQ(Redact("12345678901"), "****");
  EXPECT_EQ(Redact("short"), "****");
  EXPECT_EQ(Redact(""), "****");
}

TEST(SecretNames, KeysThatLookLikeSecrets) {
  for (const char* name : {"binance_api_key", "API_SECRET", "bot_token", "Password", "apikey"}) {
    EXPECT_TRUE(LooksLikeSecretName(name)) << name;
  }
  for (const char* name : {"kelly_multiplier", "take_profit_percents", "path", "claude_model"}) {
    EXPECT_FALSE(LooksLikeSecretName(name)) << name;
  }
}

TEST(SecretValues, KeysAndTokensOfTheServicesOspreyUsesLookLikeSecrets) {
  for (const char* value :
       {"sk-ant-api03-abcdefghijklmnopqrstuvwxyz",                           // Anthropic
        "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",  // Binance key
        "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",                     // Telegram bot token
        "0123456789abcdef0123456789abcdef",  // NewsAPI (32 hex digits)
        "CG-AbCdEfGhIjKlMnOpQrStUvWx12",     // CoinGecko
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "AKIAABCDEFGHIJKLMNOP", "gho_abcdefghijklmnop",
        "github_pat_11ABCDEFG0abcdefghij", "xoxb-1234-5678-abcdefgh", "xoxp-1234-5678-abcdefgh",
        "AIzaSyA-abcdefghijklmnop", "-----BEGIN PRIVATE KEY-----"}) {
    EXPECT_TRUE(LooksLikeSecretValue(value)) << value;
  }
}

TEST(SecretValues, OrdinarySettingsDoNotLookLikeSecrets) {
  for (const char* value :
       {"backtest", "claude-3-5-sonnet-latest", "BTCUSDT", "2024-01-01", "out/backtest",
        "config/osprey.toml", "12345678901234567890123456789012345", "0.000000012345678901",
        "fixed_fraction", "technical", "sk-", "MyVeryLongFolderName", "/home/user/osprey/data",
        "exchange.symbols.DOGEUSDT.tick_size", "/tmp/tmp.qBV1nVaqLQ/nodata/klines/1h/BTC.csv.gz",
        "MyBacktestData2024Final.csv.gz"}) {
    EXPECT_FALSE(LooksLikeSecretValue(value)) << value;
  }
}

TEST(SecretValues, RedactingTextWithholdsOnlyTheSecretLookingWords) {
  const std::string secret = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz";
  const std::string text = "osprey.toml: mode: must be one of \"backtest\", got \"" + secret +
                           "\"\nosprey.toml: ai.claude_model: '" + secret + "': bad.";
  const std::string redacted = RedactSecretLookingText(text);
  EXPECT_EQ(redacted.find("sk-ant"), std::string::npos) << redacted;
  EXPECT_EQ(redacted,
            "osprey.toml: mode: must be one of \"backtest\", got \"<withheld: looks like a "
            "secret>\"\nosprey.toml: ai.claude_model: '<withheld: looks like a secret>': bad.");
  EXPECT_EQ(RedactSecretLookingText("no secret: BTCUSDT 2024-01-01"),
            "no secret: BTCUSDT 2024-01-01");
}

TEST(SecretNames, SettingsKeyMapsToItsEnvironmentVariable) {
  EXPECT_EQ(SecretEnvironmentVariable("binance_api_key"), "OSPREY_BINANCE_API_KEY");
  EXPECT_EQ(SecretEnvironmentVariable("ANTHROPIC_API_KEY"), "ANTHROPIC_API_KEY");
  EXPECT_EQ(SecretEnvironmentVariable("telegram_bot_token"), "OSPREY_TELEGRAM_BOT_TOKEN");
  EXPECT_EQ(SecretEnvironmentVariable("api_key"), "");
}

TEST(CurrentEnvironment, ReadsTheProcessEnvironment) {
  ASSERT_EQ(::setenv("OSPREY_CONFIG_TEST_VARIABLE", "a=b", 1), 0);
  const auto env = CurrentEnvironment();
  ASSERT_TRUE(env.contains("OSPREY_CONFIG_TEST_VARIABLE"));
  EXPECT_EQ(env.at("OSPREY_CONFIG_TEST_VARIABLE"), "a=b");
  ::unsetenv("OSPREY_CONFIG_TEST_VARIABLE");
}

}  // namespace
}  // namespace osprey
