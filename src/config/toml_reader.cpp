#include "config/toml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <system_error>
#include <unordered_map>

#include "config/secrets.hpp"

namespace osprey::config_internal {
namespace {

constexpr std::string_view kDecimalType = "a number or a decimal string (e.g. \"0.01\")";

std::string Join(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string_view LastSegment(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

// Converts one TOML value to a Decimal, or says why it cannot.
Result<Decimal> ToDecimal(const toml::node& node) {
  if (const auto* i = node.as_integer()) return Decimal::FromInt(i->get());
  if (const auto* f = node.as_floating_point()) {
    const double v = f->get();
    if (!std::isfinite(v)) {
      return Fail(ErrorCode::kConfig, fmt::format("must be a finite number, got {}", v));
    }
    // The shortest text that reads back as the same double is what the user wrote (0.1 stays
    // 0.1). Parsing that text exactly refuses, as for a string, what 12 decimals cannot hold,
    // instead of rounding 1e-13 to 0.
    std::array<char, 400> buf{};
    const auto [end, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
    if (ec != std::errc()) {
      return Fail(ErrorCode::kConfig, fmt::format("{} is out of range for a decimal", v));
    }
    auto d =
        Decimal::Parse(std::string_view(buf.data(), static_cast<std::size_t>(end - buf.data())));
    if (!d) return Fail(ErrorCode::kConfig, d.error().message);
    return d;
  }
  if (const auto* s = node.as_string()) {
    auto d = Decimal::Parse(s->get());
    if (!d) return Fail(ErrorCode::kConfig, d.error().message);
    return d;
  }
  return Fail(ErrorCode::kConfig, fmt::format("expected {}, got {}", kDecimalType, TypeName(node)));
}

}  // namespace

std::string ShowValue(std::string_view value) {
  if (LooksLikeSecretValue(value)) return "a value that looks like a secret (withheld)";
  return fmt::format("\"{}\"", value);
}

namespace {

void ScanForSecrets(const toml::node& node, const std::string& path, ReadContext& ctx) {
  if (const auto* table = node.as_table()) {
    for (const auto& [key, value] : *table) {
      const std::string child = Join(path, key.str());
      if (IsSecretKey(path, key.str())) {
        const std::string_view variable = SecretEnvironmentVariable(key.str());
        ctx.AddIssue(child,
                     fmt::format("looks like a secret; secrets are never read from the settings "
                                 "file: delete it here and set {} in the environment or in .env "
                                 "(kept with chmod 600)",
                                 variable.empty() ? std::string("the matching variable")
                                                  : std::string(variable)));
      } else {
        ScanForSecrets(value, child, ctx);
      }
    }
  } else if (const auto* array = node.as_array()) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      ScanForSecrets(*array->get(i), fmt::format("{}[{}]", path, i), ctx);
    }
  }
}

}  // namespace

// ---- ReadContext ----

void ReadContext::AddIssue(std::string key, std::string reason) {
  issue_keys_.insert(key);
  issues_.push_back({std::move(key), std::move(reason), {}});
}

bool ReadContext::HasIssueFor(std::string_view key) const {
  // The issue keys at or below `key` sort right after it: one ordered lookup, not a scan.
  for (auto it = issue_keys_.lower_bound(key); it != issue_keys_.end(); ++it) {
    const std::string& k = *it;
    if (!k.starts_with(key)) return false;
    if (k.size() == key.size() || k[key.size()] == '.' || k[key.size()] == '[') return true;
  }
  return false;
}

void ReadContext::AddKnown(std::string path) {
  if (known_set_.insert(path).second) known_.push_back(std::move(path));
}

void ReadContext::AddUnknown(std::string parent, std::string name, bool is_table,
                             std::vector<std::string> siblings) {
  unknown_.push_back({std::move(parent), std::move(name), is_table, std::move(siblings)});
}

void ReadContext::ReportUnknownKeys() {
  // Known keys by their last segment, first in file order wins (built on first need).
  std::unordered_map<std::string_view, const std::string*> by_name;
  for (const Unknown& u : unknown_) {
    const std::string_view name = u.name;
    // The closest sibling that is within a few edits or shares a prefix of 3+ characters with
    // the name ("tick" -> "tick_size"); else the same name in another section.
    std::string suggestion;
    const std::size_t max_edits = std::max<std::size_t>(2, name.size() / 3);
    std::size_t best = std::numeric_limits<std::size_t>::max();
    for (const std::string& sibling : u.siblings) {
      const std::size_t d = EditDistance(name, sibling);
      const std::string_view shorter = name.size() < sibling.size() ? name : sibling;
      const std::string_view longer = name.size() < sibling.size() ? sibling : name;
      const bool prefix = shorter.size() >= 3 && longer.starts_with(shorter);
      if ((d <= max_edits || prefix) && d < best) {
        best = d;
        suggestion = Join(u.parent, sibling);
      }
    }
    if (suggestion.empty()) {
      if (by_name.empty()) {
        for (const std::string& known : known_) by_name.emplace(LastSegment(known), &known);
      }
      if (auto it = by_name.find(name); it != by_name.end()) suggestion = *it->second;
    }
    std::string reason = u.is_table ? "unknown section" : "unknown key";
    if (!suggestion.empty()) reason += fmt::format("; did you mean {}?", suggestion);
    AddIssue(Join(u.parent, u.name), std::move(reason));
  }
  unknown_.clear();
}

// ---- TableReader ----

TableReader::TableReader(const toml::table* table, std::string path, ReadContext& ctx)
    : table_(table), path_(std::move(path)), ctx_(&ctx) {}

std::string TableReader::KeyPath(std::string_view key) const { return Join(path_, key); }

const toml::node* TableReader::Lookup(std::string_view key) {
  if (known_set_.emplace(key).second) known_.emplace_back(key);
  ctx_->AddKnown(KeyPath(key));
  return table_ == nullptr ? nullptr : table_->get(key);
}

void TableReader::ReportType(std::string_view key, std::string_view expected,
                             const toml::node& got) {
  ctx_->AddIssue(KeyPath(key), fmt::format("expected {}, got {}", expected, TypeName(got)));
}

void TableReader::ReportBadChoice(std::string_view key, std::string_view got,
                                  const std::vector<std::string_view>& allowed) {
  std::vector<std::string> quoted;
  for (std::string_view a : allowed) quoted.push_back(fmt::format("\"{}\"", a));
  ctx_->AddIssue(KeyPath(key),
                 fmt::format("must be one of {}, got {}", fmt::join(quoted, ", "), ShowValue(got)));
}

bool TableReader::Read(std::string_view key, Decimal& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  auto value = ToDecimal(*node);
  if (!value) {
    ctx_->AddIssue(KeyPath(key), value.error().message);
    return false;
  }
  out = *value;
  return true;
}

bool TableReader::Read(std::string_view key, int& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  const auto* integer = node->as_integer();
  if (integer == nullptr) {
    ReportType(key, "integer", *node);
    return false;
  }
  const std::int64_t v = integer->get();
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    ctx_->AddIssue(KeyPath(key), fmt::format("{} is too large for this setting", v));
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

bool TableReader::Read(std::string_view key, double& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  if (const auto* f = node->as_floating_point()) {
    if (!std::isfinite(f->get())) {
      // TOML allows nan and inf; no setting means either, and NaN passes every comparison.
      ctx_->AddIssue(KeyPath(key), fmt::format("must be a finite number, got {}", f->get()));
      return false;
    }
    out = f->get();
    return true;
  }
  if (const auto* i = node->as_integer()) {
    out = static_cast<double>(i->get());
    return true;
  }
  ReportType(key, "number", *node);
  return false;
}

bool TableReader::Read(std::string_view key, bool& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  const auto* b = node->as_boolean();
  if (b == nullptr) {
    ReportType(key, "boolean (true or false)", *node);
    return false;
  }
  out = b->get();
  return true;
}

bool TableReader::Read(std::string_view key, std::string& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  const auto* s = node->as_string();
  if (s == nullptr) {
    ReportType(key, "string", *node);
    return false;
  }
  out = s->get();
  return true;
}

bool TableReader::ReadDate(std::string_view key, std::string& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  if (const auto* s = node->as_string()) {
    out = s->get();
    return true;
  }
  if (const auto* d = node->as_date()) {
    const toml::date& date = d->get();
    out = fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
    return true;
  }
  ReportType(key, "date such as \"2024-01-01\"", *node);
  return false;
}

bool TableReader::Read(std::string_view key, std::vector<Decimal>& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  const auto* array = node->as_array();
  if (array == nullptr) {
    ReportType(key, "array of numbers", *node);
    return false;
  }
  std::vector<Decimal> values;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto value = ToDecimal(*array->get(i));
    if (!value) {
      ctx_->AddIssue(KeyPath(key), fmt::format("element {}: {}", i + 1, value.error().message));
      ok = false;
    } else {
      values.push_back(*value);
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

bool TableReader::Read(std::string_view key, std::vector<std::string>& out) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return false;
  const auto* array = node->as_array();
  if (array == nullptr) {
    ReportType(key, "array of strings", *node);
    return false;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    if (const auto* s = element.as_string()) {
      values.push_back(s->get());
    } else {
      ctx_->AddIssue(KeyPath(key),
                     fmt::format("element {}: expected string, got {}", i + 1, TypeName(element)));
      ok = false;
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

TableReader TableReader::Section(std::string_view key) {
  const toml::node* node = Lookup(key);
  if (node == nullptr) return TableReader(nullptr, KeyPath(key), *ctx_);
  const auto* table = node->as_table();
  if (table == nullptr) ReportType(key, "table", *node);
  return TableReader(table, KeyPath(key), *ctx_);
}

std::vector<std::string> TableReader::PresentKeys() const {
  std::vector<std::string> keys;
  if (table_ == nullptr) return keys;
  for (const auto& [key, value] : *table_) {
    if (!IsSecretKey(path_, key.str())) keys.emplace_back(key.str());
  }
  return keys;
}

void TableReader::Finish() {
  if (table_ == nullptr) return;
  for (const auto& [key, value] : *table_) {
    const std::string_view name = key.str();
    if (known_set_.contains(name)) continue;
    if (IsSecretKey(path_, name)) continue;  // reported by ReportSecretKeys
    ctx_->AddUnknown(path_, std::string(name), value.is_table(), known_);
  }
}

// ---- free functions ----

bool IsSecretKey(std::string_view parent_path, std::string_view key) {
  if (parent_path == "exchange.symbols" && IsSymbolName(key)) return false;
  return LooksLikeSecretName(key);
}

void ReportSecretKeys(const toml::table& root, ReadContext& ctx) { ScanForSecrets(root, "", ctx); }

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace osprey::config_internal
