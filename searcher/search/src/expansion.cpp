#include "revsearch/expansion.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "revsearch/schema.hpp"
#include "setting_list.hpp"

namespace revsearch {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Asks keeps_expansion_term of each candidate Xapian's ESet weighs: how many feedback documents hold it is
/// counted beforehand from their termlists (a few documents; Database::termlist_begin works over shards and
/// remote servers alike), its document frequency asked only of the terms that pass the cheaper rules.
class ExpansionTermDecider : public Xapian::ExpandDecider {
public:
    ExpansionTermDecider(const Xapian::Database& database, const FeedbackDocuments& feedback,
                         const ExpansionParams& params)
        : database_(database), feedback_size_(static_cast<Xapian::doccount>(feedback.size())),
          documents_(database.get_doccount()), params_(params) {
        if (feedback_size_ < 3 || params.min_feedback_documents <= 1) return;  // every candidate is held by one
        for (const Xapian::docid docid : feedback)
            for (auto it = database.termlist_begin(docid); it != database.termlist_end(docid); ++it) {
                const std::string& term = *it;
                if (schema::classify_term(term).kind == schema::TermKind::stem) ++held_by_[term];
            }
    }

    bool operator()(const std::string& term) const override {
        Xapian::doccount held_by = 1;
        if (!held_by_.empty()) {
            const auto found = held_by_.find(term);
            held_by = found == held_by_.end() ? 0 : found->second;
        }
        // The document fraction last (a remote round trip on remote shards): 0 lets the other rules decide.
        if (!keeps_expansion_term(term, held_by, feedback_size_, 0.0, params_)) return false;
        if (params_.max_document_fraction >= 1.0 || documents_ == 0) return true;
        const double fraction = static_cast<double>(database_.get_termfreq(term)) / documents_;
        return keeps_expansion_term(term, held_by, feedback_size_, fraction, params_);
    }

private:
    const Xapian::Database& database_;
    Xapian::doccount feedback_size_;
    Xapian::doccount documents_;
    const ExpansionParams& params_;
    std::unordered_map<std::string, Xapian::doccount> held_by_;
};

}  // namespace

bool keeps_expansion_term(const std::string& term, Xapian::doccount held_by, Xapian::doccount feedback_size,
                          double document_fraction, const ExpansionParams& params) {
    // The stems a bare query word searches (docs/query-syntax.md), so an expansion term matches as the original
    // words do; no field terms (a headline word would count twice), no filter terms, no one-letter stems.
    const schema::TermParts parts = schema::classify_term(term);
    if (parts.kind != schema::TermKind::stem || parts.text.size() < 2) return false;
    // Numbers (ids, years, prices) name one product or one paper, not a topic.
    if (std::all_of(parts.text.begin(), parts.text.end(), is_digit)) return false;
    if (!params.stems_with_digits && std::any_of(parts.text.begin(), parts.text.end(), is_digit)) return false;
    // With 3 feedback documents or more, a term that only one of them holds is that document's subject.
    if (feedback_size >= 3 && held_by < std::min(params.min_feedback_documents, feedback_size)) return false;
    return document_fraction <= params.max_document_fraction;
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
        if (key == "maxdf") {
            if (!(value > 0 && value <= 1)) throw std::invalid_argument("maxdf takes a fraction above 0, at most 1");
            params.max_document_fraction = value;
        } else if (key == "digits") {
            if (value != 0 && value != 1) throw std::invalid_argument("digits takes 0 or 1");
            params.stems_with_digits = value == 1;
        } else if (key == "docs" || key == "terms" || key == "mindocs") {
            if (value < 1 || value > 1000 || value != static_cast<double>(static_cast<int>(value)))
                throw std::invalid_argument(std::string(key) + " takes a whole number from 1 to 1000");
            if (key == "docs") params.documents = static_cast<Xapian::doccount>(value);
            else if (key == "mindocs") params.min_feedback_documents = static_cast<Xapian::doccount>(value);
            else params.terms = static_cast<Xapian::termcount>(value);
        } else if (key == "weight") {
            if (value < 0 || value > 10) throw std::invalid_argument("weight must be between 0 and 10");
            params.weight = value;
        } else {
            throw std::invalid_argument("unknown setting \"" + std::string(key) + "\" (docs, terms, weight, scheme, mindocs, maxdf, digits)");
        }
    });
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
