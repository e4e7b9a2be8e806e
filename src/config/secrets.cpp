#include "config/secrets.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <vector>

namespace osprey {
namespace {

struct SecretVariable {
  std::string_view env_name;
  std::string_view field_name;
  std::string Secrets::*field;
};

constexpr std::array<SecretVariable, 7> kSecretVariables = {{
    {"OSPREY_BINANCE_API_KEY", "binance_api_key", &Secrets::binance_api_key},
    {"OSPREY_BINANCE_API_SECRET", "binance_api_secret", &Secrets::binance_api_secret},
    {"ANTHROPIC_API_KEY", "anthropic_api_key", &Secrets::anthropic_api_key},
    {"OSPREY_TELEGRAM_BOT_TOKEN", "telegram_bot_token", &Secrets::telegram_bot_token},
    {"OSPREY_TELEGRAM_CHAT_ID", "telegram_chat_id", &Secrets::telegram_chat_id},
    {"OSPREY_NEWSAPI_KEY", "newsapi_key", &Secrets::newsapi_key},
    {"OSPREY_COINGECKO_API_KEY", "coingecko_api_key", &Secrets::coingecko_api_key},
}};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool IsVariableName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
  }
  return true;
}

// One `.env` line, or the reason it is malformed (which never quotes the line).
struct DotenvLine {
  std::string name;
  std::string value;
};
struct DotenvParse {
  std::optional<DotenvLine> entry;  // empty for blank and comment lines
  std::string problem;              // non-empty when malformed
};

DotenvParse ParseDotenvLine(std::string_view raw) {
  std::string_view line = Trim(raw);
  if (line.empty() || line.front() == '#') return {};
  if (line.starts_with("export ")) line = Trim(line.substr(7));
  const std::size_t eq = line.find('=');
  if (eq == std::string_view::npos) return {std::nullopt, "malformed line: expected KEY=VALUE"};
  const std::string_view name = Trim(line.substr(0, eq));
  if (!IsVariableName(name)) {
    return {std::nullopt, "malformed line: the name before '=' must be letters, digits and _"};
  }
  std::string_view value = Trim(line.substr(eq + 1));
  if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
    const char quote = value.front();
    const std::size_t close = value.find(quote, 1);
    if (close == std::string_view::npos) {
      return {std::nullopt, fmt::format("{}: missing closing quote", name)};
    }
    const std::string_view rest = Trim(value.substr(close + 1));
    if (!rest.empty() && rest.front() != '#') {
      return {std::nullopt, fmt::format("{}: unexpected text after the closing quote", name)};
    }
    value = value.substr(1, close - 1);
  } else {
    // An unquoted value ends at a comment that follows whitespace ("abc # note").
    for (std::size_t i = 1; i < value.size(); ++i) {
      if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
        value = Trim(value.substr(0, i));
        break;
      }
    }
  }
  return {DotenvLine{std::string(name), std::string(value)}, ""};
}

// Reads the `.env` file into name -> value; an absent file gives an empty map.
Result<std::map<std::string, std::string>> ReadDotenv(const std::string& path) {
  std::map<std::string, std::string> values;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return values;
    return Fail(ErrorCode::kIo,
                fmt::format("{}: cannot inspect the .env file: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(ErrorCode::kConfig, fmt::format("{}: the .env path is not a regular file", path));
  }
  const auto permissions = static_cast<unsigned>(st.st_mode) & 0777U;
  if ((permissions & 0077U) != 0) {
    return Fail(ErrorCode::kConfig,
                fmt::format("{}: holds secrets but is accessible to group/others (mode {:03o}); "
                            "run `chmod 600 {}` (600 or 400 are accepted)",
                            path, permissions, path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kIo,
                fmt::format("{}: cannot open the .env file: {}", path, std::strerror(errno)));
  }
  std::vector<std::string> problems;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    DotenvParse parsed = ParseDotenvLine(line);
    if (!parsed.problem.empty()) {
      problems.push_back(fmt::format("{}:{}: {}", path, line_number, parsed.problem));
    } else if (parsed.entry) {
      values[parsed.entry->name] = std::move(parsed.entry->value);
    }
  }
  if (in.bad()) {
    return Fail(ErrorCode::kIo, fmt::format("{}: read error", path));
  }
  if (!problems.empty()) {
    return Fail(ErrorCode::kConfig, fmt::format("{}", fmt::join(problems, "\n")));
  }
  return values;
}

}  // namespace

