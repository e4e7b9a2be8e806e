#pragma once
// Escaping and number formatting for the generated HTML/SVG. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace osprey {

// Replaces & < > " ' by entities, so the result is safe as element text and as a quoted
// attribute value.
std::string HtmlEscape(std::string_view text);

// `value` with exactly `decimals` places (fixed notation, locale-independent), "-0.00" printed as
// "0.00", and "n/a" for NaN or infinity. Same input, same bytes.
std::string FormatFixed(double value, int decimals);

}  // namespace osprey
