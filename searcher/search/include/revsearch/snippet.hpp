#pragma once
// Snippets: the passage of a review around the words a query matched, with those words marked.
// Our own rather than MSet::snippet, because that compares the text's words as written: `Sørensen` in a review
// would not light up for the query `Sorensen`, which matched the folded index term `sorensen`. Here each word of
// the original text is folded, lower-cased and stemmed the way the index was built, then compared.

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace revsearch {

class SnippetMatcher {
public:
    /// Collects the query's stems (prefixed field terms too, boolean filter terms not) and the wildcard prefixes
    /// (`word*`, already folded and lower-cased, and their stems: ParsedQuery::wildcard_prefixes).
    SnippetMatcher(const Xapian::Query& query, Xapian::Stem stemmer, std::vector<std::string> wildcard_prefixes = {});

    /// The matched query key (a stem, or a wildcard prefix and `*`) for one word of the original text, or "" when it
    /// matches nothing.
    std::string match(std::string_view word) const;

    bool empty() const { return stems_.empty() && wildcard_prefixes_.empty(); }

private:
    Xapian::Stem stemmer_;
    std::set<std::string> stems_;  ///< the query's terms without their field prefix: stems (schema.hpp)
    std::vector<std::string> wildcard_prefixes_;
};

struct Snippet {
    std::string text;  ///< plain text, white space collapsed, "…" where the review was cut
    std::vector<std::pair<std::size_t, std::size_t>> highlights;  ///< (byte offset, byte length) into text
};

/// The window of about `max_bytes` bytes of `text` holding the most distinct matched words, cut at word
/// boundaries, starting a little before the first of them; the beginning of the text when nothing matched.
Snippet make_snippet(std::string_view text, const SnippetMatcher& matcher, std::size_t max_bytes = 240);

/// All of `text` (a headline), its matched words marked.
Snippet highlight_whole(std::string_view text, const SnippetMatcher& matcher);

/// The snippet with `on` before and `off` after each highlight (ANSI codes, or markers).
std::string render_highlights(const Snippet& snippet, std::string_view on, std::string_view off);

}  // namespace revsearch
