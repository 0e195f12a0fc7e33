#include "revsearch/review_id.hpp"

#include <cstdint>

#include <fmt/format.h>
#include "revsearch/xxhash_inline.hpp"

namespace revsearch {

namespace {

// ASCII "unit separator": never part of a title or a user name, so ("ab", "c") and ("a", "bc") differ.
constexpr char unit_separator = '\x1F';

}  // namespace

std::string review_id(std::string_view kind, std::initializer_list<std::string_view> natural_key) {
    // The kind is hashed as the first part, so the same key under two layouts gives two ids.
    std::string joined(kind);
    for (std::string_view part : natural_key) {
        joined += unit_separator;
        joined += part;
    }
    const XXH64_hash_t hash = XXH3_64bits(joined.data(), joined.size());
    return fmt::format("{:016x}", static_cast<std::uint64_t>(hash));
}

std::string content_hash(std::string_view bytes) {
    const XXH128_hash_t hash = XXH3_128bits(bytes.data(), bytes.size());
    // High half first: the canonical (big-endian) order xxhsum -H2 prints.
    return fmt::format("{:016x}{:016x}", static_cast<std::uint64_t>(hash.high64), static_cast<std::uint64_t>(hash.low64));
}

}  // namespace revsearch
