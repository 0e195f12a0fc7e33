#include <doctest/doctest.h>

#include "revsearch/helpfulness.hpp"

using revsearch::wilson_lower_bound;

TEST_CASE("Wilson lower bound: many votes outweigh a perfect tiny sample") {
    struct Row {
        long yes, total;
        double expected;
    };
    // Values from Evan Miller's formula at z = 1.96, computed independently.
    const Row rows[] = {
        {0, 0, 0.0},
        {2, 2, 0.3424},
        {54, 62, 0.7655},
        {23, 26, 0.7102},
        {0, 10, 0.0},
        {10, 10, 0.7225},
        {1, 2, 0.0945},
    };
    for (const auto& row : rows) {
        CAPTURE(row.yes);
        CAPTURE(row.total);
        CHECK(wilson_lower_bound(row.yes, row.total) == doctest::Approx(row.expected).epsilon(0.001));
    }
    CHECK(wilson_lower_bound(2, 2) < wilson_lower_bound(54, 62));
}

TEST_CASE("Wilson lower bound: bad counts stay in 0..1") {
    CHECK(wilson_lower_bound(-3, 5) == 0.0);
    CHECK(wilson_lower_bound(7, 5) == doctest::Approx(wilson_lower_bound(5, 5)));
    CHECK(wilson_lower_bound(5, -1) == 0.0);
    CHECK(wilson_lower_bound(1'000'000, 1'000'000) <= 1.0);
}