Result<Secrets> LoadSecrets(const std::map<std::string, std::string>& environment,
                            const std::string& dotenv_path) {
  auto dotenv = ReadDotenv(dotenv_path);
  if (!dotenv) return std::unexpected(std::move(dotenv.error()));
  Secrets secrets;
  for (const SecretVariable& var : kSecretVariables) {
    const std::string name(var.env_name);
    if (auto it = environment.find(name); it != environment.end() && !it->second.empty()) {
      secrets.*var.field = it->second;
    } else if (auto dit = dotenv->find(name); dit != dotenv->end()) {
      secrets.*var.field = dit->second;
    }
  }
  return secrets;
}

std::map<std::string, std::string> CurrentEnvironment() {
  std::map<std::string, std::string> out;
  for (char** entry = ::environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return out;
}

std::string Redact(std::string_view secret) {
  if (secret.size() < 12) return "****";
  return "****" + std::string(secret.substr(secret.size() - 4));
}

bool LooksLikeSecretName(std::string_view key) {
  const std::string lower = Lower(key);
  for (std::string_view word : {"key", "secret", "token", "password"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool LooksLikeSecretValue(std::string_view value) {
  for (std::string_view prefix :
       {"sk-", "xoxb-", "xoxp-", "ghp_", "gho_", "github_pat_", "AKIA", "AIza", "-----BEGIN"}) {
    if (value.starts_with(prefix) && value.size() >= prefix.size() + 8) return true;
  }
  bool upper = false;
  bool lower = false;
  bool digit = false;
  bool hex_only = true;
  bool hex_letter = false;
  bool token_chars = true;  // only what API keys are made of: letters, digits, '-' and '_'
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u) != 0) return false;
    token_chars = token_chars && (std::isalnum(u) != 0 || c == '-' || c == '_');
    upper = upper || std::isupper(u) != 0;
    lower = lower || std::islower(u) != 0;
    digit = digit || std::isdigit(u) != 0;
    hex_only = hex_only && std::isxdigit(u) != 0;
    hex_letter = hex_letter || (std::isxdigit(u) != 0 && std::isalpha(u) != 0);
  }
  // Telegram bot tokens: "<bot id>:<35 characters>".
  if (const std::size_t colon = value.find(':');
      colon >= 6 && colon != std::string_view::npos && value.size() - colon - 1 >= 30) {
    const std::string_view id = value.substr(0, colon);
    if (std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
  }
  if (hex_only && hex_letter && digit && value.size() >= 32) return true;
  // Paths and file names ("/tmp/tmp.qBV1nVaqLQ/...", "Data2024.csv.gz") have '/' or '.'.
  return token_chars && value.size() >= 20 && upper && lower && digit;
}

std::string RedactSecretLookingText(std::string_view text) {
  const auto is_separator = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '"' || c == '\'' || c == ',' ||
           c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '=' ||
           c == ';' || c == '/';
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_separator(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && !is_separator(text[j])) ++j;
    const std::string_view word = text.substr(i, j - i);
    // A trailing ':' or '.' belongs to the sentence ("key: value."), not to the value.
    std::string_view core = word;
    while (!core.empty() && (core.back() == ':' || core.back() == '.')) core.remove_suffix(1);
    if (LooksLikeSecretValue(core)) {
      out += "<withheld: looks like a secret>";
      out += word.substr(core.size());
    } else {
      out += word;
    }
    i = j;
  }
  return out;
}

std::string_view SecretEnvironmentVariable(std::string_view key) {
  const std::string lower = Lower(key);
  for (const SecretVariable& var : kSecretVariables) {
    if (lower == var.field_name || lower == Lower(var.env_name)) return var.env_name;
  }
  return {};
}

}  // namespace osprey
