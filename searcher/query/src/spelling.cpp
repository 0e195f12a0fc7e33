#include "revsearch/spelling.hpp"

#include <algorithm>
#include <array>

#include "revsearch/analyzer.hpp"
#include "revsearch/schema.hpp"

namespace revsearch {

namespace {

bool is_operator(std::string_view word) {
    static constexpr std::array<std::string_view, 6> operators = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    for (auto op : operators)
        if (word == op) return true;
    return false;
}

bool is_word(std::string_view text) {
    if (text.empty()) return false;
    for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it)
        if (!Xapian::Unicode::is_wordchar(*it)) return false;
    return true;
}

bool is_trimmable(char c) { return c == '+' || c == '-' || c == '(' || c == ')' || c == '"' || c == ','; }

std::vector<unsigned> code_points(std::string_view word) {
    return {Xapian::Utf8Iterator(word.data(), word.size()), Xapian::Utf8Iterator()};
}

/// How often `word` was written, by the spelling table (Xapian 1.4 has no direct getter: the table's iterator
/// gives each word's frequency).
Xapian::termcount spelling_frequency(const Xapian::Database& speller, const std::string& word) {
    auto it = speller.spellings_begin();
    it.skip_to(word);
    return it != speller.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

/// The evidence for one plain, lower-case word: its suggestion is looked up only for a word rare enough to be
/// hinted or corrected (one look-up in the spelling table each). The index holds stems only (schema.hpp), so a
/// word's reviews are its stem's (an upper bound of the reviews with the word as typed); whether the stem has
/// other forms compares the stem's occurrences in the index (collection frequency) with the typed word's in the
/// spelling table, which counts every body and headline word as written (spelling_table.hpp).
WordEvidence evidence_for(const Xapian::Database& index, const Xapian::Database& speller, const Xapian::Stem& stemmer,
                          const std::string& word) {
    WordEvidence evidence;
    evidence.typed = word;
    evidence.documents = index.get_doccount();
    evidence.typed_stem = stemmer(word);
    evidence.typed_reviews = index.get_termfreq(evidence.typed_stem);
    const bool rare = evidence.typed_reviews <= rare_word_max_frequency ||
                      evidence.typed_reviews * correction_max_share_inverse <= evidence.documents;
    if (!rare) return evidence;
    evidence.suggestion = speller.get_spelling_suggestion(word, evidence.typed_reviews == 0 ? 2 : 1);
    if (evidence.suggestion.empty()) return evidence;
    evidence.suggestion_stem = stemmer(evidence.suggestion);
    evidence.suggested_reviews = index.get_termfreq(evidence.suggestion_stem);
    evidence.typed_occurrences = spelling_frequency(speller, word);
    evidence.family_occurrences = index.get_collection_freq(evidence.typed_stem);
    return evidence;
}

}  // namespace

bool is_omission_or_swap(std::string_view typed_text, std::string_view intended_text) {
    const auto typed = code_points(typed_text), intended = code_points(intended_text);
    if (typed.size() + 1 == intended.size()) {
        std::size_t i = 0;
        while (i < typed.size() && typed[i] == intended[i]) ++i;
        return std::equal(typed.begin() + static_cast<std::ptrdiff_t>(i), typed.end(),
                          intended.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
    if (typed.size() != intended.size()) return false;
    std::size_t i = 0;
    while (i < typed.size() && typed[i] == intended[i]) ++i;
    return i + 1 < typed.size() && typed[i] == intended[i + 1] && typed[i + 1] == intended[i] &&
           std::equal(typed.begin() + static_cast<std::ptrdiff_t>(i) + 2, typed.end(),
                      intended.begin() + static_cast<std::ptrdiff_t>(i) + 2);
}

SpellingVerdict spelling_verdict(const WordEvidence& e) {
    if (e.suggestion.empty() || e.suggestion == e.typed || e.suggested_reviews < min_suggestion_frequency)
        return SpellingVerdict::keep;
    const auto typed = code_points(e.typed), suggested = code_points(e.suggestion);
    const bool correctable = e.typed_reviews * correction_max_share_inverse <= e.documents &&
                             e.suggested_reviews >= correction_factor * e.typed_reviews &&
                             typed.size() >= correction_min_letters && typed.front() == suggested.front() &&
                             is_omission_or_swap(e.typed, e.suggestion) && e.typed_stem != e.suggestion_stem &&
                             e.family_occurrences <= e.typed_occurrences;
    if (correctable) return SpellingVerdict::correct;
    const bool hintable = e.typed_reviews <= rare_word_max_frequency &&
                          e.suggested_reviews >= hint_frequency_factor * e.typed_reviews;
    return hintable ? SpellingVerdict::hint : SpellingVerdict::keep;
}

SpellingCheck check_spelling(const Xapian::Database& index, const Xapian::Database& speller,
                             const Xapian::Stem& stemmer, std::string_view query_string, bool allow_correction) {
    const std::string folded = fold_diacritics(query_string);
    std::string corrected, hinted;
    SpellingCheck check;
    bool any_hint = false;
    std::size_t position = 0;
    while (position < folded.size()) {
        std::size_t space = folded.find_first_of(" \t\n", position);
        if (space == std::string::npos) space = folded.size();
        std::string_view token(folded.data() + position, space - position);
        // The word inside its punctuation: -word, (word), "word ... word", word,
        std::size_t lead = 0, trail = token.size();
        while (lead < trail && is_trimmable(token[lead])) ++lead;
        while (trail > lead && is_trimmable(token[trail - 1])) --trail;
        const std::string_view core = token.substr(lead, trail - lead);
        SpellingVerdict verdict = SpellingVerdict::keep;
        WordEvidence evidence;
        if (is_word(core) && !is_operator(core)) {
            evidence = evidence_for(index, speller, stemmer, Xapian::Unicode::tolower(std::string(core)));
            verdict = spelling_verdict(evidence);
            if (verdict == SpellingVerdict::correct && !allow_correction) verdict = SpellingVerdict::hint;
        }
        auto append = [&](std::string& out, bool replace) {
            if (!replace) {
                out.append(token);
                return;
            }
            out.append(token.substr(0, lead));
            out += evidence.suggestion;
            out.append(token.substr(trail));
        };
        append(corrected, verdict == SpellingVerdict::correct);
        append(hinted, verdict != SpellingVerdict::keep);
        if (verdict == SpellingVerdict::correct)
            check.corrections.push_back(
                {evidence.typed, evidence.suggestion, evidence.typed_reviews, evidence.suggested_reviews});
        any_hint = any_hint || verdict == SpellingVerdict::hint;
        if (space < folded.size()) {
            corrected += folded[space];
            hinted += folded[space];
        }
        position = space + 1;
    }
    if (!check.corrections.empty()) check.corrected = corrected;
    if (any_hint) check.suggestion = hinted;
    return check;
}

std::optional<std::string> spelling_suggestion(const Xapian::Database& database, const Xapian::Stem& stemmer,
                                               std::string_view query_string) {
    return check_spelling(database, database, stemmer, query_string, false).suggestion;
}

}  // namespace revsearch
