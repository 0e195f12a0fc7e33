#pragma once
// "key=value,key=value" settings of the ranking options (--bm25, --weights, --expand-with): one parser, so that
// every option says what is wrong in the same words.

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

namespace revsearch::detail {

inline double setting_number(std::string_view key, std::string_view text) {
    // std::from_chars for double: locale-independent and strict about trailing junk.
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || ptr != end || !std::isfinite(value))
        throw std::invalid_argument("\"" + std::string(key) + "\" needs a number, not \"" + std::string(text) + "\"");
    return value;
}

/// Calls `apply(key, value text)` for each "key=value" of a comma-separated list; throws std::invalid_argument
/// for an empty list or an item without "=".
template <typename Apply>
void for_each_setting(std::string_view spec, Apply apply) {
    if (spec.empty()) throw std::invalid_argument("empty setting");
    while (!spec.empty()) {
        auto comma = spec.find(',');
        std::string_view pair = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
        auto equals = pair.find('=');
        if (equals == std::string_view::npos)
            throw std::invalid_argument("expected key=value, got \"" + std::string(pair) + "\"");
        apply(pair.substr(0, equals), pair.substr(equals + 1));
    }
}

/// for_each_setting for lists whose values are all numbers: `apply(key, number)`.
template <typename Apply>
void for_each_pair(std::string_view spec, Apply apply) {
    for_each_setting(spec, [&](std::string_view key, std::string_view text) { apply(key, setting_number(key, text)); });
}

}  // namespace revsearch::detail
