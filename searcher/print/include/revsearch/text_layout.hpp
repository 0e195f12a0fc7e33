#pragma once
// Laying text out on a terminal: display width, line breaking and shortening, all on UTF-8 text.
// Line break opportunities are Unicode's (UAX #14, through ICU's line BreakIterator), so a line breaks between
// words and after hyphens, never inside a word; widths count East Asian wide characters as two columns and
// combining marks as none (UAX #11).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace revsearch {

/// Columns `text` takes on a terminal.
std::size_t display_width(std::string_view text);

/// A line of wrapped text: bytes [begin, end) of the text, trailing spaces left out.
struct LineSpan {
    std::size_t begin = 0, end = 0;
    bool operator==(const LineSpan&) const = default;
};

/// Breaks `text` into lines of at most `width` columns at break opportunities; a word wider than a line is cut at
/// a character boundary. A `width` of 0 means no limit: one line (or none for an empty text).
std::vector<LineSpan> wrap_lines(std::string_view text, std::size_t width);

/// `text` when it fits in `width` columns, else its longest beginning that ends at a break opportunity (or a
/// character boundary, for a first word too long) and fits with a following "…".
std::string shorten(std::string_view text, std::size_t width);

}  // namespace revsearch
