#include "revsearch/snippet.hpp"

#include <algorithm>

#include "revsearch/analyzer.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/terminal_text.hpp"

namespace revsearch {

namespace {

struct Token {
    std::size_t begin = 0;  // byte offsets into the text
    std::size_t end = 0;
    std::size_t key = SnippetMatcher::no_key;  // the matched query key's id
};

/// Whether the character at byte `pos` of `text` is a word character (Xapian::Unicode::is_wordchar, as the index's
/// TermGenerator cuts words); moves `pos` past it. An ASCII byte is told apart inline: letters, digits and `_`
/// (the one ASCII connector punctuation) are its word characters, and decoding each character through
/// Xapian's Utf8Iterator and its character table was a sixth of the snippets' cost (callgrind, issue 15 point 5).
bool next_is_wordchar(std::string_view text, std::size_t& pos) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
        ++pos;
        return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
               byte == '_';
    }
    // Decoded from here as an iterator over the whole text would: a character's bytes are read from its start on.
    Xapian::Utf8Iterator it;  // assigned rather than constructed: GCC then sees every member initialised
    it.assign(text.data() + pos, text.size() - pos);
    const unsigned character = *it;
    ++it;
    pos = text.size() - it.left();
    return Xapian::Unicode::is_wordchar(character);
}

std::vector<Token> tokenize(std::string_view text, const SnippetMatcher& matcher) {
    std::vector<Token> tokens;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t begin = pos;
        if (!next_is_wordchar(text, pos)) continue;
        Token token;
        token.begin = begin;
        std::size_t end = pos;
        while (pos < text.size() && next_is_wordchar(text, pos)) end = pos;
        token.end = end;
        token.key = matcher.key_of(text.substr(token.begin, token.end - token.begin));
        tokens.push_back(token);  // `pos` is past the character that ended the word, which starts none
    }
    return tokens;
}

/// Index of the matched token that starts the window with the most distinct keys.
std::size_t best_window_start(const std::vector<Token>& tokens, const std::vector<std::size_t>& matched,
                              std::size_t reach) {
    std::size_t best = matched.front();
    std::size_t best_distinct = 0;
    std::vector<std::size_t> keys;  // the distinct key ids of one window (a query has few keys)
    for (std::size_t i = 0; i < matched.size() && i < 2000; ++i) {
        keys.clear();
        std::size_t limit = tokens[matched[i]].begin + reach;
        for (std::size_t j = i; j < matched.size() && tokens[matched[j]].end <= limit; ++j)
            if (std::find(keys.begin(), keys.end(), tokens[matched[j]].key) == keys.end())
                keys.push_back(tokens[matched[j]].key);
        if (keys.size() > best_distinct) {
            best_distinct = keys.size();
            best = matched[i];
        }
    }
    return best;
}

void append_collapsed_space(std::string& out, std::string_view gap) {
    if (gap.empty()) return;
    bool only_space = std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
    if (only_space) {
        out += ' ';
        return;
    }
    for (char c : gap) {
        bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && !out.empty() && out.back() == ' ') continue;
        out += space ? ' ' : c;
    }
}

}  // namespace

SnippetMatcher::SnippetMatcher(const Xapian::Query& query, Xapian::Stem stemmer,
                               std::vector<std::string> wildcard_prefixes)
    : stemmer_(std::move(stemmer)), wildcard_prefixes_(std::move(wildcard_prefixes)) {
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
        const std::string term = *it;
        // A stem of any field highlights the body's words alike; boolean filter terms highlight nothing.
        const schema::TermParts parts = schema::classify_term(term);
        if (!schema::is_free_text(parts.kind) || parts.text.empty()) continue;
        if (!stem_ids_.contains(parts.text)) stem_ids_.emplace(parts.text, id_of_key(std::string(parts.text)));
    }
    for (const auto& prefix : wildcard_prefixes_) wildcard_ids_.push_back(id_of_key(prefix + "*"));
    const bool any_empty_prefix = std::any_of(wildcard_prefixes_.begin(), wildcard_prefixes_.end(),
                                              [](const std::string& prefix) { return prefix.empty(); });
    if (keeps_first_byte(stemmer_) && !any_empty_prefix) {
        first_bytes_.emplace();
        for (const auto& [stem, id] : stem_ids_) first_bytes_->set(static_cast<unsigned char>(stem.front()));
        for (const auto& prefix : wildcard_prefixes_) first_bytes_->set(static_cast<unsigned char>(prefix.front()));
    }
}

bool SnippetMatcher::keeps_first_byte(const Xapian::Stem& stemmer) {
    // Snowball's English algorithm (Porter2) leaves words of one or two letters as they are and changes only the
    // end of longer ones (suffixes, in regions R1 and R2 that begin after a vowel and a consonant); it marks an
    // initial `y` as `Y` and turns it back, and its exceptional forms (skies -> sky, dying -> die) keep their
    // first letter. So a stem
    // begins with its word's first byte. Checked on libstemmer: 698,583 words (every word of the aclImdb reviews
    // lower-cased, non-Latin ones included, every string of 1-3 letters, and those words with a `y` before or
    // `ies`, `ied`, `ing`, `eed` after) kept it. Not Porter's original algorithm ("porter": `s` stems to
    // nothing), nor the languages whose stemmers strip prefixes (Irish, Indonesian, Arabic) or rewrite letters
    // at the start: only English, the default language, skips stemming by the first byte.
    // Ours describes itself as "snowball(english)" (analyzer.cpp), Xapian's own as "english".
    const std::string description = stemmer.get_description();
    return description == "Xapian::Stem(snowball(english))" || description == "Xapian::Stem(english)";
}

