#include "revsearch/expansion.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "revsearch/schema.hpp"
#include "setting_list.hpp"

namespace revsearch {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Asks keeps_expansion_term of each candidate Xapian's ESet weighs; how many feedback documents hold it is
/// counted beforehand from their termlists (a few documents; Database::termlist_begin reads them through a stub of
/// shards and from remote servers alike).
class ExpansionTermDecider : public Xapian::ExpandDecider {
public:
    ExpansionTermDecider(const Xapian::Database& database, const FeedbackDocuments& feedback,
                         const ExpansionParams& params)
        : feedback_size_(static_cast<Xapian::doccount>(feedback.size())),
          params_(params),
          // Otherwise any one holder passes keeps_expansion_term, and every candidate has one.
          counted_(params.min_feedback_documents > 1 && feedback_size_ >= 3) {
        if (!counted_) return;
        for (const Xapian::docid docid : feedback)
            for (auto it = database.termlist_begin(docid); it != database.termlist_end(docid); ++it) {
                const std::string& term = *it;
                if (schema::classify_term(term).kind == schema::TermKind::stem) ++held_by_[term];
            }
    }

    bool operator()(const std::string& term) const override {
        Xapian::doccount held_by = 1;  // every candidate comes from a feedback document's termlist
        if (counted_) {
            const auto found = held_by_.find(term);
            held_by = found == held_by_.end() ? 0 : found->second;
        }
        return keeps_expansion_term(term, held_by, feedback_size_, params_);
    }

private:
    Xapian::doccount feedback_size_;
    const ExpansionParams& params_;
    bool counted_;
    std::unordered_map<std::string, Xapian::doccount> held_by_;
};

}  // namespace

bool keeps_expansion_term(const std::string& term, Xapian::doccount held_by, Xapian::doccount feedback_size,
                          const ExpansionParams& params) {
    // The stems a bare query word searches (docs/query-syntax.md), so an expansion term matches as the original
    // words do; no field terms (a headline word would count twice), no filter terms, no one-letter stems.
    const schema::TermParts parts = schema::classify_term(term);
    if (parts.kind != schema::TermKind::stem || parts.text.size() < 2) return false;
    // Numbers (ids, years, prices) name one product or one paper, not a topic. Stems holding a digit among
    // letters or a point (decimals, codes such as `x2`) stay: leaving them out too cost 0.002 nDCG@10 on the tune
    // halves (mean of 16 paired cells; +0.0003 at the default's, i.e. nothing), so they are no rule of their own.
    if (std::all_of(parts.text.begin(), parts.text.end(), is_digit)) return false;
    // No document-frequency ceiling either: a term in more than a fraction F of the documents left out cost
    // 0.011, 0.005, 0.001 and 0.002 nDCG@10 on the tune halves at F = 0.05, 0.1, 0.2, 0.33 (mean of 8-18 paired
    // cells of both schemes).
    return feedback_size < 3 || held_by >= std::min(params.min_feedback_documents, feedback_size);
}

void apply_expansion_spec(ExpansionParams& params, std::string_view spec) {
    detail::for_each_setting(spec, [&](std::string_view key, std::string_view text) {
        if (key == "scheme") {
            if (text != "bo1" && text != "trad")
                throw std::invalid_argument("scheme takes bo1 or trad, not \"" + std::string(text) + "\"");
            params.scheme = std::string(text);
            return;
        }
        const double value = detail::setting_number(key, text);
        if (key == "docs" || key == "terms" || key == "mindocs") {
            if (value < 1 || value > 1000 || value != static_cast<double>(static_cast<int>(value)))
                throw std::invalid_argument(std::string(key) + " takes a whole number from 1 to 1000");
            if (key == "docs") params.documents = static_cast<Xapian::doccount>(value);
            else if (key == "mindocs") params.min_feedback_documents = static_cast<Xapian::doccount>(value);
            else params.terms = static_cast<Xapian::termcount>(value);
        } else if (key == "weight") {
            if (value < 0 || value > 10) throw std::invalid_argument("weight must be between 0 and 10");
            params.weight = value;
        } else {
            throw std::invalid_argument("unknown setting \"" + std::string(key) + "\" (docs, terms, weight, scheme, mindocs)");
        }
    });
}

std::string expansion_spec(const ExpansionParams& params) {
    // std::to_chars: the shortest text that reads back as the same weight, whatever the locale.
    char weight[32];
    const auto written = std::to_chars(weight, weight + sizeof weight, params.weight);
    return "docs=" + std::to_string(params.documents) + ",terms=" + std::to_string(params.terms) +
           ",weight=" + std::string(weight, written.ptr) + ",scheme=" + params.scheme +
           ",mindocs=" + std::to_string(params.min_feedback_documents);
}

WeightedTerms expansion_terms(const Xapian::Database& database, const FeedbackDocuments& feedback,
                              const Xapian::Query& query, const ExpansionParams& params) {
    if (feedback.empty() || params.terms == 0) return {};
    Xapian::RSet documents;
    for (const Xapian::docid docid : feedback) documents.add_document(docid);
    Xapian::Enquire enquire(database);
    // The ESet leaves out the terms of the Enquire's query (unless INCLUDE_QUERY_TERMS).
    if (!query.empty()) enquire.set_query(query);
    enquire.set_expansion_scheme(params.scheme);
    ExpansionTermDecider decider(database, feedback, params);
    // Exact term frequencies: Xapian otherwise estimates them over several databases, and shards would then
    // expand otherwise than one index (xapian/enquire.h, USE_EXACT_TERMFREQ).
    const Xapian::ESet eset = enquire.get_eset(params.terms, documents, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
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
