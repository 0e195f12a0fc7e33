#include "revsearch/match_count.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "revsearch/body_hash_set.hpp"
#include "revsearch/schema.hpp"

namespace revsearch {

namespace {

/// Accepts the first match of each text (its body hash) and rejects the copies that follow; a match without a
/// body hash is never a copy, as with Xapian's collapse key. The count pass's collapse: a match decider sees every
/// match the matcher checks, so the count needs no result set at all, where Xapian's collapser counts only the
/// matches that entered one (see count_matches). Measured on the 10,000 aclImdb reviews of bench-startup,
/// `great` (3,458 matches): the collapse pass kept 2,000 matches in 7.5 ms, this one keeps none in 2.5 ms with
/// the same estimate and bounds; reading the body hash of each match is most of what is left.
/// That read already streams: Xapian 1.4's matcher hands a decider a document whose get_value reads the slot's
/// value stream (its ValueStreamDocument), advanced in docid order, so each value chunk is decoded once per
/// database, not once per match as Document::get_value of a fetched document would. A Xapian::ValueIterator of our
/// own, moved with skip_to(get_docid()), measured the same (0.48 against 0.49 ms of CPU per pass, `great` on the
/// 10,000 aclImdb reviews, 300 passes each), and would be wrong over shards: the decider sees each shard's
/// matches after the previous shard's, with the shard's own docids (issue 15 point 5, docs/benchmarks.md).
class FirstCopyOfEachText : public Xapian::MatchDecider {
public:
    FirstCopyOfEachText() : seen_(count_exactly_up_to) {}
    bool operator()(const Xapian::Document& document) const override {
        std::string hash = document.get_value(schema::body_hash);
        if (hash.empty()) return true;
        if (const auto key = packed(hash)) return seen_.insert(*key);
        return seen_other_.insert(std::move(hash)).second;
    }

private:
    using Packed = BodyHashSet::Key;
    /// A body hash as the writer makes it (content_hash: XXH3-128 as 32 lower-case hex digits), as its 16 bytes:
    /// 2,000 of them fit in 12 pages of a BodyHashSet, where 2,000 strings took 30 page faults of the query's 500
    /// and an unordered_set of the 16 bytes 28 of 300.
    /// Decoded through a table, one half at a time in a register: the branches of a digit-or-letter test fail on
    /// a third of random hex digits, and the pass decodes one hash per match (perf put this decoding at 4% of a
    /// whole `revsearch great`).
    static std::optional<Packed> packed(std::string_view hex) {
        if (hex.size() != 32) return std::nullopt;
        std::uint64_t high = 0, low = 0;
        unsigned invalid = 0;
        for (std::size_t i = 0; i < 16; ++i) {
            const std::uint8_t high_digit = hex_digit_values[static_cast<unsigned char>(hex[i])];
            const std::uint8_t low_digit = hex_digit_values[static_cast<unsigned char>(hex[i + 16])];
            invalid |= (high_digit | low_digit) & 0x10u;
            high = high << 4 | (high_digit & 0xFu);
            low = low << 4 | (low_digit & 0xFu);
        }
        if (invalid != 0) return std::nullopt;
        return Packed{high, low};
    }
    /// 0-15 for a lower-case hex digit, 0x10 for any other byte.
    static constexpr std::array<std::uint8_t, 256> hex_digit_values = [] {
        std::array<std::uint8_t, 256> values{};
        values.fill(0x10);
        for (int c = '0'; c <= '9'; ++c) values[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0');
        for (int c = 'a'; c <= 'f'; ++c) values[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
        return values;
    }();

    mutable BodyHashSet seen_;
    mutable std::unordered_set<std::string> seen_other_;  ///< any other value, compared whole
};

/// The count a counting pass's MSet gives: its estimate, exact when its bounds meet.
std::pair<Xapian::doccount, bool> count_of(const Xapian::MSet& counted) {
    return {counted.get_matches_estimated(), counted.get_matches_lower_bound() == counted.get_matches_upper_bound()};
}

}  // namespace

/// An Enquire that only asks which documents match: no weights, document order, one per text when `collapse`.
Xapian::Enquire membership_enquire(const Xapian::Database& database, const Xapian::Query& query, bool collapse) {
    Xapian::Enquire enquire(database);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    if (collapse) enquire.set_collapse_key(schema::body_hash);
    return enquire;
}

/// The count of the query's matches: exact up to count_exactly_up_to distinct texts, estimated beyond. A pass of
/// its own, boolean and in document order, so that the ranked pass can keep only the page and skip what cannot
/// enter it (Xapian raises its minimum weight only once `checkatleast` matches were seen, and prunes by it). In
/// document order with no weight, one database stops once it has accepted that many (Xapian's matcher ends a
/// forward boolean match early); shards are walked to the end. With `collapse`, copies of a text are left out by
/// FirstCopyOfEachText, so the pass keeps no match: Xapian's own collapser counts only the matches kept in the
/// MSet (with a small MSet, six matches of six distinct texts came out "between 1 and 6"), so it had to keep
/// 2,000. Xapian's remote backend takes no match decider: over a remote shard the pass collapses on the body hash
/// and keeps the 2,000 matches, which counts the same (tests/unit/match_count_test.cpp).
std::pair<Xapian::doccount, bool> count_matches(const Xapian::Database& database, const Xapian::Query& query,
                                                bool collapse) {
    if (!collapse) return count_of(membership_enquire(database, query, false).get_mset(0, 0, count_exactly_up_to));
    try {
        const FirstCopyOfEachText first_copies;
        return count_of(membership_enquire(database, query, false)
                            .get_mset(0, 0, count_exactly_up_to, nullptr, &first_copies));
    } catch (const Xapian::UnimplementedError&) {
        return count_matches_by_collapsing(database, query);
    }
}

std::pair<Xapian::doccount, bool> count_matches_by_collapsing(const Xapian::Database& database,
                                                              const Xapian::Query& query) {
    return count_of(membership_enquire(database, query, true).get_mset(0, count_exactly_up_to, count_exactly_up_to));
}

}  // namespace revsearch
