#include "revsearch/text_cleanup.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include <libxml/HTMLparser.h>
#include <unicode/utf8.h>

#include "revsearch/windows_1252.hpp"

namespace revsearch {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

void append_utf8(std::string& out, char32_t code_point) {
    std::array<char, 4> buffer{};
    std::size_t length = 0;
    bool error = false;
    // U8_APPEND writes nothing and sets `error` for surrogates and values above U+10FFFF.
    U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer.data()), length, buffer.size(), static_cast<UChar32>(code_point),
              error);
    if (error) {
        out += replacement_character;
    } else {
        out.append(buffer.data(), length);
    }
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || (c >= '0' && c <= '9'); }

// HTML5 "numeric character reference end state": references to 0x80..0x9F name Windows-1252 characters,
// because that is what pages that write &#146; for an apostrophe mean.
char32_t numeric_reference_value(std::uint32_t value) {
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0xFFFD;
    if (value >= 0x80 && value <= 0x9F && windows_1252_c1[value - 0x80] != 0) return windows_1252_c1[value - 0x80];
    return value;
}

/// Decodes the entity starting at text[0] == '&'. Returns the number of bytes consumed (0: not an entity).
std::size_t decode_one_entity(std::string_view text, std::string& out) {
    constexpr std::size_t longest_name = 32;  // the longest HTML 4 name is 8; anything far longer is not one
    const std::size_t semicolon = text.find(';', 1);
    if (semicolon == std::string_view::npos || semicolon == 1 || semicolon > longest_name) return 0;
    const std::string_view body = text.substr(1, semicolon - 1);
    if (body[0] == '#') {
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const std::string_view digits = body.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 8) return 0;
        std::uint32_t value = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
        if (error != std::errc{} || end != digits.data() + digits.size()) return 0;
        append_utf8(out, numeric_reference_value(value));
        return semicolon + 1;
    }
    for (char c : body) {
        if (!is_ascii_alnum(c)) return 0;
    }
    const std::string name(body);  // htmlEntityLookup wants a NUL-terminated name
    const htmlEntityDesc* entity = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()));
    if (entity == nullptr) return 0;
    append_utf8(out, static_cast<char32_t>(entity->value));
    return semicolon + 1;
}

enum class TagKind { not_a_tag, line_break, paragraph, other };

/// Classifies the tag starting at text[0] == '<' and sets `length` to its size up to and including '>'.
/// A tag starts with a letter, "/" + letter or "!" (comments, doctype); "a < b" and "<3" are text.
TagKind classify_tag(std::string_view text, std::size_t& length) {
    if (text.size() < 3) return TagKind::not_a_tag;
    std::size_t name_start = 1;
    if (text[1] == '/') name_start = 2;
    const bool markup_declaration = text[1] == '!';
    if (!markup_declaration && (name_start >= text.size() || !is_ascii_alpha(text[name_start]))) {
        return TagKind::not_a_tag;
    }
    const std::size_t close = text.find('>', 1);
    if (close == std::string_view::npos) return TagKind::not_a_tag;
    // A second '<' before the '>' means the first one was text ("a <b and c <d>").
    if (text.find('<', 1) < close) return TagKind::not_a_tag;
    length = close + 1;
    if (markup_declaration) return TagKind::other;
    std::size_t name_end = name_start;
    while (name_end < close && is_ascii_alnum(text[name_end])) ++name_end;
    std::string name(text.substr(name_start, name_end - name_start));
    for (char& c : name) c = static_cast<char>(c | 0x20);  // ASCII lower case
    if (name == "br") return TagKind::line_break;
    if (name == "p") return TagKind::paragraph;
    return TagKind::other;
}

/// A one-byte horizontal space: collapsed with its neighbours into one space, trimmed at a line's ends.
constexpr bool is_horizontal_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }
constexpr bool is_line_break(char c) { return c == '\n' || c == '\r'; }
/// The lead byte of U+00A0 (what &nbsp; decodes to), a space between words like any other.
constexpr char no_break_space_lead = '\xC2';

/// The bytes at which normalise_whitespace stops copying a run of text: every byte that may begin a space or a
/// line break, from the same predicates as the rest of it.
constexpr std::array<bool, 256> whitespace_stops = [] {
    std::array<bool, 256> stops{};
    for (int byte = 0; byte < 256; ++byte) {
        const auto c = static_cast<char>(byte);
        stops[static_cast<std::size_t>(byte)] = is_horizontal_space(c) || is_line_break(c) || c == no_break_space_lead;
    }
    return stops;
}();

}  // namespace

