#include "revsearch/snippet.hpp"

#include <algorithm>

#include "revsearch/analyzer.hpp"
#include "revsearch/schema.hpp"

namespace revsearch {

namespace {

struct Token {
    std::size_t begin = 0;  // byte offsets into the text
    std::size_t end = 0;
    std::string key;        // matched query key, "" when the word matched nothing
};

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::vector<Token> tokenize(std::string_view text, const SnippetMatcher& matcher) {
    std::vector<Token> tokens;
    const char* base = text.data();
    Xapian::Utf8Iterator it(text.data(), text.size()), end;
    while (it != end) {
        if (!Xapian::Unicode::is_wordchar(*it)) {
            ++it;
            continue;
        }
        Token token;
        token.begin = static_cast<std::size_t>(it.raw() - base);
        while (it != end && Xapian::Unicode::is_wordchar(*it)) ++it;
        token.end = it == end ? text.size() : static_cast<std::size_t>(it.raw() - base);
        token.key = matcher.match(text.substr(token.begin, token.end - token.begin));
        tokens.push_back(std::move(token));
    }
    return tokens;
}

/// Index of the matched token that starts the window with the most distinct keys.
std::size_t best_window_start(const std::vector<Token>& tokens, const std::vector<std::size_t>& matched,
                              std::size_t reach) {
    std::size_t best = matched.front();
    std::size_t best_distinct = 0;
    for (std::size_t i = 0; i < matched.size() && i < 2000; ++i) {
        std::set<std::string> keys;
        std::size_t limit = tokens[matched[i]].begin + reach;
        for (std::size_t j = i; j < matched.size() && tokens[matched[j]].end <= limit; ++j)
            keys.insert(tokens[matched[j]].key);
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
        stems_.emplace(parts.text);
    }
}

std::string SnippetMatcher::match(std::string_view word) const {
    std::string folded = is_ascii(word) ? std::string(word) : fold_diacritics(word);
    std::string lower = Xapian::Unicode::tolower(folded);
    std::string stem = stemmer_(lower);
    if (stems_.count(stem)) return stem;
    // The wildcards expanded over stems (`word*` also over stem(word)*: query_builder.cpp).
    for (const auto& prefix : wildcard_prefixes_)
        if (lower.starts_with(prefix) || stem.starts_with(prefix)) return prefix + "*";
    return {};
}

Snippet make_snippet(std::string_view text, const SnippetMatcher& matcher, std::size_t max_bytes) {
    Snippet snippet;
    std::vector<Token> tokens = tokenize(text, matcher);
    if (tokens.empty()) return snippet;

    std::vector<std::size_t> matched;
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (!tokens[i].key.empty()) matched.push_back(i);

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
        if (!tokens[i].key.empty()) snippet.highlights.emplace_back(offset, tokens[i].end - tokens[i].begin);
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
        if (!token.key.empty()) snippet.highlights.emplace_back(token.begin, token.end - token.begin);
    return snippet;
}

std::string render_highlights(const Snippet& snippet, std::string_view on, std::string_view off) {
    std::string out;
    std::size_t position = 0;
    for (const auto& [offset, length] : snippet.highlights) {
        out.append(snippet.text, position, offset - position);
        out += on;
        out.append(snippet.text, offset, length);
        out += off;
        position = offset + length;
    }
    out.append(snippet.text, position, std::string::npos);
    return out;
}

}  // namespace revsearch
