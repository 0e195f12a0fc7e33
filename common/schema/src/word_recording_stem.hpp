#pragma once
// The indexing stemmer: Snowball behind a word -> stem cache that also counts spelling words (issue 15).

#include <cstddef>
#include <exception>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "revsearch/spelling_table.hpp"

namespace revsearch {

/// The Snowball stemmer, which also hands every word it stems to a SpellingCounter while one is set.
/// TermGenerator with STEM_ALL calls its stemmer once per word occurrence with the word as written (folded by us,
/// lower-cased by Xapian): the very string FLAG_SPELLING would add. So the spelling table gets real words although
/// the index holds stems.
///
/// Review text repeats its words (Zipf): the 10,000 aclImdb reviews of the indexing benchmark hold about 2.4
/// million word occurrences of about 54,000 distinct words. So each word seen is kept with its stem and with the
/// occurrences counted since recording began: an occurrence costs one hash lookup here instead of a Snowball run
/// plus the SpellingCounter's own lookup, and the counts go to the counter once per distinct word when recording
/// stops (record_into), in the order the words first occurred, so the counter ends up exactly as with one add per
/// occurrence (same counts, same order of insertion). The cache is cleared when a new word finds it holding
/// `cache_words` words and nothing is pending (0: no cache, every occurrence stemmed and counted at once).
class WordRecordingStem;

/// Records the words of one text into a counter while it lives (WordRecordingStem::record_into), and stops even when
/// indexing the text throws.
class SpellingRecording {
public:
    SpellingRecording(WordRecordingStem& stem, SpellingCounter* spelling);
    ~SpellingRecording();
    SpellingRecording(const SpellingRecording&) = delete;
    SpellingRecording& operator=(const SpellingRecording&) = delete;

private:
    WordRecordingStem& stem_;
};

class WordRecordingStem final : public Xapian::StemImplementation {
public:
    WordRecordingStem(Xapian::Stem stemmer, std::size_t cache_words)
        : stemmer_(std::move(stemmer)), cache_words_(cache_words) {}

    std::string operator()(const std::string& word) override {
        if (cache_words_ == 0) {
            if (spelling_ != nullptr) spelling_->add(word);
            return stemmer_(word);
        }
        auto found = cache_.find(word);
        if (found == cache_.end()) {
            // Cleared only with no count pending: pending_ points into the map (pointers to an unordered_map's
            // elements survive rehashing, not clearing). So it may pass the bound by one text's distinct words.
            if (cache_.size() >= cache_words_ && pending_.empty()) cache_.clear();
            found = cache_.emplace(word, Entry{stemmer_(word), 0}).first;
        }
        if (spelling_ != nullptr && found->second.pending++ == 0) pending_.push_back(&*found);
        return found->second.stem;
    }
    std::string get_description() const override { return stemmer_.get_description(); }

    /// Words stemmed from now on are counted into `spelling` (nullptr: not counted). The counts held for the
    /// previous counter are handed to it first.
    void record_into(SpellingCounter* spelling) {
        flush();
        spelling_ = spelling;
    }

    /// Forgets the counts not yet handed over and stops recording: for a text whose indexing threw, whose counter
    /// may be gone.
    void abandon_recording() noexcept {
        for (auto* word : pending_) word->second.pending = 0;
        pending_.clear();
        spelling_ = nullptr;
    }

private:
    struct Entry {
        std::string stem;
        Xapian::termcount pending;  ///< occurrences not yet handed to spelling_
    };

    void flush() {
        for (auto* word : pending_) {
            spelling_->add(word->first, word->second.pending);
            word->second.pending = 0;
        }
        pending_.clear();
    }

    Xapian::Stem stemmer_;
    std::size_t cache_words_;
    std::unordered_map<std::string, Entry> cache_;
    std::vector<std::pair<const std::string, Entry>*> pending_;  ///< in the order of their first occurrence
    SpellingCounter* spelling_ = nullptr;
};

inline SpellingRecording::SpellingRecording(WordRecordingStem& stem, SpellingCounter* spelling) : stem_(stem) {
    stem_.record_into(spelling);
}

inline SpellingRecording::~SpellingRecording() {
    if (std::uncaught_exceptions() > 0) stem_.abandon_recording();
    else stem_.record_into(nullptr);  // hands the counts over
}

}  // namespace revsearch