bool repair_utf8(std::string& text) {
    // ICU's U8_NEXT finds the maximal ill-formed subpart (Unicode 15, section 3.9, U+FFFD substitution of
    // maximal subparts), so "\xE2\x82" becomes one U+FFFD and "\xFF\xFF" two, as browsers do.
    std::string repaired;
    bool changed = false;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    std::int32_t i = 0;
    std::int32_t copied_up_to = 0;
    while (i < length) {
        const std::int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) {
            if (!changed) repaired.reserve(text.size() + 8);
            changed = true;
            repaired.append(text, static_cast<std::size_t>(copied_up_to), static_cast<std::size_t>(start - copied_up_to));
            repaired += replacement_character;
            copied_up_to = i;
        }
    }
    if (!changed) return false;
    repaired.append(text, static_cast<std::size_t>(copied_up_to), std::string::npos);
    text = std::move(repaired);
    return true;
}

std::string decode_entities(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t ampersand = std::min(text.find('&', i), text.size());
        out.append(text, i, ampersand - i);  // the text up to the next '&' as it is, in one piece
        i = ampersand;
        if (i == text.size()) break;
        const std::size_t consumed = decode_one_entity(text.substr(i), out);
        if (consumed > 0) {
            i += consumed;
        } else {
            out += '&';
            ++i;
        }
    }
    return out;
}

std::string strip_html(std::string_view text) {
    // Tags go first and entities after, so that "&lt;b&gt;" stays the text "<b>" rather than becoming a tag.
    std::string without_tags;
    without_tags.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t open = std::min(text.find('<', i), text.size());
        without_tags.append(text, i, open - i);  // the text up to the next '<' as it is, in one piece
        i = open;
        if (i == text.size()) break;
        std::size_t length = 0;
        switch (classify_tag(text.substr(i), length)) {
        case TagKind::not_a_tag:
            without_tags += '<';
            ++i;
            continue;
        case TagKind::line_break:
            without_tags += '\n';
            break;
        case TagKind::paragraph:
            without_tags += "\n\n";
            break;
        case TagKind::other:
            break;
        }
        i += length;
    }
    return decode_entities(without_tags);
}

std::string normalise_whitespace(std::string_view text) {
    // One pass, copying each run of text between spaces and line breaks whole: a review is mostly such runs, and
    // a byte at a time (with a string per line) was 2% of `revindex add` (issue 15).
    std::string out;
    out.reserve(text.size());
    bool any_line = false;       // a non-blank line was written
    bool blank_pending = false;  // a blank line since the last one written
    std::size_t i = 0;
    for (;;) {
        bool line_has_text = false;
        bool space_pending = false;
        while (i < text.size()) {
            const char c = text[i];
            if (is_line_break(c)) break;
            if (is_horizontal_space(c)) {
                space_pending = line_has_text;
                ++i;
                continue;
            }
            if (c == no_break_space_lead && i + 1 < text.size() && text[i + 1] == '\xA0') {
                space_pending = line_has_text;
                i += 2;
                continue;
            }
            if (!line_has_text) {
                if (any_line) out += blank_pending ? "\n\n" : "\n";
                line_has_text = true;
            } else if (space_pending) {
                out += ' ';
            }
            space_pending = false;
            std::size_t run_end = i + 1;
            while (run_end < text.size() && !whitespace_stops[static_cast<unsigned char>(text[run_end])]) ++run_end;
            out.append(text, i, run_end - i);
            i = run_end;
        }
        if (line_has_text) {
            any_line = true;
            blank_pending = false;
        } else {
            blank_pending = true;
        }
        if (i >= text.size()) break;
        // "\r\n" is one line break; a lone "\r" (old Mac files) is one too.
        i += (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
    }
    return out;
}

std::string clean_text(std::string_view raw, bool* repaired) {
    std::string text(raw);
    const bool changed = repair_utf8(text);
    if (repaired != nullptr) *repaired = changed;
    // A text with neither a tag nor an entity (most of the Amazon sets' reviews; 40% of aclImdb's, whose paragraph
    // breaks are <br />) would be copied twice for nothing by strip_html.
    if (text.find('<') == std::string::npos && text.find('&') == std::string::npos) return normalise_whitespace(text);
    return normalise_whitespace(strip_html(text));
}

}  // namespace revsearch
