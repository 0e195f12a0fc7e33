#include "revsearch/output.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace revsearch {

namespace {

// ordered_json: keys print in the order docs/json-output.md lists them ("type" before "data").
using json = nlohmann::ordered_json;

struct Palette {
    std::string_view bold, dim, match, warning, reset;
};

constexpr Palette colours{"\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[31m", "\x1b[0m"};
constexpr Palette plain{"", "", "", "", ""};

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

/// "Pusher II (2004) · UlrikSander · 2006-03-11 · 8/10 · helpful 54/62 · SPOILERS"; a review without an item
/// title shows its item id (an ASIN) in its place.
std::string meta_line(const json& review, const Palette& palette) {
    std::vector<std::string> parts;
    std::string item = text_of(review, "item");
    if (item.empty()) item = text_of(review, "item_id");
    if (auto year = number_of(review, "item_year"); year && !item.empty()) item += fmt::format(" ({})", *year);
    if (!item.empty()) parts.push_back(item);
    if (auto author = text_of(review, "author"); !author.empty()) parts.push_back(author);
    if (auto date = text_of(review, "date"); !date.empty()) parts.push_back(date);
    if (auto rating = number_of(review, "rating")) {
        auto max = number_of(review, "rating_max");
        parts.push_back(max ? short_number(*rating) + "/" + short_number(*max) : short_number(*rating));
    }
    if (auto total = number_of(review, "helpful_total"); total && *total > 0)
        parts.push_back(fmt::format("helpful {}/{}", short_number(number_of(review, "helpful_yes").value_or(0)),
                                    short_number(*total)));
    std::string line;
    for (const auto& part : parts) line += (line.empty() ? "" : " · ") + part;
    auto spoiler = review.is_object() ? review.find("spoiler") : review.end();
    if (review.is_object() && spoiler != review.end() && spoiler->is_boolean() && spoiler->get<bool>())
        line += fmt::format("{}{}[spoilers]{}", line.empty() ? "" : " ", palette.warning, palette.reset);
    return line;
}

void write_facets(std::ostream& out, const RatingFacets& facets, const Palette& palette) {
    Xapian::doccount largest = std::max(facets.unknown, *std::max_element(facets.buckets.begin(), facets.buckets.end()));
    constexpr double bar_width = 30;
    auto bar = [&](Xapian::doccount count) {
        auto length = largest == 0 ? 0 : static_cast<std::size_t>(std::ceil(bar_width * count / largest));
        std::string text;
        for (std::size_t i = 0; i < length; ++i) text += "█";
        return text;
    };
    out << palette.bold << "rating (0..10)" << palette.reset << '\n';
    for (std::size_t bucket = facets.buckets.size(); bucket-- > 0;)
        out << fmt::format("{:>7} {} {}\n", bucket + 1, bar(facets.buckets[bucket]), facets.buckets[bucket]);
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

void write_text(std::ostream& out, const SearchResult& result, const TextStyle& style) {
    const Palette& palette = style.color ? colours : plain;
    if (style.explain) out << palette.dim << "parsed: " << result.parsed << palette.reset << "\n\n";
    for (const Hit& hit : result.hits) {
        std::string headline = render_highlights(hit.headline, palette.match, std::string(palette.reset) + std::string(palette.bold));
        if (hit.headline.text.empty()) headline = "(no headline)";
        out << fmt::format("{}{:>3}. {}{}\n", palette.bold, hit.rank, headline, palette.reset);
        if (auto meta = meta_line(hit.review, palette); !meta.empty())
            out << "     " << palette.dim << meta << palette.reset << '\n';
        if (!hit.snippet.text.empty())
            out << "     " << render_highlights(hit.snippet, palette.match, palette.reset) << '\n';
        if (style.explain) {
            out << palette.dim
                << fmt::format("     score {:.4f} = bm25 {:.4f} + helpful {:.4f} + rating {:.4f}", hit.score,
                               hit.parts.bm25, hit.parts.helpful, hit.parts.rating);
            if (result.scale.helpful > 0) out << fmt::format("  (H {:.3f} × {:.4f}", hit.parts.helpful / result.scale.helpful, result.scale.helpful);
            if (result.scale.rating > 0) out << fmt::format("{}R {:.3f} × {:.4f}", result.scale.helpful > 0 ? ", " : "  (", hit.parts.rating / result.scale.rating, result.scale.rating);
            if (result.scale.helpful > 0 || result.scale.rating > 0) out << ')';
            out << palette.reset << '\n';
        }
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

json hit_to_json(const Hit& hit) {
    json highlights = json::array();
    for (const auto& [offset, length] : hit.snippet.highlights) highlights.push_back({offset, length});
    return {
        {"rank", hit.rank},
        {"id", hit.id},
        {"score", hit.score},
        {"parts", {{"bm25", hit.parts.bm25}, {"helpful", hit.parts.helpful}, {"rating", hit.parts.rating}}},
        {"review", hit.review},
        {"snippet", hit.snippet.text},
        {"highlights", highlights},
    };
}

json summary_to_json(const SearchRequest& request, const SearchResult& result) {
    json facets = nullptr;
    if (result.facets) {
        json rating = json::object();
        for (std::size_t bucket = 0; bucket < result.facets->buckets.size(); ++bucket)
            rating[std::to_string(bucket + 1)] = result.facets->buckets[bucket];
        rating["unknown"] = result.facets->unknown;
        facets = {{"rating", rating}};
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
        {"weights", {{"helpful", result.scale.helpful}, {"rating", result.scale.rating}}},
        {"facets", facets},
        {"partial", result.failed_shards.empty()
                        ? json(nullptr)
                        : json{{"shards", result.shard_count}, {"failed", result.failed_shards}}},
        {"ms", result.milliseconds},
    };
}

void write_json_lines(std::ostream& out, const SearchRequest& request, const SearchResult& result) {
    // error_handler::replace: a review with broken UTF-8 in its stored data still prints.
    for (const Hit& hit : result.hits)
        out << json{{"type", "hit"}, {"data", hit_to_json(hit)}}.dump(-1, ' ', false, json::error_handler_t::replace)
            << '\n';
    out << json{{"type", "summary"}, {"data", summary_to_json(request, result)}}.dump(
               -1, ' ', false, json::error_handler_t::replace)
        << '\n';
}

}  // namespace revsearch
