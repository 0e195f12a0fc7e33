#include "revsearch/spelling.hpp"

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

/// The suggestion for one plain, lower-case word, if it is rare and the alternative common. The index holds stems
/// (schema.hpp), so a word's frequency is its stem's; the spelling table holds words as written
/// (spelling_table.hpp), so a suggestion is a real word, never a stem.
std::optional<std::string> suggest_word(const Xapian::Database& database, const Xapian::Stem& stemmer,
                                        const std::string& word) {
    Xapian::doccount frequency = database.get_termfreq(stemmer(word));
    if (frequency > rare_word_max_frequency) return std::nullopt;
    std::string suggestion = database.get_spelling_suggestion(word, frequency == 0 ? 2 : 1);
    if (suggestion.empty() || suggestion == word) return std::nullopt;
    Xapian::doccount suggested_frequency = database.get_termfreq(stemmer(suggestion));
    bool common_enough = suggested_frequency >= min_suggestion_frequency &&
                         suggested_frequency >= suggestion_frequency_factor * frequency;
    if (!common_enough) return std::nullopt;
    return suggestion;
}

}  // namespace

std::optional<std::string> spelling_suggestion(const Xapian::Database& database, std::string_view query_string) {
    const std::string language = database.get_metadata(std::string(schema::meta_language));
    const Xapian::Stem stemmer = make_snowball_stem(language.empty() ? std::string(default_language) : language);
    std::string folded = fold_diacritics(query_string);
    std::string result;
    bool changed = false;
    std::size_t position = 0;
    while (position < folded.size()) {
        std::size_t space = folded.find_first_of(" \t\n", position);
        if (space == std::string::npos) space = folded.size();
        std::string_view token(folded.data() + position, space - position);
        // The word inside its punctuation: -word, (word), "word ... word", word,
        std::size_t lead = 0, trail = token.size();
        while (lead < trail && is_trimmable(token[lead])) ++lead;
        while (trail > lead && is_trimmable(token[trail - 1])) --trail;
        std::string_view core = token.substr(lead, trail - lead);
        std::optional<std::string> replacement;
        if (is_word(core) && !is_operator(core))
            replacement = suggest_word(database, stemmer, Xapian::Unicode::tolower(std::string(core)));
        if (replacement) {
            result.append(token.substr(0, lead));
            result += *replacement;
            result.append(token.substr(trail));
            changed = true;
        } else {
            result.append(token);
        }
        if (space < folded.size()) result += folded[space];
        position = space + 1;
    }
    if (!changed) return std::nullopt;
    return result;
}

}  // namespace revsearch
