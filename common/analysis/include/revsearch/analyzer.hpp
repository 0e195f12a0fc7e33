#pragma once
// Text analysis shared by indexing and querying, so the two can never disagree:
// diacritic folding (ICU), tokenizing (Xapian's TermGenerator/QueryParser), Snowball stemming (libstemmer).

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace revsearch {

/// Removes diacritics and maps Latin letters to ASCII (ø→o, æ→ae, é→e, ß→ss) while keeping case, so that query
/// operators like AND/OR survive. Pure ASCII input is returned as is without touching ICU.
std::string fold_diacritics(std::string_view text);

/// ASCII white space (space, tab, line feed, carriage return, form feed, vertical tab), whatever the locale:
/// where fold_diacritics cuts a text into pieces, and what the body hash collapses.
inline bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// fold_diacritics, then Unicode lower-casing: the form of exact filter terms (author names).
std::string fold_for_filter(std::string_view text);

/// Names libstemmer knows ("english", "danish", ...).
std::vector<std::string> snowball_languages();

/// A Xapian::Stem backed by libstemmer's Snowball stemmer for `language`, so TermGenerator and QueryParser
/// stem through the same code. Throws std::invalid_argument for an unknown language.
Xapian::Stem make_snowball_stem(const std::string& language);

inline constexpr std::string_view default_language = "english";

}  // namespace revsearch
