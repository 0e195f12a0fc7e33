#pragma once
// What the index's spelling table holds, and how a batch writes it. "Did you mean" reads the table
// (searcher/query/include/revsearch/spelling.hpp); the writers fill it from the documents DocumentBuilder makes.

#include <string>
#include <string_view>
#include <unordered_map>

#include <xapian.h>

namespace revsearch {

/// Whether an indexed term goes into the spelling table: an unprefixed, unstemmed word (prefixes are capitals,
/// schema.hpp) of two or more bytes (Xapian ignores shorter ones) with no digit.
/// Digits are kept out because Xapian 1.4.22 cannot read back a zlib-compressed table item whose last chunk
/// inflates past its 8 KiB output buffer with no input left (CompressionStream::decompress_chunk returns
/// "not done" on avail_in == 0 while output is still pending: "Too few chunks of compressed data"; the same code
/// is in the RELEASE/1.4 branch). Only very repetitive items get there, and numbered tokens make exactly those:
/// 2,745 words uniq0..uniq2744 make the fragment list Huni unreadable, and every later add_spelling fails
/// (tests/unit/spelling_table_test.cpp). A numbered token is no use as a "did you mean" suggestion anyway.
bool belongs_in_spelling(std::string_view term);

/// The spelling table changes of a batch: each word counted once with its number of occurrences, written with
/// one add_spelling per distinct word at the end. TermGenerator's FLAG_SPELLING calls add_spelling for every
/// word occurrence, each a std::map lookup in Xapian (a quarter of the indexing time, docs/benchmarks.md);
/// the wdf of a document's unprefixed terms is exactly that number of calls, so the table is the same.
class SpellingCounter {
public:
    /// Counts the spelling words of a document built by DocumentBuilder.
    void count(const Xapian::Document& doc);
    /// Adds the counted words to `db`'s spelling table (inside its transaction, if any) and forgets them.
    void write_to(Xapian::WritableDatabase& db);
    void clear() { counts_.clear(); }

private:
    std::unordered_map<std::string, Xapian::termcount> counts_;
};

}  // namespace revsearch
