#pragma once
// Streaming review readers, one per input layout, chosen by content (or forced with --format).

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "revsearch/problem.hpp"
#include "revsearch/review.hpp"

namespace revsearch {

enum class Format { imdb, jsonl, mcauley, blitzer, csv };

std::string_view format_name(Format format);
/// "imdb", "jsonl", "mcauley", "blitzer", "csv"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
/// Every format's name, in the format table's order: what --format accepts.
std::vector<std::string_view> known_formats();

/// Guesses the layout from the first bytes of a file (and its name as a tie-breaker); nullopt when unsure.
std::optional<Format> detect_format(std::string_view head, std::string_view file_name);

/// Which CSV column feeds which review key (docs/formats.md). Default: Amazon Fine Food's header names,
/// matched case-insensitively, with other common spellings as fallbacks.
struct CsvMapping {
    std::vector<std::string> id, body, headline, author, item, item_id, rating, helpful_yes, helpful_total, date;
    std::optional<double> rating_max = 5;  ///< the scale of the rating column
    static CsvMapping fine_food_default();
    /// Parses "body=Text,headline=Summary,rating_max=10" on top of the default; throws std::invalid_argument
    /// saying what in the spec is wrong.
    static CsvMapping parse(std::string_view spec);
};

/// Which key of your own JSON lines feeds which review key (docs/formats.md, `--json-map`). Empty: the
/// canonical keys as they are. Each pair makes the review key read from the source key only.
struct JsonMapping {
    std::vector<std::pair<std::string, std::string>> keys;  ///< (review key, source key)
    bool empty() const { return keys.empty(); }
    /// The source key that feeds `review_key` (itself when unmapped).
    std::string_view source_of(std::string_view review_key) const;
    /// Parses "body=text,headline=title"; throws std::invalid_argument saying what in the spec is wrong (an
    /// unknown review key, no "=", a key mapped twice).
    static JsonMapping parse(std::string_view spec);
};

struct ReaderOptions {
    std::size_t max_record_bytes = 8u << 20;
    CsvMapping csv = CsvMapping::fine_food_default();
    JsonMapping json;  ///< canonical JSON lines only
};

class ReviewReader {
public:
    virtual ~ReviewReader() = default;
    /// Reads the next good record into `out`; false at end of input. Bad records are reported to the sink
    /// and skipped; reading goes on.
    virtual bool next(Review& out) = 0;
};

/// `display_name` is what messages and Review::source name the input as (a path, or "<stdin>").
std::unique_ptr<ReviewReader> make_reader(Format format, std::istream& in, std::string display_name,
                                          ProblemSink sink, const ReaderOptions& options = {});

}  // namespace revsearch
