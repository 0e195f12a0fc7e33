#pragma once
// Spelling help for a query: each plain word that is unknown or rare in the index is checked against Xapian's
// speller (Database::get_spelling_suggestion over the spelling table), and the verdict says whether to search
// the suggestion instead ("showing results for ..."), to offer it as a hint ("did you mean"), or neither.
//
// Xapian's speller picks, among the words of the spelling table at the fewest edits (1 or 2), the most frequent,
// and stays silent only when the word itself is at least as frequent. So it also "corrects" real words (heist ->
// best, seen with equal frequencies); the frequencies decide here (spelling_verdict), on document counts.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace revsearch {

/// Hint ("did you mean", the search runs as typed): an unknown word (in no review) may be 2 edits from its
/// suggestion, a rare one (in at most rare_word_max_frequency reviews) 1 edit, and then the suggestion must be at
/// least hint_frequency_factor times as frequent: `mikkelson` (1 review) -> `mikkelsen` (15), not `heist` ->
/// `best`. Either way the suggestion must be in at least min_suggestion_frequency reviews: a word one or two
/// reviews use is often a typo itself, and makes a poor guess (on All_Beauty `gangster` got `canister`, 2 reviews).
inline constexpr Xapian::doccount rare_word_max_frequency = 2;
inline constexpr Xapian::doccount hint_frequency_factor = 5;
inline constexpr Xapian::doccount min_suggestion_frequency = 3;

/// Correction (the suggestion is searched instead, unless --as-typed), when all of these hold:
/// - the typed word is unknown, or in no more than 1 review in correction_max_share_inverse (1%), and the
///   suggestion in at least correction_factor times as many (and min_suggestion_frequency). 20: a noisy-channel
///   choice between the word as typed and its neighbour, taking a word the index holds to be a misspelling 1 time
///   in 20 (Elasticsearch's phrase suggester's default real_word_error_likelihood, 0.95): the neighbour is the
///   likelier intent once it is 19 times as frequent. The 1%, the first letter kept and the 4 letters are the
///   defaults of Lucene's DirectSpellChecker and Elasticsearch's candidate generator (maxQueryFrequency /
///   max_term_freq 0.01, minPrefix / prefix_length 1, minQueryLength / min_word_length 4).
/// - the typed word is the suggestion with one letter left out, or two neighbouring letters swapped (`coffe`,
///   `mikelsen`, `agian`): the commonest typing slips (Damerau 1964), and the ones that rarely make another real
///   word. Measured on the bundled sample (902 reviews) over its 6,907 words of 4 letters or more in 1 to 9
///   reviews: the counts alone corrected 164, about 70% of them real words (`pride` -> `price`, `butter` ->
///   `better`); the whole rule corrects 15, 11 of them typos (`coffe`, `agian`, `higly`, `natual`, `didnt`) and
///   4 real words (`bough`, `petty`, `dose`, `sores`), which the output names and --as-typed takes back.
/// - the typed word has no other form in the index (its stem's reviews are its own: `form` has `forms`), and
///   does not share the suggestion's stem (`films` already finds `film`).
/// Anything else the hint rule allows is a hint. `coffe` in 19 reviews where 1,133 say `coffee` is corrected;
/// `mikkelson` (1 against 15) only hinted.
inline constexpr Xapian::doccount correction_factor = 20;
inline constexpr Xapian::doccount correction_max_share_inverse = 100;
inline constexpr std::size_t correction_min_letters = 4;

/// What to do with one query word, given its suggestion and how many reviews hold each (spelling_verdict).
enum class SpellingVerdict { keep, hint, correct };

struct WordEvidence {
    std::string typed;                 ///< the word as typed, folded and lower-case
    std::string suggestion;            ///< Xapian's suggestion ("" for none)
    Xapian::doccount typed_reviews = 0;     ///< reviews with a word of the typed word's stem
    Xapian::doccount suggested_reviews = 0; ///< reviews with a word of the suggestion's stem
    Xapian::doccount documents = 0;    ///< reviews in the index
    std::string typed_stem, suggestion_stem;
    Xapian::termcount typed_occurrences = 0;   ///< the typed word as written, in the spelling table
    Xapian::termcount family_occurrences = 0;  ///< every word of its stem, in the index
};

/// Whether `typed` is `intended` with one letter left out, or with two neighbouring letters swapped.
bool is_omission_or_swap(std::string_view typed, std::string_view intended);

/// The rule above, on the counts alone. `correct` is given only where correcting is allowed; otherwise (and with
/// --as-typed) a correction is offered as a hint.
SpellingVerdict spelling_verdict(const WordEvidence& evidence);

/// A word the search corrected, and how many reviews hold each spelling (for the output).
struct WordCorrection {
    std::string typed;
    std::string corrected;
    Xapian::doccount typed_reviews = 0;
    Xapian::doccount corrected_reviews = 0;
};

struct SpellingCheck {
    std::optional<std::string> corrected;   ///< the query with its corrections, to search instead (nullopt: none)
    std::vector<WordCorrection> corrections;
    std::optional<std::string> suggestion;  ///< the query searched, with the hinted words replaced (nullopt: none)
};

/// Checks each plain word of `query_string` (words with a field prefix, a wildcard, or boolean operators are
/// kept): document counts from `index`, stems from `stemmer` (the index's language), suggestions from `speller`'s
/// spelling table (the index itself, or the side table of a remote stub: docs/scaling.md). With
/// `allow_correction` false every correction becomes a hint. Replaced words are folded and lower-case.
SpellingCheck check_spelling(const Xapian::Database& index, const Xapian::Database& speller,
                             const Xapian::Stem& stemmer, std::string_view query_string, bool allow_correction);

/// The hint alone, corrections included, for one database: check_spelling(db, db, stemmer, query, false).suggestion.
std::optional<std::string> spelling_suggestion(const Xapian::Database& database, const Xapian::Stem& stemmer,
                                               std::string_view query_string);

}  // namespace revsearch
