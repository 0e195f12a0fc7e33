#pragma once
// Ranking: score = BM25 + w_h·H + w_r·R, built from stock Xapian parts only (OP_AND_MAYBE, OP_SCALE_WEIGHT,
// ValueWeightPostingSource, BM25Weight), so the same query serialises unchanged to remote shards.
// docs/ranking.md explains the formula and the defaults.

#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

#include "revsearch/signal_prior.hpp"

namespace revsearch {

/// Xapian's stock weighting schemes that serialise to xapian-tcpsrv (its default Registry knows them all), so a
/// query ranks the same on one index and on remote shards. bm25 is the default: docs/ranking.md, "Weighting
/// schemes", has the comparison that kept it.
enum class Scheme { bm25, bm25plus, lm, dph, pl2 };

struct RankingParams {
    Scheme scheme = Scheme::bm25;
    // Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009), and Lucene/Elastic:
    // k1=1.2, b=0.75. Xapian's own defaults (k1=1, b=0.5) normalise document length less; reviews run from one
    // line to a thousand words, and a long essay that mentions a word in passing should not outrank a short
    // review about it.
    double k1 = 1.2;
    double b = 0.75;
    // b for a short query, fewer than long_query_terms distinct words (search.hpp): what a shopper types. The most
    // useful reviews of such a query are long (median 118-139 body words for grade 3 against 43-60 for grades 1-2
    // on the judged review queries), and b = 0.75 pushes them down. Chosen on the judged review queries' length
    // grid (b 0.5 best at every k1) and confirmed on a held-out set of 22 other queries graded blind: the blend
    // +0.031 nDCG@10 over b 0.75 (p = 0.013), plain BM25 +0.045 (p < 0.001); docs/ranking.md, "Document length on
    // review queries". Long queries keep b: on Cranfield b 0.5 costs 0.024 nDCG@10. An explicit b (--bm25,
    // --scheme bm25:b=...) sets both.
    double short_query_b = 0.5;
    // The other schemes' parameters, at their authors' usual values: BM25+'s delta (Lv & Zhai 2011, Xapian's
    // default), the Dirichlet prior of LMWeight (Zhai & Lafferty 2001; Xapian's own default of 0.7 for
    // DIRICHLET_SMOOTHING when none is given is meant for Jelinek-Mercer), PL2's c (Amati 2003, Xapian's default).
    double delta = 1;
    double mu = 2000;
    double c = 1;
    // Signal weights as fractions of the text query's BM25 ceiling U (bm25_ceiling.hpp, relative_signal_scale):
    // a review can gain at most (helpful + rating) = 9% of U, enough to re-order reviews of similar relevance,
    // never enough to lift a barely matching one over a strong match. The best attained BM25 score of a query is
    // 0.75 U at the median of the evidence queries (0.57 to 0.86 U for 80% of them; docs/ranking.md), so these
    // are the former 0.10 and 0.02 of the best score, times 0.75. helpful > rating / 0.42, so that the
    // helpfulness gap between 54/62 (H 0.76) and 2/2 votes (H 0.34) always outweighs any rating gap.
    // The defaults are signal_prior.hpp's, which the index stores already weighed (schema::prior_signal).
    double helpful_weight = default_helpful_weight;
    double rating_weight = default_rating_weight;
    // Headline weight W (`--field-weights headline=W`): the query's words searched again in the headline alone
    // (S terms), their BM25 times W added to the score of the reviews that match (with_field_weights). Body and
    // headline are one bag of words in the default field (schema.hpp); this lifts reviews whose headline says
    // the words on top of it. 0 adds nothing (the query is unchanged). Chosen on the tune halves of ArguAna,
    // Cranfield and MEDLINE and checked on the judged review queries: docs/ranking.md, "Headline weight".
    double headline_weight = 0;
};

/// The parameters one query ranks with: `params` with b = short_query_b for a short query.
RankingParams for_query_length(const RankingParams& params, bool short_query);

/// Applies "k1=1.2,b=0.75" (either key may be left out; b applies to short and long queries alike). Throws
/// std::invalid_argument on a bad spec.
void apply_bm25_spec(RankingParams& params, std::string_view spec);

/// Applies "helpful=0.1,rating=0.02" (either key may be left out; 0 switches a signal off).
/// Throws std::invalid_argument on a bad spec or a negative weight.
void apply_weights_spec(RankingParams& params, std::string_view spec);

/// Applies "headline=0.5" (the one field with a weight today; 0 switches it off).
/// Throws std::invalid_argument on a bad spec, an unknown field or a negative weight.
void apply_field_weights_spec(RankingParams& params, std::string_view spec);

/// OP_AND_MAYBE(text_query, OP_SCALE_WEIGHT(OP_OR(S + each stem the text query searches), headline_weight)):
/// the same words again in the headline, weighted apart; stock Xapian operators, so remote shards rank as one
/// index. Only words that count for a match are copied (not those under NOT, not wildcards, not other fields);
/// each distinct stem once. `text_query` itself when the weight is 0 or there is no such word.
Xapian::Query with_field_weights(const Xapian::Query& text_query, const RankingParams& params);

/// Applies "NAME[:key=value,...]": bm25[:k1=,b=], bm25+[:k1=,b=,delta=], lm[:mu=], dph, pl2[:c=]. Keys left out
/// keep their values. Throws std::invalid_argument on an unknown name or key, or a value out of range.
void apply_scheme_spec(RankingParams& params, std::string_view spec);

/// The scheme and its parameters in apply_scheme_spec's form, e.g. "lm:mu=2000".
std::string scheme_spec(const RankingParams& params);

/// True for the schemes that k1 and b (--bm25) apply to.
bool uses_bm25_parameters(Scheme scheme);

/// The stock Xapian weight of params.scheme (Enquire::set_weighting_scheme clones it). The database (one index or
/// all shards) gives what a scheme would otherwise read from each shard alone (LMWeight's longest document).
std::unique_ptr<Xapian::Weight> make_weight(const RankingParams& params, const Xapian::Database& database);

/// The absolute factors the signals are multiplied with for one query.
struct SignalScale {
    double helpful = 0;
    double rating = 0;
    /// With the default weights, the factor of schema::prior_signal (the ceiling times prior_step: the slot holds
    /// both signals already weighed, in whole steps), which then stands for helpful and rating in the query; 0
    /// otherwise.
    double prior = 0;
};

/// Relative weights times the text query's BM25 ceiling (bm25_ceiling.hpp: known before matching, the same on
/// one index and on shards). When the text query cannot weigh anything (filters only, ceiling 0) the signals
/// alone order the hits, with scale 1. Whatever the scheme: with a scheme other than BM25 the ceiling is no
/// bound of the text score, only a unit that grows with the query's rare words (docs/ranking.md, "Weighting
/// schemes"). With the default weights, `prior` is that unit times prior_step.
SignalScale relative_signal_scale(const RankingParams& params, double text_ceiling);

/// OP_AND_MAYBE(text, OP_SCALE_WEIGHT(VWPS(prior_signal), prior)) when scale.prior is set (the default weights:
/// one value stream); otherwise OP_AND_MAYBE(text, OP_OR(OP_SCALE_WEIGHT(VWPS(helpful_signal), h),
/// OP_SCALE_WEIGHT(VWPS(rating_signal), r))), leaving out a signal whose factor is 0 (and the whole OR when both are).
Xapian::Query blend_signals(const Xapian::Query& text_query, const SignalScale& scale);

/// A hit's score split into what the words as typed (BM25, or the --scheme's text score), the optional additions
/// (search.cpp sets them: added_parts.hpp) and each signal contributed; the parts add up to the score.
struct ScoreParts {
    double bm25 = 0;
    double proximity = 0;  ///< the close pairs' boost (--proximity)
    double expansion = 0;  ///< the expansion terms (--expand, a long query)
    double helpful = 0;
    double rating = 0;
};

/// H and R parts from the document's values times the factors (with the prior slot: its part, shared between H
/// and R in proportion to theirs); bm25 = score − both (the caller moves the additions out of it).
ScoreParts split_score(double score, const Xapian::Document& document, const SignalScale& scale);

}  // namespace revsearch
