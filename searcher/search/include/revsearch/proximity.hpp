#pragma once
// Proximity: words typed together rank together (issue 17, point 1). A review where two words typed side by side
// stand within a few positions of each other gains a part of score on top of its BM25; where they are scattered
// it gains nothing. Built from stock Xapian operators only (OP_NEAR or OP_PHRASE over each pair of adjacent words,
// each pair under OP_SCALE_WEIGHT, joined by OP_AND_MAYBE), so the query serialises unchanged to remote
// shards and they rank as one index; OP_AND_MAYBE adds score and never a match. docs/ranking.md, "Proximity",
// has the formula, the defaults and the evidence.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace revsearch {

struct ProximityParams {
    /// The boost's weight: a pair's part is `weight` times the BM25 of its two words (Xapian weighs OP_NEAR and
    /// OP_PHRASE as the sum of their terms). 0 switches the boost off (the query is unchanged).
    double weight = 0;
    /// The number of positions both words must fall within: 2 is side by side, 3 one word between, ...
    Xapian::termpos window = 2;
    /// true: the words in the order typed (OP_PHRASE with a window); false: in either order (OP_NEAR).
    bool ordered = false;
    /// A word in more than this share of the documents is left out of the pairs, its neighbours pairing across
    /// it ("models of heated": model, heat): adjacent to "of" or "the" is no evidence, and since a pair weighs
    /// its two words' BM25 again, such pairs would only weigh the other word up wherever it is (measured on
    /// Cranfield: docs/ranking.md, "Proximity"). The share uses the frequencies Xapian merges over shards.
    double common = 0.5;
};

/// At most this many pairs (the first ones typed): each pair is a positional check of every review that has both
/// words, so a pasted paragraph would otherwise pay for hundreds; docs/ranking.md, "Proximity", has the cost.
constexpr std::size_t max_proximity_pairs = 32;

/// Applies "weight=0.5,window=3,order=any|typed,common=0.5", or "off" (weight 0). Keys left out keep their
/// values. Throws std::invalid_argument on an unknown key, a weight outside [0, 10], a window outside 2..50, an
/// order other than any or typed, a common share outside (0, 1].
void apply_proximity_spec(ProximityParams& params, std::string_view spec);

/// The spec apply_proximity_spec reads back to `params`: "off", or e.g. "weight=0.5,window=3,order=any,common=0.5".
std::string proximity_spec(const ProximityParams& params);

/// The pairs of bare words typed next to each other in `words` (a parsed query): consecutive term leaves (a
/// merged repeat counts as its term) of the same OR or AND, body and headline stems only. A phrase, NEAR, a field,
/// a wildcard or an excluded word is not a bare word and breaks the run: `a "b c" d` has no pair, `a b -c` has
/// (a, b). A word `is_common` says is left out, without breaking the run. Each pair once, two of one word none; at
/// most max_proximity_pairs, the first typed.
std::vector<std::pair<std::string, std::string>> adjacent_word_pairs(
    const Xapian::Query& words, const std::function<bool(const std::string&)>& is_common = {});

/// OP_OR of OP_SCALE_WEIGHT(OP_NEAR (or OP_PHRASE) of each adjacent_word_pairs pair with params.window,
/// params.weight) (the pair itself when there is one), the words in more than params.common of `database`'s
/// documents left out: an empty Query when the weight is 0 or there is no pair.
Xapian::Query proximity_boost(const Xapian::Database& database, const Xapian::Query& words,
                              const ProximityParams& params);

/// OP_AND_MAYBE(query, boost), one OP_AND_MAYBE per pair of an OR (Xapian 1.4.22 weighs an OR of NEARs on the
/// optional side wrongly for some documents): the matches of `query`, each ranked with the weight of each of its
/// close pairs added; `query` itself when the boost is empty.
Xapian::Query with_proximity(const Xapian::Query& query, const Xapian::Query& boost);

}  // namespace revsearch
