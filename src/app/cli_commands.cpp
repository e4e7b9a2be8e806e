#include "app/cli_commands.hpp"

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace osprey {

std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* level = &app;
  std::string path;  // the words read so far
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with("-")) return std::nullopt;  // options: CLI11's business
    const std::vector<const CLI::App*> subs =
        level->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) return std::nullopt;
    const CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (const CLI::App* sub : subs) {
      names.push_back(sub->get_name());
      if (sub->get_name() == word) next = sub;
    }
    if (next == nullptr) {
      return fmt::format("unknown command '{}{}'; commands: {}", path, word,
                         fmt::join(names, ", "));
    }
    path += std::string(word) + " ";
    level = next;
  }
  return std::nullopt;
}

}  // namespace osprey
