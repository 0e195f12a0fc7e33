#include "revsearch/spelling_table.hpp"

namespace revsearch {

bool belongs_in_spelling(std::string_view word) {
    if (word.size() < 2 || (word.front() >= 'A' && word.front() <= 'Z')) return false;
    for (char c : word)
        if (c >= '0' && c <= '9') return false;
    return true;
}

void SpellingCounter::write_to(Xapian::WritableDatabase& db) {
    for (const auto& [word, frequency] : counts_)
        if (belongs_in_spelling(word)) db.add_spelling(word, frequency);
    counts_.clear();
}

}  // namespace revsearch
