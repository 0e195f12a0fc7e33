#pragma once
// What the index's spelling table holds, and how a batch writes it. "Did you mean" reads the table
// (searcher/query/include/revsearch/spelling.hpp); the writers fill it from the documents DocumentBuilder makes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace revsearch {

/// Whether a body or headline word (folded and lower-cased as TermGenerator hands it to the stemmer, before
/// stemming: the table must suggest words people write, not stems) goes into the spelling table: two or more
/// bytes (Xapian ignores shorter ones), no digit, and not capitalised (never a prefixed term).
/// Digits are kept out because Xapian 1.4.22 cannot read back a zlib-compressed table item whose last chunk
/// inflates past its 8 KiB output buffer with no input left (CompressionStream::decompress_chunk returns
/// "not done" on avail_in == 0 while output is still pending: "Too few chunks of compressed data"; the same code
/// is in the RELEASE/1.4 branch). Only very repetitive items get there, and numbered tokens make exactly those:
/// 2,745 words uniq0..uniq2744 make the fragment list Huni unreadable, and every later add_spelling fails
/// (tests/unit/spelling_table_test.cpp). A numbered token is no use as a "did you mean" suggestion anyway.
bool belongs_in_spelling(std::string_view word);

/// The spelling table changes of a batch: each word counted once with its number of occurrences, written with
/// one add_spelling per distinct word at the end (both writers: `revindex add`, batch by batch, and the bulk
/// loader, part by part). TermGenerator's FLAG_SPELLING calls add_spelling for every word occurrence, each a
/// std::map update in Xapian (a quarter of the indexing time, docs/benchmarks.md); the table is the same. The
/// index holds stems only (schema.hpp), so the words are not read back from a document: DocumentBuilder::build
/// counts each body and headline word as its stemmer receives it.
///
/// Each word also keeps its stem, and keeps it after its count has gone to the table (write_to, merge_from,
/// clear): the one lookup per occurrence that counts a word hands the stemmer its stem, so Snowball runs once per
/// distinct word rather than once per occurrence (add_and_stem). The words sit in an open-addressing table
/// (xxHash, linear probing, words and stems in one vector), not std::unordered_map: that map's operator[] was 4.8%
/// of the CPU samples of `revindex add` and Snowball with its wrapper about 5% more (docs/indexing.md,
/// "Spelling words and stems"). Past remembered_limit words the remembered stems are dropped when the counts go.
/// Boost 1.74 (Debian 12) has no flat hash map yet, and Abseil's flat_hash_map (libabsl-dev) would load several
/// shared libraries into both tools, against their start-up cost (xxhash_inline.hpp says why that matters).
/// The stems are keyed by the word alone: one counter serves one stemmer (each writer pairs a counter with its
/// own DocumentBuilder).
class SpellingCounter {
public:
    /// Words whose stems a counter keeps between batches (about 12 MB at the limit); more are dropped when the
    /// counts go.
    static constexpr std::size_t remembered_limit = 1 << 17;

    /// `occurrences` of a word; words that do not belong_in_spelling are dropped by write_to and serialise.
    void add(std::string_view word, Xapian::termcount occurrences = 1);
    /// One occurrence of `word` counted, and its stem: `stemmer`'s on the word's first sighting, remembered since.
    /// The reference is valid until the next call that adds a word.
    const std::string& add_and_stem(const std::string& word, const Xapian::Stem& stemmer);
    /// The stem of `word`, remembered as add_and_stem does, without counting the word (a headline under its
    /// prefix, the author, the item: words the spelling table does not take from there).
    const std::string& stem(const std::string& word, const Xapian::Stem& stemmer);

    /// Adds the counted words to `db`'s spelling table (inside its transaction, if any) and forgets the counts.
    void write_to(Xapian::WritableDatabase& db);
    /// Forgets the counts (the stems stay, up to remembered_limit words).
    void clear() { forget_counts(); }
    bool empty() const { return counted_.empty(); }
    /// Distinct words counted.
    std::size_t size() const { return counted_.size(); }

    /// Adds every count of `other` to this counter's, and forgets `other`'s counts (not its stems).
    void merge_from(SpellingCounter& other);
    /// The words that belong_in_spelling with their counts, one "word count" line each, in the order they were
    /// first counted: what the batch writer keeps in the index's metadata until the counts reach the spelling
    /// table (index_writer.hpp).
    std::string serialise() const;
    /// Adds the counts of a serialise()d text; false (nothing added) when `text` is not one.
    bool add_serialised(std::string_view text);

private:
    struct Word {
        std::uint64_t hash = 0;
        std::string text;
        std::string stem;
        Xapian::termcount count = 0;
        bool stemmed = false;
    };

    /// The index in words_ of `text` (whose hash is `hash`), added uncounted when new.
    std::uint32_t find_or_add(std::uint64_t hash, std::string_view text);
    void count(std::uint32_t index, Xapian::termcount occurrences);
    const std::string& stem_of(std::uint32_t index, const Xapian::Stem& stemmer);
    void forget_counts();
    /// slots_ doubled (or made), every word placed again.
    void grow();

    std::vector<Word> words_;              ///< in the order first seen
    std::vector<std::uint32_t> slots_;     ///< 1 + an index in words_, 0 when free; a power of two long
    std::vector<std::uint32_t> counted_;   ///< the indices in words_ whose count is not 0, in first-count order
    bool remembers_stems_ = false;         ///< a stem was asked of this counter: its words are worth keeping
};

}  // namespace revsearch
