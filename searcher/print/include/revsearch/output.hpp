#pragma once
// What revsearch prints: text for people (ANSI colour on a terminal only) and JSON lines for scripts
// (docs/json-output.md is the stable description of the latter).

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "revsearch/search.hpp"

namespace revsearch {

/// --color auto|always|never: auto means colour only on a terminal and without $NO_COLOR (https://no-color.org).
/// Throws std::invalid_argument for another mode.
bool use_color(std::string_view mode, bool stdout_is_terminal, bool no_color_set);

struct TextStyle {
    bool color = false;
    bool explain = false;  ///< the parsed query, and each score broken into its parts
};

/// Per hit: rank, headline, item, author, date, rating, helpful votes, a spoiler mark, the snippet; then
/// the facets (when asked for), the match estimate and time, and the spelling hint.
void write_text(std::ostream& out, const SearchResult& result, const TextStyle& style);

/// {"type":"hit","data":...} per hit, then {"type":"summary","data":...}.
void write_json_lines(std::ostream& out, const SearchRequest& request, const SearchResult& result);

/// For a query over max_query_terms (result.capped): what was searched instead, for stderr; "" otherwise.
std::string capped_warning(const SearchResult& result);

nlohmann::ordered_json hit_to_json(const Hit& hit);
nlohmann::ordered_json summary_to_json(const SearchRequest& request, const SearchResult& result);

}  // namespace revsearch