std::size_t SnippetMatcher::id_of_key(std::string key) {
    // Equal keys share one id, so that ids compare as the key strings did.
    const auto found = std::find(keys_.begin(), keys_.end(), key);
    if (found != keys_.end()) return static_cast<std::size_t>(found - keys_.begin());
    keys_.push_back(std::move(key));
    return keys_.size() - 1;
}

std::size_t SnippetMatcher::key_of(std::string_view word) const {
    if (const auto seen = word_ids_.find(word); seen != word_ids_.end()) return seen->second;
    const std::size_t id = id_of_new_word(word);
    word_ids_.emplace(std::string(word), id);
    return id;
}

std::size_t SnippetMatcher::id_of_new_word(std::string_view word) const {
    std::string folded = fold_diacritics(word);  // an ASCII word comes back as it is, unfolded
    std::string lower = Xapian::Unicode::tolower(folded);
    // Most words of a review begin with a byte no key begins with: stemming them was most of the snippets' cost.
    if (first_bytes_ && !lower.empty() && !first_bytes_->test(static_cast<unsigned char>(lower.front())))
        return no_key;
    std::string stem = stemmer_(lower);
    if (const auto found = stem_ids_.find(stem); found != stem_ids_.end()) return found->second;
    // The wildcards expanded over stems (`word*` also over stem(word)*: query_builder.cpp).
    for (std::size_t i = 0; i < wildcard_prefixes_.size(); ++i)
        if (lower.starts_with(wildcard_prefixes_[i]) || stem.starts_with(wildcard_prefixes_[i]))
            return wildcard_ids_[i];
    return no_key;
}

std::string SnippetMatcher::match(std::string_view word) const {
    const std::size_t id = key_of(word);
    return id == no_key ? std::string() : keys_[id];
}

Snippet make_snippet(std::string_view text, const SnippetMatcher& matcher, std::size_t max_bytes) {
    Snippet snippet;
    std::vector<Token> tokens = tokenize(text, matcher);
    if (tokens.empty()) return snippet;

    std::vector<std::size_t> matched;
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i].key != SnippetMatcher::no_key) matched.push_back(i);

    // Lead-in before the first match: a quarter of the window, so the match reads in context.
    std::size_t lead_in = max_bytes / 4;
    std::size_t first = 0;
    if (!matched.empty()) {
        std::size_t start_token = best_window_start(tokens, matched, max_bytes - lead_in);
        std::size_t wanted_begin = tokens[start_token].begin > lead_in ? tokens[start_token].begin - lead_in : 0;
        first = start_token;
        while (first > 0 && tokens[first - 1].begin >= wanted_begin) --first;
    }
    std::size_t window_begin = first == 0 ? 0 : tokens[first].begin;
    std::size_t last = first;
    while (last + 1 < tokens.size() && tokens[last + 1].end - window_begin <= max_bytes) ++last;
    // Room left at the end of the text goes to more lead-in.
    if (last + 1 == tokens.size())
        while (first > 0 && tokens[last].end - tokens[first - 1].begin <= max_bytes) --first;
    window_begin = first == 0 ? 0 : tokens[first].begin;
    std::size_t window_end = last + 1 == tokens.size() ? text.size() : tokens[last].end;

    if (window_begin > 0) snippet.text = "… ";
    std::size_t previous_end = first == 0 ? 0 : window_begin;
    for (std::size_t i = first; i <= last; ++i) {
        std::string_view gap = text.substr(previous_end, tokens[i].begin - previous_end);
        if (i == first) {
            // Opening punctuation (a quote) of the text; nothing but the word when the window starts mid-text.
            gap = first == 0 ? text.substr(0, tokens[0].begin) : std::string_view();
            while (!gap.empty() && (gap.front() == ' ' || gap.front() == '\n' || gap.front() == '\r' || gap.front() == '\t'))
                gap.remove_prefix(1);
        }
        append_collapsed_space(snippet.text, gap);
        std::size_t offset = snippet.text.size();
        snippet.text.append(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
        if (tokens[i].key != SnippetMatcher::no_key)
            snippet.highlights.emplace_back(offset, tokens[i].end - tokens[i].begin);
        previous_end = tokens[i].end;
    }
    // Trailing punctuation of the last sentence, when the window reached the end of the text.
    if (window_end == text.size()) {
        std::string_view tail = text.substr(previous_end);
        while (!tail.empty() && (tail.back() == ' ' || tail.back() == '\n' || tail.back() == '\r' || tail.back() == '\t'))
            tail.remove_suffix(1);
        append_collapsed_space(snippet.text, tail);
    } else {
        snippet.text += " …";
    }
    return snippet;
}

Snippet highlight_whole(std::string_view text, const SnippetMatcher& matcher) {
    Snippet snippet;
    snippet.text = text;
    for (const Token& token : tokenize(text, matcher))
        if (token.key != SnippetMatcher::no_key) snippet.highlights.emplace_back(token.begin, token.end - token.begin);
    return snippet;
}

std::string render_highlights(const Snippet& snippet, std::string_view on, std::string_view off) {
    const std::string_view text = snippet.text;
    std::string out;
    std::size_t position = 0;
    for (const auto& [offset, length] : snippet.highlights) {
        append_for_terminal(out, text.substr(position, offset - position));
        out += on;
        append_for_terminal(out, text.substr(offset, length));
        out += off;
        position = offset + length;
    }
    append_for_terminal(out, text.substr(position));
    return out;
}

}  // namespace revsearch
