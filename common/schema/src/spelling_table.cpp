#include "revsearch/spelling_table.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <vector>

#include "revsearch/xxhash_inline.hpp"

namespace revsearch {

bool belongs_in_spelling(std::string_view word) {
    if (word.size() < 2 || (word.front() >= 'A' && word.front() <= 'Z')) return false;
    for (char c : word)
        if (c >= '0' && c <= '9') return false;
    return true;
}

std::uint32_t SpellingCounter::find_or_add(std::uint64_t hash, std::string_view text) {
    if (slots_.empty()) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t slot = static_cast<std::size_t>(hash) & mask;
    for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
        const std::uint32_t index = slots_[slot] - 1;
        const Word& word = words_[index];
        if (word.hash == hash && word.text == text) return index;
    }
    const auto index = static_cast<std::uint32_t>(words_.size());
    words_.push_back(Word{hash, std::string(text), {}, 0, false});
    slots_[slot] = index + 1;
    // At most half full: linear probing then looks at about 1.5 slots per hit.
    if (words_.size() * 2 > slots_.size()) grow();
    return index;
}

void SpellingCounter::grow() {
    std::vector<std::uint32_t> slots(slots_.empty() ? 64 : slots_.size() * 2, 0);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t index = 0; index < words_.size(); ++index) {
        std::size_t slot = static_cast<std::size_t>(words_[index].hash) & mask;
        while (slots[slot] != 0) slot = (slot + 1) & mask;
        slots[slot] = index + 1;
    }
    slots_.swap(slots);
}

void SpellingCounter::count(std::uint32_t index, Xapian::termcount occurrences) {
    // A word is listed in counted_ once, when its count leaves 0; so a count never returns to 0 (no zero adds, and
    // a sum past the termcount's range stays at its top).
    if (occurrences == 0) return;
    Word& word = words_[index];
    if (word.count == 0) counted_.push_back(index);
    const Xapian::termcount room = std::numeric_limits<Xapian::termcount>::max() - word.count;
    word.count += std::min(occurrences, room);
}

const std::string& SpellingCounter::stem_of(std::uint32_t index, const Xapian::Stem& stemmer) {
    Word& word = words_[index];
    if (!word.stemmed) {
        word.stem = stemmer(word.text);
        word.stemmed = true;
        remembers_stems_ = true;
    }
    return word.stem;
}

void SpellingCounter::add(std::string_view word, Xapian::termcount occurrences) {
    count(find_or_add(XXH3_64bits(word.data(), word.size()), word), occurrences);
}

const std::string& SpellingCounter::add_and_stem(const std::string& word, const Xapian::Stem& stemmer) {
    const std::uint32_t index = find_or_add(XXH3_64bits(word.data(), word.size()), word);
    count(index, 1);
    return stem_of(index, stemmer);
}

const std::string& SpellingCounter::stem(const std::string& word, const Xapian::Stem& stemmer) {
    return stem_of(find_or_add(XXH3_64bits(word.data(), word.size()), word), stemmer);
}

void SpellingCounter::forget_counts() {
    for (const std::uint32_t index : counted_) words_[index].count = 0;
    counted_.clear();
    // A counter that never stemmed (the batch writer's staged counts) has nothing to remember between batches.
    if (words_.size() > remembered_limit || !remembers_stems_) {
        words_ = {};
        slots_ = {};
    }
}

void SpellingCounter::write_to(Xapian::WritableDatabase& db) {
    for (const std::uint32_t index : counted_) {
        const Word& word = words_[index];
        if (belongs_in_spelling(word.text)) db.add_spelling(word.text, word.count);
    }
    forget_counts();
}

void SpellingCounter::merge_from(SpellingCounter& other) {
    if (&other == this) return;
    for (const std::uint32_t index : other.counted_) {
        const Word& word = other.words_[index];
        count(find_or_add(word.hash, word.text), word.count);
    }
    other.forget_counts();
}

std::string SpellingCounter::serialise() const {
    std::string text;
    text.reserve(counted_.size() * 12);
    for (const std::uint32_t index : counted_) {
        const Word& word = words_[index];
        if (!belongs_in_spelling(word.text)) continue;
        text += word.text;
        text += ' ';
        text += std::to_string(word.count);
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
    for (const auto& [word, frequency] : parsed) add(word, frequency);
    return true;
}

}  // namespace revsearch
