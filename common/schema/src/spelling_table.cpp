#include "revsearch/spelling_table.hpp"

#include <charconv>
#include <vector>

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

void SpellingCounter::merge_from(SpellingCounter& other) {
    if (counts_.empty()) {
        counts_.swap(other.counts_);
        return;
    }
    for (auto& [word, frequency] : other.counts_) counts_[word] += frequency;
    other.counts_.clear();
}

std::string SpellingCounter::serialise() const {
    std::string text;
    text.reserve(counts_.size() * 12);
    for (const auto& [word, frequency] : counts_) {
        if (!belongs_in_spelling(word)) continue;
        text += word;
        text += ' ';
        text += std::to_string(frequency);
        text += '\n';
    }
    return text;
}

bool SpellingCounter::add_serialised(std::string_view text) {
    std::vector<std::pair<std::string_view, Xapian::termcount>> parsed;
    while (!text.empty()) {
        const auto end = text.find('\n');
        if (end == std::string_view::npos) return false;
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        const auto space = line.rfind(' ');
        if (space == std::string_view::npos || space == 0) return false;
        Xapian::termcount frequency = 0;
        const char* digits = line.data() + space + 1;
        const auto [next, error] = std::from_chars(digits, line.data() + line.size(), frequency);
        if (error != std::errc() || next != line.data() + line.size() || frequency == 0) return false;
        parsed.emplace_back(line.substr(0, space), frequency);
    }
    for (const auto& [word, frequency] : parsed) counts_[std::string(word)] += frequency;
    return true;
}

}  // namespace revsearch
