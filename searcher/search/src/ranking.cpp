#include "revsearch/ranking.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

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

}  // namespace

void apply_bm25_spec(RankingParams& params, std::string_view spec) {
    for_each_pair(spec, [&](std::string_view key, double value) {
        if (key == "k1") {
            if (value < 0) throw std::invalid_argument("k1 must be >= 0");
            params.k1 = value;
        } else if (key == "b") {
            if (value < 0 || value > 1) throw std::invalid_argument("b must be between 0 and 1");
            params.b = value;
        } else {
            throw std::invalid_argument("unknown BM25 parameter \"" + std::string(key) + "\" (k1, b)");
        }
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

Xapian::BM25Weight make_bm25(const RankingParams& params) {
    // k2=0, k3=1, min_normlen=0.5: Xapian's defaults for the parameters we do not expose.
    return Xapian::BM25Weight(params.k1, 0, 1, params.b, 0.5);
}

SignalScale relative_signal_scale(const RankingParams& params, double text_ceiling) {
    double unit = text_ceiling > 0 ? text_ceiling : 1.0;
    return {params.helpful_weight * unit, params.rating_weight * unit};
}

Xapian::Query blend_signals(const Xapian::Query& text_query, const SignalScale& scale) {
    Xapian::Query signals;
    if (scale.helpful > 0) signals = scaled_signal(schema::helpful_signal, scale.helpful);
    if (scale.rating > 0) {
        Xapian::Query rating = scaled_signal(schema::rating_signal, scale.rating);
        signals = signals.empty() ? rating : Xapian::Query(Xapian::Query::OP_OR, signals, rating);
    }
    if (signals.empty()) return text_query;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, text_query, signals);
}

ScoreParts split_score(double score, const Xapian::Document& document, const SignalScale& scale) {
    ScoreParts parts;
    if (scale.helpful > 0) parts.helpful = scale.helpful * signal_value(document, schema::helpful_signal);
    if (scale.rating > 0) parts.rating = scale.rating * signal_value(document, schema::rating_signal);
    parts.bm25 = score - parts.helpful - parts.rating;
    return parts;
}

}  // namespace revsearch
