#include "revsearch/helpfulness.hpp"

#include <algorithm>
#include <cmath>

namespace revsearch {

double wilson_lower_bound(std::int64_t yes, std::int64_t total, double z) {
    if (total <= 0) return 0.0;
    // Bad counts (yes > total, negative yes) are clamped rather than trusted: the bound must stay in 0..1.
    yes = std::clamp<std::int64_t>(yes, 0, total);
    const double n = static_cast<double>(total);
    const double p = static_cast<double>(yes) / n;
    const double z2 = z * z;
    const double centre = p + z2 / (2 * n);
    const double margin = z * std::sqrt((p * (1 - p) + z2 / (4 * n)) / n);
    return std::max(0.0, (centre - margin) / (1 + z2 / n));
}

}  // namespace revsearch
