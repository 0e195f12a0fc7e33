// Choosing a reader: by name (--format), by content (detect_format), and the CSV column mapping.

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

#include "imdb_page_lines.hpp"
#include "reader_fields.hpp"
#include "readers.hpp"

namespace revsearch {

namespace {

constexpr std::array<std::pair<Format, std::string_view>, 5> format_names = {{
    {Format::imdb, "imdb"},
    {Format::jsonl, "jsonl"},
    {Format::mcauley, "mcauley"},
    {Format::blitzer, "blitzer"},
    {Format::csv, "csv"},
}};

using detail::iequals;
using detail::trim;

bool contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

bool ends_with_ci(std::string_view name, std::string_view suffix) {
    return name.size() >= suffix.size() && iequals(name.substr(name.size() - suffix.size()), suffix);
}

// The complete lines of the head (the last one may be cut by the 64 KB window, so it is left out unless the
// head is all there is), at most `limit` of them, blank ones skipped.
std::vector<std::string_view> head_lines(std::string_view head, std::size_t limit) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < head.size() && lines.size() < limit) {
        auto end = head.find('\n', start);
        if (end == std::string_view::npos) end = head.size();
        auto line = trim(head.substr(start, end - start));
        if (!line.empty()) lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

// McAuley's keys: reviewerID and asin are in every record of the 2014 and 2018 dumps.
bool looks_mcauley(std::string_view line) {
    return contains(line, "\"reviewerID\"") || contains(line, "\"reviewText\"") ||
           (contains(line, "\"asin\"") && contains(line, "\"overall\""));
}

std::optional<Format> detect_json(std::string_view head, std::string_view file_name) {
    for (auto line : head_lines(head, 20)) {
        if (line.front() != '{') return std::nullopt;
        if (looks_mcauley(line)) return Format::mcauley;
        if (contains(line, "\"body\"")) return Format::jsonl;
    }
    // JSON objects with neither layout's keys: the name decides, or nothing does.
    if (ends_with_ci(file_name, ".jsonl") || ends_with_ci(file_name, ".ndjson")) return Format::jsonl;
    return std::nullopt;
}

// A header line naming a body column (any spelling the default mapping knows), or any comma-separated header
// in a file called *.csv.
bool looks_csv(std::string_view first_line, std::string_view file_name) {
    if (!contains(first_line, ",")) return false;
    const auto known = CsvMapping::fine_food_default().body;
    std::size_t start = 0;
    while (start <= first_line.size()) {
        auto end = first_line.find(',', start);
        if (end == std::string_view::npos) end = first_line.size();
        auto cell = trim(first_line.substr(start, end - start));
        if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
        for (const auto& name : known) {
            if (iequals(cell, name)) return true;
        }
        start = end + 1;
    }
    return ends_with_ci(file_name, ".csv");
}

// The IMDb user-review page saved as text, in any of its designs (docs/imdb-page-format.md). A copy without
// review details has no marker line of its own, so it is tried only after CSV, with the file name as evidence.
bool looks_imdb_page(std::string_view head) {
    const auto design = imdb::detect_design(head, false);
    return design && *design != imdb::Design::without_details;
}

bool looks_imdb_copy(std::string_view head, std::string_view file_name) {
    std::string lower(file_name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return imdb::detect_design(head, contains(lower, "imdb")).has_value();
}

}  // namespace

std::string_view format_name(Format format) {
    for (auto [value, name] : format_names) {
        if (value == format) return name;
    }
    return "unknown";
}

std::optional<Format> parse_format(std::string_view name) {
    for (auto [value, known] : format_names) {
        if (name == known) return value;
    }
    return std::nullopt;
}

std::vector<std::string_view> known_formats() {
    std::vector<std::string_view> names;
    for (auto [value, name] : format_names) names.push_back(name);
    return names;
}

std::optional<Format> detect_format(std::string_view head, std::string_view file_name) {
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    // Binary data is no layout at all; NUL never occurs in UTF-8 text.
    if (contains(head, std::string_view("\0", 1))) return std::nullopt;
    auto lines = head_lines(head, 1);
    if (lines.empty()) return std::nullopt;
    std::string_view first = lines.front();

    if (first.front() == '{') return detect_json(head, file_name);
    // Blitzer blocks, with or without the <data>/<reviews> wrapper that copies in circulation add. The file must
    // start with one: a README quoting a <review> block in its samples is not a batch.
    bool starts_blitzer = first == "<review>" || first == "<data>" || first == "<reviews>";
    if (starts_blitzer && (contains(head, "<unique_id>") || contains(head, "<review_text>"))) return Format::blitzer;
    if (looks_imdb_page(head)) return Format::imdb;
    if (looks_csv(first, file_name)) return Format::csv;
    if (looks_imdb_copy(head, file_name)) return Format::imdb;
    // Weak content evidence, so only with a name that agrees.
    if (ends_with_ci(file_name, ".review") && starts_blitzer) return Format::blitzer;
    return std::nullopt;
}

CsvMapping CsvMapping::fine_food_default() {
    // Fine Food's names first (Reviews.csv, McAuley & Leskovec 2013), then spellings other exports use.
    CsvMapping mapping;
    mapping.id = {"Id", "review_id", "reviewId"};
    mapping.body = {"Text", "review/text", "review_text", "reviewText", "review_body", "body", "review", "content"};
    mapping.headline = {"Summary", "review/summary", "title", "headline", "review_title", "review_headline"};
    mapping.author = {"ProfileName", "review/profileName", "author", "reviewer", "reviewerName", "user_name",
                      "UserId", "review/userId"};
    mapping.item = {"product_title", "product_name", "item", "movie", "film"};
    mapping.item_id = {"ProductId", "product/productId", "product_id", "asin", "item_id"};
    mapping.rating = {"Score", "review/score", "rating", "stars", "star_rating", "overall"};
    mapping.helpful_yes = {"HelpfulnessNumerator", "helpful_votes", "helpful_yes"};
    mapping.helpful_total = {"HelpfulnessDenominator", "total_votes", "helpful_total"};
    mapping.date = {"Time", "review/time", "date", "review_date", "unixReviewTime"};
    mapping.rating_max = 5;
    return mapping;
}

/// Calls `apply(key, value)`, both trimmed, for each "KEY=VALUE" of a comma-separated mapping (--csv-map,
/// --json-map); empty entries are skipped. Throws std::invalid_argument naming `shape` for an entry without "=".
template <typename Apply>
void for_each_mapping_entry(std::string_view spec, std::string_view shape, Apply apply) {
    std::size_t start = 0;
    while (start < spec.size()) {
        auto end = spec.find(',', start);
        if (end == std::string_view::npos) end = spec.size();
        auto entry = trim(spec.substr(start, end - start));
        start = end + 1;
        if (entry.empty()) continue;
        auto equals = entry.find('=');
        if (equals == std::string_view::npos)
            throw std::invalid_argument("expected " + std::string(shape) + ", found \"" + std::string(entry) + "\"");
        apply(trim(entry.substr(0, equals)), trim(entry.substr(equals + 1)));
    }
}

CsvMapping CsvMapping::parse(std::string_view spec) {
    CsvMapping mapping = fine_food_default();
    const std::array<std::pair<std::string_view, std::vector<std::string>*>, 10> keys = {{
        {"id", &mapping.id},
        {"body", &mapping.body},
        {"headline", &mapping.headline},
        {"author", &mapping.author},
        {"item", &mapping.item},
        {"item_id", &mapping.item_id},
        {"rating", &mapping.rating},
        {"helpful_yes", &mapping.helpful_yes},
        {"helpful_total", &mapping.helpful_total},
        {"date", &mapping.date},
    }};
    for_each_mapping_entry(spec, "KEY=COLUMN", [&](std::string_view key, std::string_view value) {
        if (key == "rating_max") {
            if (value.empty() || iequals(value, "none")) {
                mapping.rating_max.reset();
                return;
            }
            try {
                std::size_t used = 0;
                double max = std::stod(std::string(value), &used);
                if (used != value.size() || !(max > 0 && max <= 100)) throw std::invalid_argument("range");
                mapping.rating_max = max;
            } catch (const std::exception&) {
                throw std::invalid_argument("rating_max must be a number in (0, 100], found \"" +
                                            std::string(value) + "\"");
            }
            return;
        }
        bool known = false;
        for (auto& [name, columns] : keys) {
            if (name != key) continue;
            known = true;
            // "KEY=" maps nothing: e.g. "id=" makes ids derive from the content instead of an id column.
            *columns = value.empty() ? std::vector<std::string>{} : std::vector<std::string>{std::string(value)};
        }
        if (!known) {
            throw std::invalid_argument("unknown key \"" + std::string(key) +
                                        "\" (known: id, body, headline, author, item, item_id, rating, "
                                        "helpful_yes, helpful_total, date, rating_max)");
        }
    });
    return mapping;
}

std::string_view JsonMapping::source_of(std::string_view review_key) const {
    for (const auto& [key, source] : keys) {
        if (key == review_key) return source;
    }
    return review_key;
}

JsonMapping JsonMapping::parse(std::string_view spec) {
    // The canonical keys (docs/formats.md) but `source`, which the reader always sets itself.
    constexpr std::array<std::string_view, 14> review_keys = {"id",     "item",      "item_id",     "item_year",
                                                              "headline", "author",  "byline",      "date",
                                                              "rating", "rating_max", "helpful_yes", "helpful_total",
                                                              "spoiler", "body"};
    JsonMapping mapping;
    for_each_mapping_entry(spec, "KEY=SOURCE_KEY", [&](std::string_view key_text, std::string_view source_text) {
        const std::string key(key_text);
        const std::string source(source_text);
        if (std::find(review_keys.begin(), review_keys.end(), key) == review_keys.end())
            throw std::invalid_argument("unknown key \"" + key +
                                        "\" (known: id, item, item_id, item_year, headline, author, byline, date, "
                                        "rating, rating_max, helpful_yes, helpful_total, spoiler, body)");
        if (source.empty()) throw std::invalid_argument("no source key for \"" + key + "\" (KEY=SOURCE_KEY)");
        for (const auto& [mapped, _] : mapping.keys) {
            if (mapped == key) throw std::invalid_argument("\"" + key + "\" is mapped twice");
        }
        mapping.keys.emplace_back(key, source);
    });
    return mapping;
}

std::unique_ptr<ReviewReader> make_reader(Format format, std::istream& in, std::string display_name,
                                          ProblemSink sink, const ReaderOptions& options) {
    switch (format) {
        case Format::imdb: return detail::make_imdb_page_reader(in, std::move(display_name), std::move(sink), options);
        case Format::jsonl: return detail::make_jsonl_reader(in, std::move(display_name), std::move(sink), options);
        case Format::mcauley: return detail::make_mcauley_reader(in, std::move(display_name), std::move(sink), options);
        case Format::blitzer: return detail::make_blitzer_reader(in, std::move(display_name), std::move(sink), options);
        case Format::csv: return detail::make_csv_reader(in, std::move(display_name), std::move(sink), options);
    }
    throw std::invalid_argument("unknown format");
}

}  // namespace revsearch
