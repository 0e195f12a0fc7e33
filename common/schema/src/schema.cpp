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

}  // namespace

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
