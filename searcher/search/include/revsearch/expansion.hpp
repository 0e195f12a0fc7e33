#pragma once
// Query expansion from feedback documents: pseudo-relevance feedback (`--expand`: the top documents of a first
// pass) and "more like this" (`--like ID`: one review). Both ask Xapian for the terms that best tell the feedback
// documents apart from the collection (Enquire::get_eset, Robertson's trad by default) and add them to the query under
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
    // weight times the term's frequency in the feedback documents). Re-examined by nDCG@10 (issue 17;
    // python3 -m evaluation.expansion_grid, docs/ranking-classic.md "Term selection"): Amati's Bo1 with 20 terms
    // leads the tune halves of Cranfield and MEDLINE (0.5553 against 0.5316) but loses ArguAna's (0.4080
    // against 0.4593; 0.4170 on all queries, below the words alone and the 0.46 ArguAna must keep), as do Bo1
    // with 10 terms (0.4201) and trad with 20 (0.4471); trad with mindocs=2 gains there (0.4677) but loses the
    // test halves of Cranfield and MEDLINE (-0.004, -0.010 against these settings). So these stay --expand's
    // settings and pasted text's, and Bo1 with 20 terms is a written-out need's by default (search.hpp,
    // written_need_expansion).
    Xapian::doccount documents = 3;   ///< feedback documents (--expand); --like uses its one review
    Xapian::termcount terms = 10;     ///< expansion terms added
    double weight = 1.0;              ///< the expansion part's weight, the original words keeping 1
    std::string scheme = "trad";      ///< Xapian's expansion scheme: trad (Robertson's) or bo1 (Amati's DFR)
    /// With 3 feedback documents or more, a term must be in at least this many of them (mindocs=N): a term one
    /// document holds is that document's subject (MEDLINE 30 gained `calcaneus grandchildren` from one case
    /// report). Measured on the tune halves (mean nDCG@10, 12 cells each): 2 costs 0.012 with 3 feedback
    /// documents, and gains 0.009 with 5 and 0.013 with 10, whose cells stay below the best with 3; so 1 by
    /// default, a setting for deeper feedback.
    Xapian::doccount min_feedback_documents = 1;
};

/// Whether a candidate term may join the query: a free-text stem of 2 characters or more that is not a number
/// (no field or filter term), held by `held_by` of the `feedback_size` feedback documents, enough by
/// `params.min_feedback_documents`.
bool keeps_expansion_term(const std::string& term, Xapian::doccount held_by, Xapian::doccount feedback_size,
                          const ExpansionParams& params);

/// Applies "docs=10,terms=20,weight=0.5,scheme=bo1,mindocs=2" (any key may be left out). Throws
/// std::invalid_argument on a bad spec: an unknown key, a count of 0 or over 1,000, a weight outside [0, 10], an
/// unknown scheme.
void apply_expansion_spec(ExpansionParams& params, std::string_view spec);

/// The settings as --expand-with takes them, every key given: "docs=3,terms=10,weight=1,scheme=trad,mindocs=1"
/// (what the JSON summary's `expanded_with` and the text output say; apply_expansion_spec reads it back).
std::string expansion_spec(const ExpansionParams& params);

/// Expansion terms and their ESet weights, best first.
using WeightedTerms = std::vector<std::pair<std::string, double>>;

/// The feedback documents, best first.
using FeedbackDocuments = std::vector<Xapian::docid>;

/// The `params.terms` free-text stems that best tell the documents of `feedback` apart from the rest of the
/// database (ESet, exact term frequencies so that shards agree with one index), leaving out the terms of
/// `query` (they are in the query already) and those keeps_expansion_term refuses. `query` may be empty.
WeightedTerms expansion_terms(const Xapian::Database& database, const FeedbackDocuments& feedback,
                              const Xapian::Query& query, const ExpansionParams& params);

/// OP_OR of each term under OP_SCALE_WEIGHT(its ESet weight / the best one's), the whole under
/// OP_SCALE_WEIGHT(`weight`): an empty Query when there are no terms or the weight is 0.
Xapian::Query weighted_terms_query(const WeightedTerms& terms, double weight);

}  // namespace revsearch
