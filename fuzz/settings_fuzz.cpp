// Fuzz target: the settings loader (config/settings_loader.hpp) on arbitrary TOML text.
//
// Properties, from the header's promises:
// - on success the settings are fully validated: ValidateSettings() finds no issue;
// - on failure the error has code kConfig and a non-empty message of one problem per line,
//   every line starting with the source name ("fuzz.toml").
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/settings_loader.hpp"
#include "config/settings_validation.hpp"
#include "core/error.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::string_view kSource = "fuzz.toml";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto settings = osprey::LoadSettingsText(text, kSource);
  if (settings) {
    const auto issues = osprey::ValidateSettings(*settings);
    FUZZ_CHECK(issues.empty(), "loaded, yet " + issues.front().key + ": " + issues.front().reason);
    return 0;
  }
  const osprey::Error& error = settings.error();
  FUZZ_CHECK(error.code == osprey::ErrorCode::kConfig, error.ToString());
  FUZZ_CHECK(!error.message.empty(), "empty error message");
  std::string_view rest = error.message;
  for (;;) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = rest.substr(0, newline);
    FUZZ_CHECK(line.starts_with(kSource), "a line of the message does not start with " +
                                              std::string(kSource) + ": '" + std::string(line) +
                                              "'\nwhole message:\n" + error.message);
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  return 0;
}
