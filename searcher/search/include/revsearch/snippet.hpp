#pragma once
// Snippets: the passage of a review around the words a query matched, with those words marked.
// Our own rather than MSet::snippet, because that compares the text's words as written: `Sørensen` in a review
// would not light up for the query `Sorensen`, which matched the folded index term `sorensen`. Here each word of
// the original text is folded, lower-cased and stemmed the way the index was built, then compared.

#include <bitset>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

namespace revsearch {

class SnippetMatcher {
public:
    /// The key id of a word that matches nothing.
    static constexpr std::size_t no_key = static_cast<std::size_t>(-1);

    /// Collects the query's stems (prefixed field terms too, boolean filter terms not) and the wildcard prefixes
    /// (`word*`, already folded and lower-cased, and their stems: ParsedQuery::wildcard_prefixes).
    SnippetMatcher(const Xapian::Query& query, Xapian::Stem stemmer, std::vector<std::string> wildcard_prefixes = {});

    /// The id of the matched query key (key(id) names it) for one word of the original text, or no_key. Two words
    /// have the same id exactly when they match the same key. Remembers each distinct word as written, so a word is
    /// folded and stemmed once per matcher however often the page's hits use it: stemming every word of every hit
    /// was 15% of a whole `revsearch great` (callgrind, issue 15 point 5). Not for use by two threads at once.
    std::size_t key_of(std::string_view word) const;

    /// The key with this id: a stem, or a wildcard prefix and `*`.
    const std::string& key(std::size_t id) const { return keys_[id]; }

    /// key(key_of(word)), or "" when the word matches nothing.
    std::string match(std::string_view word) const;

    bool empty() const { return stem_ids_.empty() && wildcard_prefixes_.empty(); }

    /// Whether every stem of `stemmer` begins with the byte its (lower-case) word begins with: true of English
    /// only (snippet.cpp has the evidence), where a word beginning as no key does is not stemmed.
    static bool keeps_first_byte(const Xapian::Stem& stemmer);

private:
    /// Hashes std::string and std::string_view alike, so a lookup of a word makes no string.
    struct WordHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view word) const { return std::hash<std::string_view>{}(word); }
    };
    using WordIds = std::unordered_map<std::string, std::size_t, WordHash, std::equal_to<>>;

    std::size_t id_of_new_word(std::string_view word) const;
    std::size_t id_of_key(std::string key);

    Xapian::Stem stemmer_;
    std::vector<std::string> keys_;  ///< each distinct key once, indexed by key id
    WordIds stem_ids_;               ///< the query's terms without their field prefix: stems (schema.hpp)
    std::vector<std::string> wildcard_prefixes_;
    std::vector<std::size_t> wildcard_ids_;  ///< the id of `prefix*`, one per wildcard prefix
    mutable WordIds word_ids_;               ///< the words seen so far as written, and their key ids
    /// With a stemmer that keeps a word's first byte: the first bytes of the keys (stems and wildcard prefixes).
    /// A word beginning with another byte can match none, and is not stemmed.
    std::optional<std::bitset<256>> first_bytes_;
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

/// The snippet with `on` before and `off` after each highlight (ANSI codes, or markers), for a terminal: control
/// characters of the text other than tab and line break are shown, never sent as they are (terminal_text.hpp).
std::string render_highlights(const Snippet& snippet, std::string_view on, std::string_view off);

}  // namespace revsearch
