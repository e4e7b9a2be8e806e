#pragma once
// SmallStringMap: a map from short strings (symbols, assets) to values for a handful of keys,
// stored in insertion order in one vector. Lookup is a linear scan comparing sizes before bytes,
// which for ten keys beats std::map's pointer chasing and three-way compares on the hot path of a
// backtest. Insertion may invalidate references and iterators. Not thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace osprey {

template <class V>
class SmallStringMap {
 public:
  using Entry = std::pair<std::string, V>;
  using iterator = typename std::vector<Entry>::iterator;
  using const_iterator = typename std::vector<Entry>::const_iterator;

  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }

  iterator find(std::string_view key) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first.size() == key.size() && it->first == key) return it;
    }
    return entries_.end();
  }
  const_iterator find(std::string_view key) const {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first.size() == key.size() && it->first == key) return it;
    }
    return entries_.end();
  }
  bool contains(std::string_view key) const { return find(key) != end(); }
  // Inserts (key, value) unless key is present; returns the entry and whether it was inserted.
  std::pair<iterator, bool> emplace(std::string key, V value) {
    if (auto it = find(key); it != end()) return {it, false};
    entries_.emplace_back(std::move(key), std::move(value));
    return {entries_.end() - 1, true};
  }

 private:
  std::vector<Entry> entries_;
};

}  // namespace osprey
