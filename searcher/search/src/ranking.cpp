#include "revsearch/ranking.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "revsearch/schema.hpp"
#include "setting_list.hpp"

namespace revsearch {

namespace {

using detail::for_each_pair;

double signal_value(const Xapian::Document& document, Xapian::valueno slot) {
    return schema::number_of(document.get_value(slot));
}

Xapian::Query scaled_signal(Xapian::valueno slot, double factor) {
    // release(): the Query owns the posting source; without it each query leaks one (Xapian's
    // include/xapian/postingsource.h: release() hands ownership to Xapian).
    Xapian::Query source((new Xapian::ValueWeightPostingSource(slot))->release());
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, source, factor);
}

/// The stems `query` matches with (schema::TermKind::stem), in the order first met: not the excluded side of
/// AND_NOT, not a filter, not a wildcard's expansion (unknown before matching) or a field's terms.
void collect_matching_stems(const Xapian::Query& query, std::vector<std::string>& stems) {
    using Q = Xapian::Query;
    switch (query.get_type()) {
        case Q::LEAF_TERM: {
            const std::string term = *query.get_terms_begin();
            if (schema::classify_term(term).kind == schema::TermKind::stem && !term.empty() &&
                std::find(stems.begin(), stems.end(), term) == stems.end())
                stems.push_back(term);
            return;
        }
        case Q::OP_AND_NOT:
        case Q::OP_FILTER:
            if (query.get_num_subqueries() > 0) collect_matching_stems(query.get_subquery(0), stems);
            return;
        case Q::OP_WILDCARD:
            return;
        default:
            for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
                collect_matching_stems(query.get_subquery(i), stems);
    }
}

/// Sets k1 or b; false for any other key.
bool set_bm25_parameter(RankingParams& params, std::string_view key, double value) {
    if (key == "k1") {
        if (value < 0) throw std::invalid_argument("k1 must be >= 0");
        params.k1 = value;
    } else if (key == "b") {
        if (value < 0 || value > 1) throw std::invalid_argument("b must be between 0 and 1");
        params.b = params.short_query_b = value;
    } else {
        return false;
    }
    return true;
}

}  // namespace

void apply_field_weights_spec(RankingParams& params, std::string_view spec) {
    for_each_pair(spec, [&](std::string_view key, double value) {
        if (value < 0) throw std::invalid_argument("field weight \"" + std::string(key) + "\" must be >= 0");
        if (key == "headline")
            params.headline_weight = value;
        else
            throw std::invalid_argument("unknown field \"" + std::string(key) + "\" (headline)");
    });
}

Xapian::Query with_field_weights(const Xapian::Query& text_query, const RankingParams& params) {
    if (params.headline_weight <= 0) return text_query;
    std::vector<std::string> stems;
    collect_matching_stems(text_query, stems);
    if (stems.empty()) return text_query;
    std::vector<Xapian::Query> headline_terms;
    headline_terms.reserve(stems.size());
    for (const auto& stem : stems) headline_terms.emplace_back(std::string(schema::headline_prefix) + stem);
    const Xapian::Query headline(Xapian::Query::OP_OR, headline_terms.begin(), headline_terms.end());
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, text_query,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, headline, params.headline_weight));
}

RankingParams for_query_length(const RankingParams& params, bool short_query) {
    RankingParams out = params;
    if (short_query) out.b = params.short_query_b;
    return out;
}

void apply_bm25_spec(RankingParams& params, std::string_view spec) {
    for_each_pair(spec, [&](std::string_view key, double value) {
        if (!set_bm25_parameter(params, key, value))
            throw std::invalid_argument("unknown BM25 parameter \"" + std::string(key) + "\" (k1, b)");
    });
}

void apply_weights_spec(RankingParams& params, std::string_view spec) {
    for_each_pair(spec, [&](std::string_view key, double value) {
        if (value < 0) throw std::invalid_argument("weight \"" + std::string(key) + "\" must be >= 0");
        if (key == "helpful") {
            params.helpful_weight = value;
        } else if (key == "rating") {
            params.rating_weight = value;
        } else {
            throw std::invalid_argument("unknown weight \"" + std::string(key) + "\" (helpful, rating)");
        }
    });
}

namespace {

struct SchemeName {
    Scheme scheme;
    std::string_view name;
    std::string_view keys;  // for the error message
};
constexpr SchemeName scheme_names[] = {{Scheme::bm25, "bm25", "k1, b"},
                                       {Scheme::bm25plus, "bm25+", "k1, b, delta"},
                                       {Scheme::lm, "lm", "mu"},
                                       {Scheme::dph, "dph", "none"},
                                       {Scheme::pl2, "pl2", "c"}};

std::string_view name_of(Scheme scheme) {
    for (const auto& entry : scheme_names)
        if (entry.scheme == scheme) return entry.name;
    return "bm25";
}

}  // namespace

bool uses_bm25_parameters(Scheme scheme) { return scheme == Scheme::bm25 || scheme == Scheme::bm25plus; }

