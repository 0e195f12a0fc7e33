#pragma once
// Query expansion from feedback documents: pseudo-relevance feedback (`--expand`: the top documents of a first
// pass) and "more like this" (`--like ID`: one review). Both ask Xapian for the terms that best tell the feedback
// documents apart from the collection (Enquire::get_eset, Amati's Bo1 by default) and add them to the query under
// OP_SCALE_WEIGHT, so the expanded query is made of stock parts and ranks the same on remote shards.
// docs/ranking.md, "Query expansion", has the defaults and the evidence behind them.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace revsearch {

struct ExpansionParams {
    // Chosen on the tune halves of Cranfield and MEDLINE by MAP (scripts/eval, docs/ranking-classic.md): of the
    // grid around Anserini's RM3 defaults (Lin et al., SIGIR 2017: 10 feedback documents, 10 terms, the original
    // query at 0.5), the cell with the best mean tune MAP over both: 3 documents, 10 terms, the expansion at the
    // original words' weight, and Robertson's term selection ("trad": the Robertson/Sparck Jones relevance
    // weight times the term's frequency in the feedback documents), which beat Amati's Bo1 on both.
    Xapian::doccount documents = 3;   ///< feedback documents (--expand); --like uses its one review
    Xapian::termcount terms = 10;     ///< expansion terms added
    double weight = 1.0;              ///< the expansion part's weight, the original words keeping 1
    std::string scheme = "trad";      ///< Xapian's expansion scheme: trad (Robertson's) or bo1 (Amati's DFR)
};

/// Applies "docs=10,terms=20,weight=0.5,scheme=bo1" (any key may be left out). Throws std::invalid_argument on
/// a bad spec: an unknown key, a count of 0 or over 1,000, a weight outside [0, 10], an unknown scheme.
void apply_expansion_spec(ExpansionParams& params, std::string_view spec);

/// Expansion terms and their ESet weights, best first.
using WeightedTerms = std::vector<std::pair<std::string, double>>;

/// The `params.terms` free-text stems that best tell the documents of `feedback` apart from the rest of the
/// database (ESet, exact term frequencies so that shards agree with one index), leaving out the terms of
/// `query` (they are in the query already) and terms that are numbers or one letter. `query` may be empty.
WeightedTerms expansion_terms(const Xapian::Database& database, const Xapian::RSet& feedback,
                              const Xapian::Query& query, const ExpansionParams& params);

/// OP_OR of each term under OP_SCALE_WEIGHT(its ESet weight / the best one's), the whole under
/// OP_SCALE_WEIGHT(`weight`): an empty Query when there are no terms or the weight is 0.
Xapian::Query weighted_terms_query(const WeightedTerms& terms, double weight);

}  // namespace revsearch
