#pragma once
// Internal to src/config: typed, error-collecting reads of a parsed TOML document. Each read
// names its key, so the set of keys a section accepts is exactly the set the loader asks
// for; whatever else the file holds is reported as unknown, with the closest known key as a
// suggestion. Nothing here stops at the first problem. Not thread-safe (one per load).

#include <toml++/toml.h>

#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "config/settings_validation.hpp"
#include "core/decimal.hpp"
#include "core/enum_table.hpp"

namespace osprey::config_internal {

// Problems and known keys of one load.
class ReadContext {
 public:
  void AddIssue(std::string key, std::string reason);
  // True when a problem was already recorded for `key` (or for a key below it).
  bool HasIssueFor(std::string_view key) const;
  // Records a key the schema accepts (dotted path), for suggestions across sections.
  void AddKnown(std::string path);
  // Records a key nobody asked for; turned into an issue by ReportUnknownKeys().
  void AddUnknown(std::string parent, std::string name, bool is_table,
                  std::vector<std::string> siblings);
  // Turns the unknown keys into issues, each with the closest known key if one is close.
  void ReportUnknownKeys();
  const std::vector<SettingsIssue>& issues() const { return issues_; }
  const std::vector<std::string>& known_keys() const { return known_; }

 private:
  struct Unknown {
    std::string parent;  // dotted path of the table that holds the key
    std::string name;
    bool is_table;
    std::vector<std::string> siblings;  // known keys of the same table (names only)
  };
  std::vector<SettingsIssue> issues_;
  std::set<std::string, std::less<>> issue_keys_;  // for HasIssueFor
  std::vector<std::string> known_;                 // file order, for suggestions and docs
  std::unordered_set<std::string> known_set_;      // the same, for O(1) membership
  std::vector<Unknown> unknown_;
};

// Reads the keys of one table into fields. A read of a key the table lacks leaves the field
// at its default and returns false; a present key of the wrong type or a bad value records an
// issue, leaves the field alone and returns false; success assigns and returns true.
class TableReader {
 public:
  // `table` may be null (section absent); `path` is the dotted path of the table ("" = root).
  TableReader(const toml::table* table, std::string path, ReadContext& ctx);

  bool Read(std::string_view key, Decimal& out);  // integer, float or decimal string
  bool Read(std::string_view key, int& out);
  bool Read(std::string_view key, double& out);  // integer or float
  bool Read(std::string_view key, bool& out);
  bool Read(std::string_view key, std::string& out);
  bool Read(std::string_view key, std::vector<Decimal>& out);
  bool Read(std::string_view key, std::vector<std::string>& out);
  bool ReadDate(std::string_view key, std::string& out);  // "YYYY-MM-DD" string or TOML date

  // A string that must be one of the names in `table` (an enum's name table); the issue lists
  // them.
  template <class Row, std::size_t N>
  bool ReadEnum(std::string_view key, decltype(Row::value)& out, const std::array<Row, N>& table) {
    std::string text;
    if (!Read(key, text)) return false;
    if (auto value = EnumParse(table, text)) {
      out = *value;
      return true;
    }
    std::vector<std::string_view> allowed;
    for (const Row& row : table) allowed.push_back(row.name);
    ReportBadChoice(key, text, allowed);
    return false;
  }

  // The sub-table `key` (a reader over nothing when absent or not a table; the latter is an
  // issue).
  TableReader Section(std::string_view key);
  // Keys present in this table, except secret-looking ones (already reported): for tables
  // whose keys are data, such as exchange.symbols.
  std::vector<std::string> PresentKeys() const;
  // Reports every present key that no read asked for. Call once, after all reads.
  void Finish();

  const std::string& path() const { return path_; }
  // True when the table exists in the file.
  bool present() const { return table_ != nullptr; }

 private:
  const toml::node* Lookup(std::string_view key);
  std::string KeyPath(std::string_view key) const;
  void ReportType(std::string_view key, std::string_view expected, const toml::node& got);
  void ReportBadChoice(std::string_view key, std::string_view got,
                       const std::vector<std::string_view>& allowed);

  const toml::table* table_;
  std::string path_;
  ReadContext* ctx_;
  std::vector<std::string> known_;  // keys read from this table, in order
  std::set<std::string, std::less<>> known_set_;
};

// True when the key `key` inside the table at `parent_path` must be refused as a secret.
// Symbol names under exchange.symbols (upper-case, e.g. "KEYUSDT") are exempt.
bool IsSecretKey(std::string_view parent_path, std::string_view key);

// Records an issue for every secret-looking key anywhere in the document (values are never
// quoted).
void ReportSecretKeys(const toml::table& root, ReadContext& ctx);

// A string value as it may appear in a message: quoted, or a note that it was withheld when it
// looks like a secret (config/secrets.hpp LooksLikeSecretValue).
std::string ShowValue(std::string_view value);

// TOML's name for a node's type ("string", "integer", "float", "table", ...).
std::string_view TypeName(const toml::node& node);

// Levenshtein distance, case-insensitive; for "did you mean" suggestions.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace osprey::config_internal
