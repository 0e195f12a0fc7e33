#pragma once
// The one review record both tools share, and its canonical JSON Lines layout (docs/formats.md).

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace revsearch {

struct Review {
    std::string id;                        ///< stable: derived from the review's natural key (review_id.hpp)
    std::string source;                    ///< where it was read: "path:line" or "path:record N"
    std::optional<std::string> item;       ///< film or product title
    std::optional<std::string> item_id;    ///< IMDb tt-id, ASIN, ...
    std::optional<int> item_year;
    std::optional<std::string> headline;
    std::optional<std::string> author;
    std::optional<std::string> byline;     ///< the raw byline when the source glues author and date (IMDb pages)
    std::optional<std::string> date;       ///< ISO 8601 YYYY-MM-DD
    std::optional<double> rating;          ///< as the source gives it: 8 of 10, 4 of 5
    std::optional<double> rating_max;
    std::optional<std::int64_t> helpful_yes;
    std::optional<std::int64_t> helpful_total;
    bool spoiler = false;
    std::string body;

    bool operator==(const Review&) const = default;
};

/// The canonical JSON object: every key present, in the documented order, absent values as null.
nlohmann::ordered_json to_json(const Review& review);

/// Reads a canonical JSON object. Throws std::invalid_argument naming the key when a value has the wrong type
/// or is out of range. Missing keys are null; only "body" is required.
Review review_from_json(const nlohmann::json& object);

/// One compact JSON line (no trailing newline), invalid UTF-8 replaced rather than thrown on.
std::string to_json_line(const Review& review);

/// Rating mapped onto 0..1 (8/10 and 4/5 are both 0.8); nullopt when unknown.
std::optional<double> normalised_rating(const Review& review);

}  // namespace revsearch
