#pragma once
// The default blend's signal part of a review, computed once at index time (issue 19).

#include <cmath>

namespace revsearch {

/// The ranking's default signal weights, as fractions of the text query's BM25 ceiling (ranking.hpp says why
/// these values, docs/ranking.md how they were measured). They live here, below both the document builder and the
/// ranking, because the index stores the signals already weighed by them.
inline constexpr double default_helpful_weight = 0.075;
inline constexpr double default_rating_weight = 0.015;

/// The prior is stored in whole steps of 1/prior_steps of its largest value (default_helpful_weight +
/// default_rating_weight): a sortable-serialised whole number below 4096 takes 2 bytes where the exact double takes
/// 9, so the value stream the blend walks has fewer chunks to fetch. Measured on 50,000 scaled reviews, 200
/// two-word queries, one process: B-tree blocks read per query (pread calls) 83 for plain BM25, 181 for the two
/// slots, 170 for the exact prior in one slot, 110 for whole steps; CPU per query (p50, 3 interleaved rounds, load
/// 12) plain 0.55 to 0.78 ms, two slots 1.38 to 1.86, one slot exact 1.09 to 1.16, whole steps 0.93 to 1.35. The
/// rounding moves a review's score by at most half a step, 0.000011 of the ceiling.
inline constexpr double prior_steps = 4095;
inline constexpr double prior_step = (default_helpful_weight + default_rating_weight) / prior_steps;

/// default_helpful_weight · H + default_rating_weight · R (H, R on 0..1): what the default blend adds to BM25,
/// per unit of the ceiling.
constexpr double signal_prior(double helpful, double rating) {
    return default_helpful_weight * helpful + default_rating_weight * rating;
}

/// signal_prior in whole prior_steps (0..prior_steps), as schema::prior_signal stores it.
inline double prior_level(double helpful, double rating) {
    const double level = std::round(signal_prior(helpful, rating) / prior_step);
    return level < 0 ? 0 : level > prior_steps ? prior_steps : level;
}

}  // namespace revsearch
