#pragma once
// What revsearch prints: text for people (ANSI colour on a terminal only) and JSON lines for scripts
// (docs/json-output.md is the stable description of the latter).

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "revsearch/search.hpp"

namespace revsearch {

/// --color auto|always|never: auto means colour only on a terminal and without $NO_COLOR (https://no-color.org).
/// Throws std::invalid_argument for another mode.
bool use_color(std::string_view mode, bool stdout_is_terminal, bool no_color_set);

struct TextStyle {
    bool color = false;
    bool explain = false;   ///< the parsed query, and each score broken into its parts
    std::size_t width = 0;  ///< columns to wrap at, at word boundaries (text_layout.hpp); 0: no wrapping (a pipe)
};

/// The width --width asks for, else the terminal's (TIOCGWINSZ, then $COLUMNS) when stdout is one, else 0.
std::size_t output_width(std::optional<std::size_t> requested, bool stdout_is_terminal);

/// A first line naming the corrected query searched instead, if any (spelling.hpp); then per hit: rank, headline, item, author, date, rating, helpful votes, a spoiler mark, the snippet, the id and
/// source; then the facets (when asked for), the match estimate and time, and the spelling hint. An item title
/// too long for one line is shortened with "…" (--json has it whole).
void write_text(std::ostream& out, const SearchResult& result, const TextStyle& style);

/// Whole reviews (Searcher::lookup): headline, item line, id and source, then the body paragraph by paragraph.
void write_reviews_text(std::ostream& out, const std::vector<Hit>& reviews, const TextStyle& style);

/// {"type":"review","data":{"id":...,"review":{...}}} per review.
void write_reviews_json_lines(std::ostream& out, const std::vector<Hit>& reviews);

/// {"type":"correction","data":...} when the spelling was corrected, {"type":"hit","data":...} per hit, then
/// {"type":"summary","data":...}.
void write_json_lines(std::ostream& out, const SearchRequest& request, const SearchResult& result);

/// For a query over max_query_terms (result.capped): what was searched instead, for stderr; "" otherwise.
std::string capped_warning(const SearchResult& result);

nlohmann::ordered_json hit_to_json(const Hit& hit);
nlohmann::ordered_json correction_to_json(const SearchResult& result);
nlohmann::ordered_json summary_to_json(const SearchRequest& request, const SearchResult& result);

}  // namespace revsearch
