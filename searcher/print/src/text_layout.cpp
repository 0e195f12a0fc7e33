#include "revsearch/text_layout.hpp"

#include <memory>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

namespace revsearch {

namespace {

constexpr std::string_view ellipsis = "…";

int columns_of(UChar32 c) {
    if (c < 0) return 1;  // an invalid byte prints as one replacement character
    const auto category = U_GET_GC_MASK(c);
    if ((category & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK)) != 0 || c == 0x200B) return 0;
    const auto east_asian = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    return east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
}

/// Calls visit(begin, end, columns) for each character (code point) of text.
template <typename Visit>
void for_each_character(std::string_view text, Visit visit) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    int32_t offset = 0;
    while (offset < length) {
        const int32_t begin = offset;
        UChar32 c;
        U8_NEXT(bytes, offset, length, c);
        if (!visit(static_cast<std::size_t>(begin), static_cast<std::size_t>(offset), columns_of(c))) return;
    }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Line break opportunities of `text` as byte offsets, ascending, the end of the text included. ICU reads the
/// UTF-8 in place (utext_openUTF8), so its native indexes are byte offsets.
std::vector<std::size_t> break_opportunities(std::string_view text) {
    std::vector<std::size_t> breaks;
    UErrorCode status = U_ZERO_ERROR;
    UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
    std::unique_ptr<icu::BreakIterator> iterator(icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), status));
    if (U_SUCCESS(status)) {
        iterator->setText(utext, status);
        for (int32_t at = iterator->next(); U_SUCCESS(status) && at != icu::BreakIterator::DONE; at = iterator->next())
            breaks.push_back(static_cast<std::size_t>(at));
    }
    utext_close(utext);
    if (breaks.empty() || breaks.back() != text.size()) {
        // Without ICU's rules (it failed to load): every space is an opportunity.
        breaks.clear();
        for (std::size_t i = 0; i < text.size(); ++i)
            if (is_space(text[i]) && (i + 1 == text.size() || !is_space(text[i + 1]))) breaks.push_back(i + 1);
        breaks.push_back(text.size());
    }
    return breaks;
}

std::size_t trim_end(std::string_view text, std::size_t begin, std::size_t end) {
    while (end > begin && is_space(text[end - 1])) --end;
    return end;
}

}  // namespace

std::size_t display_width(std::string_view text) {
    std::size_t columns = 0;
    for_each_character(text, [&](std::size_t, std::size_t, int width) {
        columns += static_cast<std::size_t>(width);
        return true;
    });
    return columns;
}

std::vector<LineSpan> wrap_lines(std::string_view text, std::size_t width) {
    std::vector<LineSpan> lines;
    if (text.empty()) return lines;
    if (width == 0) return {{0, trim_end(text, 0, text.size())}};
    const auto breaks = break_opportunities(text);
    std::size_t line_begin = 0;
    std::size_t next_break = 0;
    while (line_begin < text.size()) {
        // The furthest opportunity whose line (trailing spaces aside) fits.
        std::size_t fitting_end = line_begin;
        while (next_break < breaks.size() && breaks[next_break] <= line_begin) ++next_break;
        std::size_t candidate = next_break;
        for (; candidate < breaks.size(); ++candidate) {
            const std::size_t end = trim_end(text, line_begin, breaks[candidate]);
            if (display_width(text.substr(line_begin, end - line_begin)) > width) break;
            fitting_end = breaks[candidate];
        }
        if (fitting_end == line_begin) {
            // One word wider than the line: as many characters as fit (at least one).
            std::size_t columns = 0;
            for_each_character(text.substr(line_begin), [&](std::size_t, std::size_t end, int w) {
                if (columns + static_cast<std::size_t>(w) > width && fitting_end > line_begin) return false;
                columns += static_cast<std::size_t>(w);
                fitting_end = line_begin + end;
                return true;
            });
        }
        const std::size_t end = trim_end(text, line_begin, fitting_end);
        if (end > line_begin) lines.push_back({line_begin, end});
        line_begin = fitting_end;
        while (line_begin < text.size() && is_space(text[line_begin])) ++line_begin;
    }
    return lines;
}

std::string shorten(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) return std::string(text);
    const std::size_t room = width > 0 ? width - 1 : 0;  // "…" takes one column
    std::size_t cut = 0;
    for (std::size_t at : break_opportunities(text)) {
        const std::size_t end = trim_end(text, 0, at);
        if (display_width(text.substr(0, end)) > room) break;
        cut = end;
    }
    if (cut == 0) {
        std::size_t columns = 0;
        for_each_character(text, [&](std::size_t, std::size_t end, int w) {
            if (columns + static_cast<std::size_t>(w) > room) return false;
            columns += static_cast<std::size_t>(w);
            cut = end;
            return true;
        });
    }
    return std::string(text.substr(0, cut)) + std::string(ellipsis);
}

}  // namespace revsearch
