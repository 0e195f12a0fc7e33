#pragma once
// What the index's spelling table holds, and how a batch writes it. "Did you mean" reads the table
// (searcher/query/include/revsearch/spelling.hpp); the writers fill it from the documents DocumentBuilder makes.

#include <string>
#include <string_view>
#include <unordered_map>

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
class SpellingCounter {
public:
    /// One occurrence of a body or headline word; words that do not belong_in_spelling are dropped by write_to.
    void add(const std::string& word) { ++counts_[word]; }
    /// Adds the counted words to `db`'s spelling table (inside its transaction, if any) and forgets them.
    void write_to(Xapian::WritableDatabase& db);
    void clear() { counts_.clear(); }
    bool empty() const { return counts_.empty(); }
    /// Distinct words counted.
    std::size_t size() const { return counts_.size(); }

    /// Adds every count of `other` to this counter's, and clears `other`.
    void merge_from(SpellingCounter& other);
    /// The words that belong_in_spelling with their counts, one "word count" line each: what the batch writer
    /// keeps in the index's metadata until the counts reach the spelling table (index_writer.hpp).
    std::string serialise() const;
    /// Adds the counts of a serialise()d text; false (nothing added) when `text` is not one.
    bool add_serialised(std::string_view text);

private:
    std::unordered_map<std::string, Xapian::termcount> counts_;
};

}  // namespace revsearch
