#include "revsearch/expansion.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "revsearch/schema.hpp"
#include "setting_list.hpp"

namespace revsearch {

namespace {

/// Accepts the stems a bare query word searches (docs/query-syntax.md), so an expansion term matches as the
/// original words do; leaves out field terms (a headline word would count twice), filter terms, numbers (ids,
/// years, prices: they name one product, not a topic) and one-letter stems.
class FreeTextStems : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        const schema::TermParts parts = schema::classify_term(term);
        if (parts.kind != schema::TermKind::stem || parts.text.size() < 2) return false;
        return !std::all_of(parts.text.begin(), parts.text.end(), [](char c) { return c >= '0' && c <= '9'; });
    }
};

}  // namespace

void apply_expansion_spec(ExpansionParams& params, std::string_view spec) {
    detail::for_each_setting(spec, [&](std::string_view key, std::string_view text) {
        if (key == "scheme") {
            if (text != "bo1" && text != "trad")
                throw std::invalid_argument("scheme takes bo1 or trad, not \"" + std::string(text) + "\"");
            params.scheme = std::string(text);
            return;
        }
        const double value = detail::setting_number(key, text);
        if (key == "docs" || key == "terms") {
            if (value < 1 || value > 1000 || value != static_cast<double>(static_cast<int>(value)))
                throw std::invalid_argument(std::string(key) + " takes a whole number from 1 to 1000");
            if (key == "docs") params.documents = static_cast<Xapian::doccount>(value);
            else params.terms = static_cast<Xapian::termcount>(value);
        } else if (key == "weight") {
            if (value < 0 || value > 10) throw std::invalid_argument("weight must be between 0 and 10");
            params.weight = value;
        } else {
            throw std::invalid_argument("unknown setting \"" + std::string(key) + "\" (docs, terms, weight, scheme)");
        }
    });
}

WeightedTerms expansion_terms(const Xapian::Database& database, const Xapian::RSet& feedback,
                              const Xapian::Query& query, const ExpansionParams& params) {
    if (feedback.empty() || params.terms == 0) return {};
    Xapian::Enquire enquire(database);
    // The ESet leaves out the terms of the Enquire's query (unless INCLUDE_QUERY_TERMS).
    if (!query.empty()) enquire.set_query(query);
    enquire.set_expansion_scheme(params.scheme);
    FreeTextStems decider;
    // Exact term frequencies: Xapian otherwise estimates them over several databases, and shards would then
    // expand otherwise than one index (xapian/enquire.h, USE_EXACT_TERMFREQ).
    const Xapian::ESet eset = enquire.get_eset(params.terms, feedback, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    WeightedTerms terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it, it.get_weight());
    return terms;
}

Xapian::Query weighted_terms_query(const WeightedTerms& terms, double weight) {
    if (terms.empty() || weight <= 0) return {};
    const double best = terms.front().second;
    std::vector<Xapian::Query> parts;
    for (const auto& [term, term_weight] : terms) {
        // ESet weights can be 0 or negative for a term in every document (Bo1, trad): such a term tells
        // nothing apart and is left out.
        if (best <= 0 || term_weight <= 0) continue;
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), term_weight / best);
    }
    if (parts.empty()) return {};
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()),
                         weight);
}

}  // namespace revsearch
