#pragma once
// API keys and tokens. They come only from the process environment or a `.env` file that the
// owner keeps private (mode 600); never from the TOML settings file, never into logs or the
// database. Print a secret only through Redact(). Pure functions apart from the file and
// environment reads named below; thread-safe as long as nobody modifies the environment.

#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace osprey {

// Every secret Osprey knows. An empty string means "not configured" (a mode that needs it
// refuses to start; that check belongs to the mode, not here).
struct Secrets {
  std::string binance_api_key;     // OSPREY_BINANCE_API_KEY
  std::string binance_api_secret;  // OSPREY_BINANCE_API_SECRET
  std::string anthropic_api_key;   // ANTHROPIC_API_KEY
  std::string telegram_bot_token;  // OSPREY_TELEGRAM_BOT_TOKEN
  std::string telegram_chat_id;    // OSPREY_TELEGRAM_CHAT_ID
  std::string newsapi_key;         // OSPREY_NEWSAPI_KEY
  std::string coingecko_api_key;   // OSPREY_COINGECKO_API_KEY
};

// Fills Secrets from `environment` first; a `.env` file at `dotenv_path` (lines `KEY=VALUE`,
// optional `export ` prefix, `#` comments, values optionally in single or double quotes)
// supplies only what the environment lacks (an empty variable counts as lacking). Unknown
// names in `.env` are ignored. A missing `.env` is fine.
// Fails with kConfig when the `.env` is accessible to group or others (the message names the
// file and says `chmod 600`) or has malformed lines (each named as file:line; the line's
// content is never printed), with kIo when it exists but cannot be read. All problems of
// the file are reported at once, one per line of the message.
[[nodiscard]] Result<Secrets> LoadSecrets(const std::map<std::string, std::string>& environment,
                                          const std::string& dotenv_path);

// The process environment (`environ`) as a map; for LoadSecrets in production code.
std::map<std::string, std::string> CurrentEnvironment();

// "****" followed by the last 4 characters, or just "****" for secrets shorter than 12
// characters (so at most a third of a secret is ever shown). Safe to log.
std::string Redact(std::string_view secret);

// True when a settings key's name suggests it holds a secret: it contains "key", "secret",
// "token" or "password" (case-insensitive). Used to refuse secrets in the TOML file.
bool LooksLikeSecretName(std::string_view key);

// True when a value looks like an API key, token or private key, whatever key it was given
// under: a known prefix (sk-, xoxb-, ghp_, github_pat_, AKIA, AIza, -----BEGIN), a Telegram
// bot token (digits:30+ characters), 32+ hex digits, or 20+ letters, digits, '-' and '_' that
// mix upper case, lower case and digits. Model names such as "claude-3-5-sonnet-latest",
// symbols, dates, numbers, paths and file names do not match.
bool LooksLikeSecretValue(std::string_view value);

// `text` with every word that LooksLikeSecretValue() replaced by "<withheld: looks like a
// secret>". Words are split at whitespace, quotes, commas, brackets, parentheses, '=', ';' and
// '/'.
// Every error message that may quote user input passes through it before it is printed.
std::string RedactSecretLookingText(std::string_view text);

// The environment variable that carries the secret a settings key is named after
// ("binance_api_key" -> "OSPREY_BINANCE_API_KEY", case-insensitive), or "" if none does.
std::string_view SecretEnvironmentVariable(std::string_view key);

}  // namespace osprey
