#include "config/settings.hpp"

namespace osprey {

std::string_view ModeName(Mode m) { return EnumNameOf(kModeTable, m); }
std::string_view SizingModeName(SizingMode m) { return EnumNameOf(kSizingModeTable, m); }
std::string_view TrailingActivationName(TrailingActivation a) {
  return EnumNameOf(kTrailingActivationTable, a);
}
std::string_view GapFillName(GapFill g) { return EnumNameOf(kGapFillTable, g); }
std::string_view FeeAssetName(FeeAsset a) { return EnumNameOf(kFeeAssetTable, a); }
std::string_view TakeProfitFillName(TakeProfitFillRule r) {
  return EnumNameOf(kTakeProfitFillTable, r);
}

std::optional<Mode> ParseMode(std::string_view name) { return EnumParse(kModeTable, name); }
std::optional<SizingMode> ParseSizingMode(std::string_view name) {
  return EnumParse(kSizingModeTable, name);
}
std::optional<TrailingActivation> ParseTrailingActivation(std::string_view name) {
  return EnumParse(kTrailingActivationTable, name);
}
std::optional<GapFill> ParseGapFill(std::string_view name) {
  return EnumParse(kGapFillTable, name);
}
std::optional<FeeAsset> ParseFeeAsset(std::string_view name) {
  return EnumParse(kFeeAssetTable, name);
}
std::optional<TakeProfitFillRule> ParseTakeProfitFill(std::string_view name) {
  return EnumParse(kTakeProfitFillTable, name);
}

}  // namespace osprey
