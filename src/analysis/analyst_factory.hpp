#pragma once
// Builds the analysts named in the config ([ai] analysts) or on the command line (--analyst).
// Known offline names: "technical" (TechnicalAnalyst), "reference" (ReferenceAnalyst).
// An unknown name is an error that lists the known ones.

#include <memory>
#include <string>
#include <vector>

#include "analysis/analyst.hpp"
#include "config/settings.hpp"

namespace osprey {

const std::vector<std::string>& KnownAnalysts();
Result<std::vector<std::unique_ptr<Analyst>>> MakeAnalysts(const std::vector<std::string>& names,
                                                           const Settings& settings);

}  // namespace osprey
