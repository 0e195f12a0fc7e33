#pragma once
// The helpfulness signal H.

#include <cstdint>

namespace revsearch {

/// Lower bound of the Wilson score interval for yes/total at confidence z (1.96: 95%), 0 without votes.
/// Evan Miller, "How Not To Sort By Average Rating" (2009); E. B. Wilson, JASA 22 (1927).
/// 2 of 2 gives 0.34, 54 of 62 gives 0.77: many votes outweigh a perfect tiny sample.
double wilson_lower_bound(std::int64_t yes, std::int64_t total, double z = 1.96);

}  // namespace revsearch
