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

/// The designs of IMDb's user-review page, as a browser copies them to text (docs/imdb-page-format.md).
enum class Design {
    before_2017,     ///< "12 out of 20 people found the following review useful:", "Author: NAME from PLACE"
    from_2017,       ///< the 2017-2023 page: "UlrikSander11 March 2006", "54 out of 62 found this helpful."
    from_2024,       ///< the 2024+ card: "10" "/10", ..., "Helpful" "•" up down, "Ps_70Sep 12, 2024Permalink"
    without_details  ///< headline and body blocks only, the card details lost in the copy
};
/// "pre-2017", "2017-2023", "2024+", "headline-and-body copy (no review details)": as messages name the design.
std::string_view design_name(Design design);
/// The design whose marker lines appear first in `head` (the start of a file); nullopt when none does.
/// A copy without details has no marker of its own: it is named only when the head holds a lone markup line
/// ("<div>") between headline-and-body blocks, the trace such copies keep, or when `name_says_imdb`.
std::optional<Design> detect_design(std::string_view head, bool name_says_imdb);

/// A date as IMDb printed it, the whole of `text`: "11 March 2006" (2017-2023 and before), "Sep 12, 2024" and
/// "September 12, 2024" (2024+). `problem` is set when it has the form but the day does not exist.
struct DateText {
    std::optional<std::string> iso;  ///< YYYY-MM-DD
    std::string problem;
};
std::optional<DateText> parse_date_text(std::string_view text);

/// A line ending in a US date, what precedes it glued or spaced: "Ps_70Sep 12, 2024" -> "Ps_70", 2024-09-12.
/// The month name ends the prefix, so a name ending in digits ("Mishti2410Oct 6, 2024") is not ambiguous.
struct UsDatedLine {
    std::string before;
    DateText date;
};
std::optional<UsDatedLine> split_us_date_suffix(std::string_view line);

/// A whole line that is a vote count: "4", "1,234".
std::optional<std::int64_t> parse_count_line(std::string_view line);

/// "N out of M people found the following review useful:" (before 2017).
std::optional<HelpfulLine> parse_useful_line(std::string_view line);

/// "Author: NAME from PLACE" (before 2017): the name; PLACE is not kept.
std::optional<std::string> parse_author_line(std::string_view line);

/// A line that is only markup a copy kept by mistake: "<div>", "</div>", "<br/>", "<p>".
bool is_markup_line(std::string_view line);

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
