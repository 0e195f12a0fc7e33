#include "revsearch/bm25_ceiling.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "revsearch/wildcard_parts.hpp"

namespace revsearch {

namespace {

using Q = Xapian::Query;

// Xapian 1.4's Query has no getter for a leaf's wqf, a scale factor or a wildcard's pattern; its descriptions
// spell them in a fixed form (api/queryinternal.cc): "Query(TERM#WQF@POS)", "Query(FACTOR * SUB)", and the
// wildcard's, read by wildcard_parts. tests/unit/ranking_test.cpp checks each against the scores Xapian gives.
std::string inner_description(const Q& query) {
    std::string text = query.get_description();
    // "Query(" ... ")"
    return text.size() >= 7 ? text.substr(6, text.size() - 7) : std::string();
}

double leaf_wqf(const Q& leaf, const std::string& term) {
    const std::string text = inner_description(leaf);
    if (text.compare(0, term.size(), term) != 0 || text.size() <= term.size() || text[term.size()] != '#') return 1;
    return std::strtod(text.c_str() + term.size() + 1, nullptr);
}

double scale_factor(const Q& scaled) {
    return std::strtod(inner_description(scaled).c_str(), nullptr);  // stops at " * "
}

class Ceiling {
public:
    Ceiling(const Xapian::Database& database, const RankingParams& params)
        : database_(database), params_(params), documents_(database.get_doccount()) {}

    double of(const Q& query) const {
        switch (query.get_type()) {
            case Q::LEAF_TERM: {
                const std::string term = *query.get_terms_begin();
                return term_weight(database_.get_termfreq(term), leaf_wqf(query, term));
            }
            case Q::OP_WILDCARD: {
                // The synonym of the expansions has a frequency at least the most frequent expansion's, so an
                // idf at most that term's.
                const std::string pattern = wildcard_parts(query).first;
                // A pattern Xapian's description escapes cannot be read back: the weight of the rarest term
                // bounds every synonym's.
                if (pattern.empty()) return term_weight(1, 1);
                Xapian::doccount most = 0;
                for (auto it = database_.allterms_begin(pattern); it != database_.allterms_end(pattern); ++it)
                    most = std::max(most, it.get_termfreq());
                return term_weight(most, 1);
            }
            case Q::OP_SCALE_WEIGHT: return scale_factor(query) * of(query.get_subquery(0));
            case Q::OP_AND_NOT:
            case Q::OP_FILTER: return query.get_num_subqueries() ? of(query.get_subquery(0)) : 0;
            case Q::OP_MAX: {
                double largest = 0;
                for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) largest = std::max(largest, of(query.get_subquery(i)));
                return largest;
            }
            case Q::OP_AND:
            case Q::OP_OR:
            case Q::OP_XOR:
            case Q::OP_AND_MAYBE:
            case Q::OP_ELITE_SET:
            case Q::OP_SYNONYM:  // bounded by its parts' sum: only the wildcard's synonym is built here
            case Q::OP_PHRASE:
            case Q::OP_NEAR: {
                double sum = 0;
                for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) sum += of(query.get_subquery(i));
                return sum;
            }
            default: return 0;  // MatchAll, MatchNothing, value ranges, posting sources: no BM25 weight
        }
    }

private:
    /// Xapian's BM25Weight::init termweight (1.4, weight/bm25weight.cc) times the limit of wdf / (K + wdf), 1.
    double term_weight(Xapian::doccount frequency, double wqf) const {
        if (frequency == 0 || documents_ == 0) return 0;
        const double n = documents_, f = frequency;
        double ratio = (n - f + 0.5) / (f + 0.5);
        if (ratio < 2) ratio = ratio * 0.5 + 1;
        double weight = std::log(ratio) * (params_.k1 + 1);
        constexpr double k3 = 1;  // make_weight's
        weight *= (k3 + 1) * wqf / (k3 + wqf);
        return weight;
    }

    const Xapian::Database& database_;
    const RankingParams& params_;
    Xapian::doccount documents_;
};

}  // namespace

double bm25_ceiling(const Xapian::Database& database, const Xapian::Query& query, const RankingParams& params) {
    return Ceiling(database, params).of(query);
}

}  // namespace revsearch
