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
    /// Term selection beyond the scheme's ranking (issue 17, docs/ranking-classic.md "Reading": the terms a
    /// losing query gained were the subject of one feedback document, or words of every text):
    /// a term must be in at least this many of the feedback documents when there are 3 or more (mindocs=N)
    Xapian::doccount min_feedback_documents = 1;
    /// a term in more than this fraction of the index's documents is no expansion term (maxdf=F; 1: no ceiling)
    double max_document_fraction = 1.0;
    /// a stem holding a digit (a decimal, a code such as x2) is no expansion term (digits=0); otherwise only
    /// stems of digits alone (ids, years, prices) are left out (digits=1)
    bool stems_with_digits = true;
};

/// Whether a candidate term may join the query: a free-text stem of 2 characters or more (no field, filter or
/// number term), held by enough of the feedback documents, under the document-frequency ceiling and, when
/// `params` says so, without a digit. `held_by` of the `feedback_size` feedback documents hold the term;
/// `document_fraction` is its document frequency over the index's document count.
bool keeps_expansion_term(const std::string& term, Xapian::doccount held_by, Xapian::doccount feedback_size,
                          double document_fraction, const ExpansionParams& params);

/// Applies "docs=10,terms=20,weight=0.5,scheme=bo1,mindocs=2,maxdf=0.1,digits=0" (any key may be left out).
/// Throws std::invalid_argument on a bad spec: an unknown key, a count of 0 or over 1,000, a weight outside
/// [0, 10], maxdf outside (0, 1], digits other than 0 or 1, an unknown scheme.
void apply_expansion_spec(ExpansionParams& params, std::string_view spec);

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
