#pragma once
// Internal: the kinds of line an IMDb user-review page saved as text is made of (docs/imdb-page-format.md).
// Each parser takes one line, already trimmed, and returns nullopt when the line is not of its kind; when it is
// but a value in it is impossible (11/10, 31 February), the value is nullopt and `problem` says why.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace revsearch::imdb {

/// "Pusher II (2004) Poster": the page's title line.
struct TitleLine {
    std::string item;
    int year = 0;
};
std::optional<TitleLine> parse_title_line(std::string_view line);

/// "8/10". IMDb ratings are whole stars from 1 to 10.
struct RatingLine {
    std::optional<double> rating;
    std::optional<double> rating_max;
    std::string problem;
};
std::optional<RatingLine> parse_rating_line(std::string_view line);

/// "UlrikSander11 March 2006": the author's name glued to the date. See split_byline in the .cpp for the rule.
struct Byline {
    std::optional<std::string> author;
    std::optional<std::string> date;  ///< ISO YYYY-MM-DD
    std::string problem;
};
/// Returns nullopt when the line does not end in "<day> <Month> <year>". `glued_only` accepts only a name
/// with no white space glued to the day, the strict form used where a body line could look like a byline.
std::optional<Byline> split_byline(std::string_view line, bool glued_only);

/// "54 out of 62 found this helpful. Was this review helpful? Sign in to vote."
struct HelpfulLine {
    std::optional<std::int64_t> yes;
    std::optional<std::int64_t> total;
    std::string problem;
};
std::optional<HelpfulLine> parse_helpful_line(std::string_view line);

/// "(2004)", "User Reviews", "Review this title", "44 Reviews", "Sort by:", "Filter by Rating:".
bool is_header_line(std::string_view line);
/// "An error has occured. Please try again.", "See also", "Awards | FAQ | ...", "Recently Viewed".
bool is_footer_line(std::string_view line);
/// The footer lines that cannot be the last line of a review body: they end a review cut off by the page end.
bool is_footer_start_line(std::string_view line);
bool is_spoiler_line(std::string_view line);
bool is_permalink_line(std::string_view line);

/// A line of a binary file rather than text: a NUL byte, or more than a tenth of its bytes control characters.
bool looks_binary(std::string_view raw_line);

std::string_view trim(std::string_view text);

}  // namespace revsearch::imdb
