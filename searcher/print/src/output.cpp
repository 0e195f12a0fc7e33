#include "revsearch/output.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "revsearch/schema.hpp"
#include "revsearch/terminal_text.hpp"
#include "revsearch/text_layout.hpp"

namespace revsearch {

namespace {

// ordered_json: keys print in the order docs/json-output.md lists them ("type" before "data").
using json = nlohmann::ordered_json;

struct Palette {
    std::string_view bold, dim, match, warning, reset;
};

constexpr Palette colours{"\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[31m", "\x1b[0m"};
constexpr Palette plain{"", "", "", "", ""};

/// One JSON line of the output: `value` on one line, then "\n". error_handler::replace: a review with broken UTF-8
/// in its stored data still prints. JSON requires escaping only U+0000-U+001F (RFC 8259, section 7), so a stored
/// DEL or C1 control (U+009B is a one-character CSI to some terminals) would reach a terminal that shows the
/// lines as they are; they are escaped too. Their bytes (0x7F; 0xC2 then 0x80-0x9F) occur only inside strings.
void write_json_line(std::ostream& out, const json& value) {
    const std::string line = value.dump(-1, ' ', false, json::error_handler_t::replace);
    std::size_t copied = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char32_t c1 = c1_control_at(line, i);
        if (line[i] != '\x7F' && c1 == 0) continue;
        out.write(line.data() + copied, static_cast<std::streamsize>(i - copied));
        out << fmt::format("\\u{:04x}", c1 != 0 ? static_cast<unsigned>(c1) : 0x7Fu);
        if (c1 != 0) ++i;
        copied = i + 1;
    }
    out.write(line.data() + copied, static_cast<std::streamsize>(line.size() - copied));
    out << '\n';
}

std::string text_of(const json& review, const char* key) {
    if (!review.is_object()) return {};
    auto it = review.find(key);
    return it != review.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number_of(const json& review, const char* key) {
    if (!review.is_object()) return std::nullopt;
    auto it = review.find(key);
    if (it == review.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

/// 8 -> "8", 3.5 -> "3.5".
std::string short_number(double value) { return fmt::format("{}", value); }

constexpr std::string_view indent = "     ";  // under the rank: "  1. "
constexpr std::size_t indent_columns = 5;
/// An item title never takes less than this when shortened to fit the item line.
constexpr std::size_t min_item_columns = 24;

/// "Pusher II (2004) · UlrikSander · 2006-03-11 · 8/10 · helpful 54/62"; a review without an item title shows its
/// item id (an ASIN) in its place. With `width`, a long item title is shortened so the line fits when it can.
std::string meta_line(const json& review, std::size_t width) {
    std::vector<std::string> parts;
    std::string item = text_of(review, "item");
    if (item.empty()) item = text_of(review, "item_id");
    std::string year;
    if (auto item_year = number_of(review, "item_year"); item_year && !item.empty())
        year = fmt::format(" ({})", *item_year);
    if (auto author = text_of(review, "author"); !author.empty()) parts.push_back(author);
    if (auto date = text_of(review, "date"); !date.empty()) parts.push_back(date);
    if (auto rating = number_of(review, "rating")) {
        auto max = number_of(review, "rating_max");
        parts.push_back(max ? short_number(*rating) + "/" + short_number(*max) : short_number(*rating));
    }
    if (auto total = number_of(review, "helpful_total"); total && *total > 0)
        parts.push_back(fmt::format("helpful {}/{}", short_number(number_of(review, "helpful_yes").value_or(0)),
                                    short_number(*total)));
    std::string rest;
    for (const auto& part : parts) rest += " · " + part;
    if (!item.empty() && width > 0) {
        const std::size_t others = display_width(year) + display_width(rest);
        const std::size_t room = width > others ? width - others : 0;
        item = shorten(item, std::max(room, min_item_columns));
    }
    std::string line = item.empty() ? rest.substr(rest.empty() ? 0 : std::string_view(" · ").size()) : item + year + rest;
    return line;
}

bool is_spoiler(const json& review) {
    if (!review.is_object()) return false;
    auto spoiler = review.find("spoiler");
    return spoiler != review.end() && spoiler->is_boolean() && spoiler->get<bool>();
}

/// The part [begin, end) of a snippet, its highlights clipped to it.
Snippet slice(const Snippet& snippet, std::size_t begin, std::size_t end) {
    Snippet part;
    part.text = snippet.text.substr(begin, end - begin);
    for (const auto& [offset, length] : snippet.highlights) {
        const std::size_t from = std::max(offset, begin), to = std::min(offset + length, end);
        if (from < to) part.highlights.emplace_back(from - begin, to - from);
    }
    return part;
}

/// `text` wrapped to `width` columns (0: one line), each line after `first_prefix` (the first) or `indent`, in
/// `style` with highlights between `on` and `off` (`off` must restore `style`).
void write_wrapped(std::ostream& out, const Snippet& text, std::string_view first_prefix, std::size_t width,
                   std::string_view style, std::string_view on, std::string_view off, std::string_view reset) {
    const std::size_t columns = width > indent_columns ? width - indent_columns : (width > 0 ? 1 : 0);
    bool first = true;
    for (const LineSpan& line : wrap_lines(text.text, columns)) {
        out << (first ? first_prefix : indent) << style << render_highlights(slice(text, line.begin, line.end), on, off)
            << reset << '\n';
        first = false;
    }
}

/// A line of plain text, wrapped, in one style.
void write_plain(std::ostream& out, std::string_view text, std::size_t width, std::string_view style,
                 std::string_view reset) {
    write_wrapped(out, Snippet{std::string(text), {}}, indent, width, style, "", style, reset);
}

/// The item line, with the spoiler mark in its own colour.
void write_meta(std::ostream& out, const json& review, std::size_t width, const Palette& palette) {
    const std::string meta = meta_line(review, width > indent_columns ? width - indent_columns : 0);
    if (!meta.empty()) write_plain(out, meta, width, palette.dim, palette.reset);
    if (is_spoiler(review)) out << indent << palette.warning << "[spoilers]" << palette.reset << '\n';
}

/// "r0123abcd · corpora/pusher-ii-2004.txt:213": what --show takes, and where the review was read.
void write_origin(std::ostream& out, const Hit& hit, std::size_t width, const Palette& palette) {
    std::string origin = hit.id;
    if (auto source = text_of(hit.review, "source"); !source.empty()) origin += " · " + source;
    if (!origin.empty()) write_plain(out, origin, width, palette.dim, palette.reset);
}

std::string rank_prefix(Xapian::doccount rank) { return fmt::format("{:>3}. ", rank); }

/// The stems --expand or --like added, best first, without their index prefix.
std::string expansion_words(const SearchResult& result) {
    std::string words;
    for (const auto& [term, weight] : result.expansion)
        words += (words.empty() ? "" : " ") + std::string(schema::classify_term(term).text);
    return words;
}

/// The rows of one scale's histogram, highest first: every whole rating from the top of a small whole scale down
/// to 1 (so empty ones show), else the ratings present; 0 only when present.
std::vector<long> facet_rows(double scale, const std::map<long, Xapian::doccount>& counts) {
    std::vector<long> rows;
    if (scale <= 10 && scale == std::floor(scale)) {
        for (long rating = static_cast<long>(scale); rating >= 1; --rating) rows.push_back(rating);
        if (counts.count(0)) rows.push_back(0);
        for (const auto& [rating, count] : counts)
            if (rating > static_cast<long>(scale)) rows.insert(rows.begin(), rating);
    } else {
        for (auto it = counts.rbegin(); it != counts.rend(); ++it) rows.push_back(it->first);
    }
    return rows;
}

/// One histogram per rating scale present (ratings as shown), then the matches without a rating.
void write_facets(std::ostream& out, const RatingFacets& facets, const Palette& palette) {
    Xapian::doccount largest = facets.unknown;
    for (const auto& [scale, counts] : facets.by_scale)
        for (const auto& [rating, count] : counts) largest = std::max(largest, count);
    constexpr double bar_width = 30;
    auto bar = [&](Xapian::doccount count) {
        auto length = largest == 0 ? 0 : static_cast<std::size_t>(std::ceil(bar_width * count / largest));
        std::string text;
        for (std::size_t i = 0; i < length; ++i) text += "█";
        return text;
    };
    for (const auto& [scale, counts] : facets.by_scale) {
        out << palette.bold << "rating, of " << short_number(scale) << palette.reset << '\n';
        for (long rating : facet_rows(scale, counts)) {
            const auto found = counts.find(rating);
            const Xapian::doccount count = found == counts.end() ? 0 : found->second;
            out << fmt::format("{:>7} {} {}\n", rating, bar(count), count);
        }
    }
    out << fmt::format("{:>7} {} {}\n\n", "unknown", bar(facets.unknown), facets.unknown);
}

}  // namespace

bool use_color(std::string_view mode, bool stdout_is_terminal, bool no_color_set) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    if (mode == "auto") return stdout_is_terminal && !no_color_set;
    throw std::invalid_argument("--color takes auto, always or never");
}

std::string capped_warning(const SearchResult& result) {
    if (!result.capped) return {};
    return fmt::format("the query has {} distinct terms, more than the limit of {}: only its first {} distinct words "
                       "were searched, without operators (docs/query-syntax.md)",
                       result.terms, max_query_terms, max_query_terms);
}

std::size_t output_width(std::optional<std::size_t> requested, bool stdout_is_terminal) {
    if (requested) return *requested;
    if (!stdout_is_terminal) return 0;
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    if (const char* columns = std::getenv("COLUMNS")) {
        char* end = nullptr;
        const long value = std::strtol(columns, &end, 10);
        if (end != columns && *end == '\0' && value > 0 && value <= 10000) return static_cast<std::size_t>(value);
    }
    return 80;
}

void write_text(std::ostream& out, const SearchResult& result, const TextStyle& style) {
    const Palette& palette = style.color ? colours : plain;
    const std::string bold_again = std::string(palette.reset) + std::string(palette.bold);
    if (result.corrected)
        out << "Showing results for " << palette.bold << *result.corrected << palette.reset << " (search instead for "
            << result.query << ": --as-typed)\n\n";
    if (style.explain) out << palette.dim << "parsed: " << result.parsed << palette.reset << "\n\n";
    // The words --expand or --like searched: they explain hits that hold none of the typed words. The settings
    // that found them: a long query expands with those of its kind (search.hpp, expansion_for), so say which, and
    // how to turn it off.
    if (!result.expansion.empty()) {
        out << palette.dim << "searched with: " << expansion_words(result);
        if (result.expanded_with && result.expanded_as_long)
            out << " (added to a long query, " << expansion_spec(*result.expanded_with)
                << "; --no-expand searches its words alone)";
        else if (result.expanded_with)
            out << " (" << expansion_spec(*result.expanded_with) << ")";
        out << palette.reset << "\n\n";
    }
    for (const Hit& hit : result.hits) {
        Snippet headline = hit.headline;
        if (headline.text.empty()) headline = Snippet{"(no headline)", {}};
        write_wrapped(out, headline, rank_prefix(hit.rank), style.width, palette.bold, palette.match, bold_again,
                      palette.reset);
        write_meta(out, hit.review, style.width, palette);
        if (!hit.snippet.text.empty())
            write_wrapped(out, hit.snippet, indent, style.width, "", palette.match, palette.reset, "");
        if (style.explain) {
            out << palette.dim << fmt::format("     score {:.4f} = bm25 {:.4f}", hit.score, hit.parts.bm25);
            if (result.proximity) out << fmt::format(" + proximity {:.4f}", hit.parts.proximity);
            if (result.expanded()) out << fmt::format(" + expansion {:.4f}", hit.parts.expansion);
            out << fmt::format(" + helpful {:.4f} + rating {:.4f}", hit.parts.helpful, hit.parts.rating);
            if (result.scale.helpful > 0) out << fmt::format("  (H {:.3f} × {:.4f}", hit.parts.helpful / result.scale.helpful, result.scale.helpful);
            if (result.scale.rating > 0) out << fmt::format("{}R {:.3f} × {:.4f}", result.scale.helpful > 0 ? ", " : "  (", hit.parts.rating / result.scale.rating, result.scale.rating);
            if (result.scale.helpful > 0 || result.scale.rating > 0) out << ')';
            out << palette.reset << '\n';
        }
        write_origin(out, hit, style.width, palette);
        out << '\n';
    }
    if (result.facets) write_facets(out, *result.facets, palette);
    out << palette.dim
        << fmt::format("{}{} match{} ({:.1f} ms)", result.exact ? "" : "about ", result.estimated,
                       result.estimated == 1 ? "" : "es", result.milliseconds);
    if (result.fell_back) out << "; the query did not parse, so its words were searched";
    if (result.capped) out << fmt::format("; only the first {} distinct words of the query were searched", max_query_terms);
    out << palette.reset << '\n';
    if (result.suggestion) out << "Did you mean: " << palette.bold << *result.suggestion << palette.reset << " ?\n";
}

void write_reviews_text(std::ostream& out, const std::vector<Hit>& reviews, const TextStyle& style) {
    const Palette& palette = style.color ? colours : plain;
    for (const Hit& hit : reviews) {
        Snippet headline = hit.headline;
        if (headline.text.empty()) headline = Snippet{"(no headline)", {}};
        write_wrapped(out, headline, rank_prefix(hit.rank), style.width, palette.bold, "", palette.bold, palette.reset);
        write_meta(out, hit.review, style.width, palette);
        write_origin(out, hit, style.width, palette);
        out << '\n';
        // The body as stored, paragraph by paragraph: its line breaks are the author's.
        std::string_view body = hit.snippet.text;
        while (!body.empty()) {
            const auto newline = body.find('\n');
            const std::string_view paragraph = body.substr(0, newline);
            if (paragraph.find_first_not_of(" \t\r") == std::string_view::npos) out << '\n';
            else write_plain(out, paragraph, style.width, "", "");
            if (newline == std::string_view::npos) break;
            body.remove_prefix(newline + 1);
        }
        out << '\n';
    }
}

void write_reviews_json_lines(std::ostream& out, const std::vector<Hit>& reviews) {
    for (const Hit& hit : reviews)
        write_json_line(out, json{{"type", "review"}, {"data", {{"id", hit.id}, {"review", hit.review}}}});
}

json hit_to_json(const Hit& hit) {
    json highlights = json::array();
    for (const auto& [offset, length] : hit.snippet.highlights) highlights.push_back({offset, length});
    return {
        {"rank", hit.rank},
        {"id", hit.id},
        {"score", hit.score},
        {"parts",
         {{"bm25", hit.parts.bm25},
          {"proximity", hit.parts.proximity},
          {"expansion", hit.parts.expansion},
          {"helpful", hit.parts.helpful},
          {"rating", hit.parts.rating}}},
        {"review", hit.review},
        {"snippet", hit.snippet.text},
        {"highlights", highlights},
    };
}

json expansion_to_json(const SearchResult& result) {
    json terms = json::array();
    for (const auto& [term, weight] : result.expansion)
        terms.push_back({{"stem", std::string(schema::classify_term(term).text)}, {"weight", weight}});
    return terms;
}

json correction_to_json(const SearchResult& result) {
    json words = json::array();
    for (const auto& word : result.corrections)
        words.push_back({{"typed", word.typed},
                         {"corrected", word.corrected},
                         {"typed_reviews", word.typed_reviews},
                         {"corrected_reviews", word.corrected_reviews}});
    return {{"query", result.corrected.value_or("")}, {"as_typed", result.query}, {"words", words}};
}

json summary_to_json(const SearchRequest& request, const SearchResult& result) {
    json facets = nullptr;
    if (result.facets) {
        json rating = json::object();
        for (std::size_t bucket = 0; bucket < result.facets->buckets.size(); ++bucket)
            rating[std::to_string(bucket + 1)] = result.facets->buckets[bucket];
        rating["unknown"] = result.facets->unknown;
        json by_scale = json::object();
        for (const auto& [scale, counts] : result.facets->by_scale) {
            json histogram = json::object();
            for (const auto& [shown, count] : counts) histogram[std::to_string(shown)] = count;
            by_scale[short_number(scale)] = histogram;
        }
        facets = {{"rating", rating}, {"rating_by_scale", by_scale}};
    }
    return {
        {"query", request.query},
        {"parsed", result.parsed},
        {"fell_back", result.fell_back},
        {"terms", result.terms},
        {"capped", result.capped},
        {"estimated", result.estimated},
        {"exact", result.exact},
        {"offset", request.offset},
        {"limit", request.limit},
        {"returned", result.hits.size()},
        {"suggestion", result.suggestion ? json(*result.suggestion) : json(nullptr)},
        {"like", request.like ? json(*request.like) : json(nullptr)},
        {"expansion", expansion_to_json(result)},
        {"expand", std::string(expand_when_name(request.expand))},
        {"long_query", result.long_query},
        {"bm25_b", uses_bm25_parameters(request.ranking.scheme) ? json(result.bm25_b) : json(nullptr)},
        {"expanded", result.expanded()},
        {"expanded_with", result.expanded_with ? json(expansion_spec(*result.expanded_with)) : json(nullptr)},
        {"corrected", result.corrected ? json(*result.corrected) : json(nullptr)},
        {"weights", {{"helpful", result.scale.helpful}, {"rating", result.scale.rating}}},
        {"facets", facets},
        {"partial", result.failed_shards.empty()
                        ? json(nullptr)
                        : json{{"shards", result.shard_count}, {"failed", result.failed_shards}}},
        {"ms", result.milliseconds},
    };
}

void write_json_lines(std::ostream& out, const SearchRequest& request, const SearchResult& result) {
    if (result.corrected) write_json_line(out, json{{"type", "correction"}, {"data", correction_to_json(result)}});
    for (const Hit& hit : result.hits) write_json_line(out, json{{"type", "hit"}, {"data", hit_to_json(hit)}});
    write_json_line(out, json{{"type", "summary"}, {"data", summary_to_json(request, result)}});
}

}  // namespace revsearch
