#include "analysis/analyst_factory.hpp"

#include "analysis/reference_analyst.hpp"
#include "analysis/technical_analyst.hpp"

namespace osprey {

const std::vector<std::string>& KnownAnalysts() {
  static const std::vector<std::string> kNames = {"technical", "reference"};
  return kNames;
}

Result<std::vector<std::unique_ptr<Analyst>>> MakeAnalysts(const std::vector<std::string>& names,
                                                           const Settings& settings) {
  std::vector<std::unique_ptr<Analyst>> out;
  if (names.empty()) return Fail(ErrorCode::kConfig, "no analyst configured");
  for (const auto& name : names) {
    if (name == "technical") {
      out.push_back(std::make_unique<TechnicalAnalyst>(settings.technical));
    } else if (name == "reference") {
      out.push_back(std::make_unique<ReferenceAnalyst>(settings.reference));
    } else {
      return Fail(ErrorCode::kConfig,
                  "unknown analyst '" + name + "' (known: technical, reference)");
    }
  }
  return out;
}

}  // namespace osprey
