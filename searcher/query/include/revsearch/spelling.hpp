#pragma once
// "Did you mean": a hint for query words the index does not know (or barely knows) when the spelling table
// offers a common alternative. Never applied silently: get_spelling_suggestion also "corrects" real words
// (heist -> best, seen with equal frequencies), so well-attested words are left alone.

#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

namespace revsearch {

/// An unknown word (in no review) may be corrected by up to 2 edits, to any word the index holds.
/// A rare word (in at most rare_word_max_frequency reviews) only by 1 edit, to a word at least
/// suggestion_frequency_factor times as frequent: `mikkelson` (1 review) -> `mikkelsen` (15), not `heist` -> `best`.
/// Either way the suggestion must be common: in at least min_suggestion_frequency reviews. A word one or two
/// reviews use is often a typo itself, and makes a poor guess: on All_Beauty `gangster` got `canister` (2 reviews).
inline constexpr Xapian::doccount rare_word_max_frequency = 2;
inline constexpr Xapian::doccount suggestion_frequency_factor = 5;
inline constexpr Xapian::doccount min_suggestion_frequency = 3;

/// The query string with each rare or unknown plain word replaced by its suggestion (folded, lower-case), or
/// nullopt when nothing would change. Words with a field prefix, a wildcard, or boolean operators are kept.
std::optional<std::string> spelling_suggestion(const Xapian::Database& database, std::string_view query_string);

}  // namespace revsearch
