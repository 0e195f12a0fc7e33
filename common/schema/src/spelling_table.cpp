#include "revsearch/spelling_table.hpp"

namespace revsearch {

bool belongs_in_spelling(std::string_view term) {
    if (term.size() < 2 || (term[0] >= 'A' && term[0] <= 'Z')) return false;
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