void apply_scheme_spec(RankingParams& params, std::string_view spec) {
    const auto colon = spec.find(':');
    const std::string_view name = spec.substr(0, colon);
    const SchemeName* found = nullptr;
    for (const auto& entry : scheme_names)
        if (entry.name == name) found = &entry;
    if (!found)
        throw std::invalid_argument("unknown scheme \"" + std::string(name) + "\" (bm25, bm25+, lm, dph, pl2)");
    RankingParams result = params;
    result.scheme = found->scheme;
    if (colon != std::string_view::npos) {
        for_each_pair(spec.substr(colon + 1), [&](std::string_view key, double value) {
            if (uses_bm25_parameters(result.scheme) && set_bm25_parameter(result, key, value)) return;
            if (result.scheme == Scheme::bm25plus && key == "delta") {
                if (value < 0) throw std::invalid_argument("delta must be >= 0");
                result.delta = value;
            } else if (result.scheme == Scheme::lm && key == "mu") {
                if (value <= 0) throw std::invalid_argument("mu must be > 0");
                result.mu = value;
            } else if (result.scheme == Scheme::pl2 && key == "c") {
                if (value <= 0) throw std::invalid_argument("c must be > 0");
                result.c = value;
            } else {
                throw std::invalid_argument("unknown parameter \"" + std::string(key) + "\" for " +
                                            std::string(name) + " (" + std::string(found->keys) + ")");
            }
        });
    }
    params = result;
}

std::string scheme_spec(const RankingParams& params) {
    std::ostringstream out;
    out << name_of(params.scheme);
    switch (params.scheme) {
        case Scheme::bm25: out << ":k1=" << params.k1 << ",b=" << params.b; break;
        case Scheme::bm25plus: out << ":k1=" << params.k1 << ",b=" << params.b << ",delta=" << params.delta; break;
        case Scheme::lm: out << ":mu=" << params.mu; break;
        case Scheme::dph: break;
        case Scheme::pl2: out << ":c=" << params.c; break;
    }
    return out.str();
}

std::unique_ptr<Xapian::Weight> make_weight(const RankingParams& params, const Xapian::Database& database) {
    // k2=0, k3=1, min_normlen=0.5: Xapian's defaults for the BM25 parameters we do not expose.
    constexpr double k2 = 0, k3 = 1, min_normlen = 0.5;
    switch (params.scheme) {
        case Scheme::bm25: break;  // below
        case Scheme::bm25plus:
            return std::make_unique<Xapian::BM25PlusWeight>(params.k1, k2, k3, params.b, min_normlen, params.delta);
        case Scheme::lm: {
            // param_log, the factor inside LMWeight's log, is given as Xapian's own default (the longest
            // document's length) but taken from the whole database: left at 0, each remote shard's server takes
            // its own shard's longest document, and shards no longer rank as one index (measured:
            // tests/e2e/test_shards_remote.py failed with `--scheme lm` before).
            const double longest = std::max<Xapian::termcount>(database.get_doclength_upper_bound(), 1);
            return std::make_unique<Xapian::LMWeight>(longest, Xapian::Weight::DIRICHLET_SMOOTHING, params.mu);
        }
        case Scheme::dph: return std::make_unique<Xapian::DPHWeight>();
        case Scheme::pl2: return std::make_unique<Xapian::PL2Weight>(params.c);
    }
    // Built in place: a Weight cannot be copied or moved (Xapian::Weight's copy constructor is not exported).
    return std::make_unique<Xapian::BM25Weight>(params.k1, k2, k3, params.b, min_normlen);
}

SignalScale relative_signal_scale(const RankingParams& params, double text_ceiling) {
    double unit = text_ceiling > 0 ? text_ceiling : 1.0;
    // The prior slot holds the default weights' sum; any other weights read the two slots.
    const bool defaults =
        params.helpful_weight == default_helpful_weight && params.rating_weight == default_rating_weight;
    return {params.helpful_weight * unit, params.rating_weight * unit, defaults ? unit * prior_step : 0.0};
}

Xapian::Query blend_signals(const Xapian::Query& text_query, const SignalScale& scale) {
    Xapian::Query signals;
    if (scale.prior > 0) {
        // One value stream instead of two: each candidate of the text query costs the blend a lookup in each
        // stream it reads (docs/ranking.md, "Cost").
        signals = scaled_signal(schema::prior_signal, scale.prior);
    } else {
        if (scale.helpful > 0) signals = scaled_signal(schema::helpful_signal, scale.helpful);
        if (scale.rating > 0) {
            Xapian::Query rating = scaled_signal(schema::rating_signal, scale.rating);
            signals = signals.empty() ? rating : Xapian::Query(Xapian::Query::OP_OR, signals, rating);
        }
    }
    if (signals.empty()) return text_query;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, text_query, signals);
}

ScoreParts split_score(double score, const Xapian::Document& document, const SignalScale& scale) {
    ScoreParts parts;
    if (scale.prior > 0) {
        // The query added the stored prior (whole steps); share it between the signals as their exact parts are.
        const double prior = scale.prior * signal_value(document, schema::prior_signal);
        const double helpful = scale.helpful * signal_value(document, schema::helpful_signal);
        const double rating = scale.rating * signal_value(document, schema::rating_signal);
        const double exact = helpful + rating;
        parts.helpful = exact > 0 ? prior * helpful / exact : 0;
        parts.rating = exact > 0 ? prior * rating / exact : prior;
        parts.bm25 = score - prior;
        return parts;
    }
    if (scale.helpful > 0) parts.helpful = scale.helpful * signal_value(document, schema::helpful_signal);
    if (scale.rating > 0) parts.rating = scale.rating * signal_value(document, schema::rating_signal);
    parts.bm25 = score - parts.helpful - parts.rating;
    return parts;
}

}  // namespace revsearch
