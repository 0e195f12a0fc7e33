#include "revsearch/schema.hpp"

#include "revsearch/review_id.hpp"

namespace revsearch::schema {

namespace {

/// Largest n <= limit such that text[0, n) does not end inside a UTF-8 multi-byte sequence.
std::size_t utf8_boundary_at_most(std::string_view text, std::size_t limit) {
    if (limit >= text.size()) return text.size();
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // text[n] is a continuation byte
    return n;
}

bool all_digits(std::string_view text) {
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return !text.empty();
}

int to_int(std::string_view digits) {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

bool is_capital(char c) { return c >= 'A' && c <= 'Z'; }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

TermParts classify_term(std::string_view term) {
    if (term.empty() || !is_capital(term.front())) return {TermKind::stem, {}, term};
    // Longest first, should a field prefix ever start another one.
    for (std::string_view prefix : {item_prefix, headline_prefix, author_prefix})
        if (starts_with(term, prefix)) return {TermKind::field_stem, prefix, term.substr(prefix.size())};
    return {TermKind::filter, {}, term};
}

std::string date_value(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return {};
    std::string digits;
    for (std::size_t i = 0; i < iso.size(); ++i) {
        if (i == 4 || i == 7) continue;
        if (iso[i] < '0' || iso[i] > '9') return {};
        digits += iso[i];
    }
    return digits;
}

std::optional<std::string> date_bound(std::string_view text, bool upper) {
    std::string digits;
    if (text.size() == 8 && all_digits(text)) {
        digits = text;
    } else {
        // YYYY, YYYY-MM, YYYY-MM-DD
        if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
        for (std::size_t i = 0; i < text.size(); ++i) {
            bool dash_position = i == 4 || i == 7;
            if (dash_position ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return std::nullopt;
            if (!dash_position) digits += text[i];
        }
    }
    if (digits.size() >= 6) {
        int month = to_int(std::string_view(digits).substr(4, 2));
        if (month < 1 || month > 12) return std::nullopt;
    }
    if (digits.size() == 8) {
        int day = to_int(std::string_view(digits).substr(6, 2));
        if (day < 1 || day > 31) return std::nullopt;
    }
    // Values are compared as strings: "YYYYMM31" is after every real day of that month.
    if (digits.size() == 4) digits += upper ? "1231" : "0101";
    if (digits.size() == 6) digits += upper ? "31" : "01";
    return digits;
}

std::string boolean_term(std::string_view prefix, std::string_view value) {
    if (prefix.size() + value.size() <= max_term_bytes) {
        std::string term(prefix);
        term += value;
        return term;
    }
    const std::string hash = content_hash(value);
    const std::size_t room = max_term_bytes - prefix.size() - 1 - hash.size();
    std::string term(prefix);
    term += value.substr(0, utf8_boundary_at_most(value, room));
    term += '#';
    term += hash;
    return term;
}

std::string source_term(std::string_view absolute_path) {
    std::string term(source_prefix);
    term += content_hash(absolute_path);
    return term;
}

}  // namespace revsearch::schema
