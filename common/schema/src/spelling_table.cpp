#include "revsearch/spelling_table.hpp"

#include "revsearch/schema.hpp"

namespace revsearch {

bool belongs_in_spelling(std::string_view term) {
    if (term.size() < 2 || schema::classify_term(term).kind != schema::TermKind::word) return false;
    for (char c : term)
        if (c >= '0' && c <= '9') return false;
    return true;
}

void SpellingCounter::count(const Xapian::Document& doc) {
    for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
        const std::string& word = *term;
        if (belongs_in_spelling(word)) counts_[word] += term.get_wdf();
    }
}

void SpellingCounter::write_to(Xapian::WritableDatabase& db) {
    for (const auto& [word, frequency] : counts_) db.add_spelling(word, frequency);
    counts_.clear();
}

}  // namespace revsearch
