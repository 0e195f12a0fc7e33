#pragma once
// Writing reviews into the index: opening it under Xapian's single-writer lock, the index language, and one
// batch file as one transaction with upserts by review id and a ledger entry (batch_ledger.hpp).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "revsearch/batch_input.hpp"
#include "revsearch/batch_ledger.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/error.hpp"
#include "revsearch/problem.hpp"
#include "revsearch/reader.hpp"
#include "revsearch/review.hpp"
#include "revsearch/spelling_table.hpp"

namespace revsearch {

enum class OpenMode { create_or_open, open_existing };

/// Opens the index for writing, creating its parent directories (and the index) with create_or_open.
/// First takes the directory lock DIR/.revindex.lock (index_lock.hpp, kept until the process exits), so that a
/// write never interleaves with a rebuild's switch; a new index is created as generation 1 behind a Xapian
/// stub (generations.hpp), a legacy plain glass directory is opened as it is.
/// Xapian's DB_RETRY_LOCK waits without a bound, so this polls instead: on DatabaseLockError it sleeps 100 ms
/// and retries until `lock_timeout` has passed, then throws locked_error (index_lock.hpp).
/// open_existing throws Error (not_found) when there is no index.
/// Opens every shard of the index (shards.hpp) for writing as above, in shard order: one database for an
/// unsharded index. A new index is created with `new_shard_count` shards; an existing one keeps its own.
/// A shard directory this user cannot write throws Error (io) at once, not a lock error.
std::vector<Xapian::WritableDatabase> open_shards_for_writing(const std::string& path,
                                                              std::chrono::milliseconds lock_timeout,
                                                              OpenMode mode = OpenMode::create_or_open,
                                                              unsigned new_shard_count = 1);

/// The unsharded form: throws Xapian::InvalidOperationError for a sharded index.
Xapian::WritableDatabase open_index_for_writing(const std::string& path, std::chrono::milliseconds lock_timeout,
                                                OpenMode mode = OpenMode::create_or_open);

/// The number of shards of the live index at `path` (1 for an unsharded one), 0 when there is none.
unsigned shard_count_of(const std::string& path);

/// The language of the index. A new index records `requested` (or the default) and the schema version in
/// its metadata; an existing one keeps its own, and an explicit `requested` that differs throws
/// Error (refused, Remedy::rebuild_elsewhere); an existing index of another schema::version throws Error (refused,
/// Remedy::rebuild_index): its terms are another layout's. Throws std::invalid_argument for an unknown language.
std::string settle_index_language(Xapian::WritableDatabase& db, const std::optional<std::string>& requested);

/// What upsert did with a review. `repeated`: its id was already written by this writer (report_repeats), in this
/// batch or an earlier one of the same run: a repeat within the input, not a change of what the index held.
enum class UpsertResult { added, updated, unchanged, repeated };

struct BatchOutcome {
    enum class Status {
        indexed,    ///< committed (possibly with rejected records, without --strict)
        skipped,    ///< the ledger holds this file with the same content hash: nothing read
        refused,    ///< --strict and a record was rejected: the transaction was cancelled
        unreadable, ///< could not be opened or is no review layout: nothing committed
        changed     ///< the file changed while it was read: cancelled, not in the ledger (add it again)
    };
    Status status = Status::indexed;
    InputStats input;
    std::size_t added = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;
    std::size_t repeated = 0;  ///< with report_repeats: records whose id this run had already written
    std::size_t withheld = 0;  ///< rebuild: records left out because their id was deleted after this batch
    /// Text bytes of the records seen so far (body and headline): a running estimate for progress displays,
    /// since the reader's own byte count is only known at the end of the file (input.bytes).
    std::size_t text_bytes = 0;
};

struct BatchOptions {
    std::optional<Format> format;  ///< nullopt: detect per file
    ReaderOptions reader;
    std::string csv_map;           ///< the spec reader.csv was parsed from ("" for the default), for the ledger
    std::string json_map;          ///< the spec reader.json was parsed from ("" for none), for the ledger
    bool strict = false;
    /// A rebuild replaying a ledger entry: the identity (path), sequence number and origin recorded for the
    /// batch are kept, and the batch is never skipped.
    std::optional<BatchLedgerEntry> replay;
    /// A rebuild: a review whose id has a tombstone newer than the batch (Tombstone::seq > its seq) is left out.
    const std::map<std::string, Tombstone>* tombstones = nullptr;
};

/// What IndexWriter::erase removed.
struct Erasure {
    Xapian::doccount deleted = 0;
    std::vector<std::string> missing_ids;  ///< ids asked for that no shard holds
    std::string batch_identity;            ///< the batch asked for, as the ledger names it
    bool batch_forgotten = false;          ///< its ledger entry was removed: the next add reads the file again
};

class IndexWriter {
public:
    /// Writes into `db`; documents feed its spelling table.
    IndexWriter(Xapian::WritableDatabase& db, const std::string& language);
    /// Writes each review into the shard its id hashes to (shards::shard_of); shard 0 holds the ledger.
    IndexWriter(std::vector<Xapian::WritableDatabase> shards, const std::string& language);

    /// The index at `dir`, opened for writing (open_shards_for_writing): what add and delete write through.
    /// create_or_open settles its language (settle_index_language, `language` for a new index); open_existing
    /// uses the recorded one and writes no metadata. Stream batches are kept in `dir` (keep_stream_copies_in).
    static IndexWriter open(const std::string& dir, std::chrono::milliseconds lock_timeout, OpenMode mode,
                            const std::optional<std::string>& language = {}, unsigned new_shard_count = 1);

    /// Writes the spelling counts staged by add_batch into the spelling tables (write_staged_spelling), then
    /// closes every shard.
    void close();

    /// Stores `review` under its id term. A review whose stored data is the same, apart from where it was read
    /// (Review::source), is left alone: re-reading it costs no write and no spelling update.
    /// The spelling words of what upsert wrote are counted, and added by flush_spelling (add_batch calls it
    /// before committing).
    UpsertResult upsert(const Review& review, std::string_view source_path);

    /// Adds the spelling words counted since the last flush to each shard's spelling table (uncommitted): the
    /// bulk loader's parts, which write the spelling table once, at the end.
    void flush_spelling();

    /// add_batch does not write a batch's spelling words into the spelling table: Xapian rewrites every
    /// fragment list a new word touches (decompressed, merged, compressed again) at each commit, which cost
    /// 40% of the CPU time of 20 batches of 500 reviews (docs/benchmarks.md, "Lean documents"). Each batch's
    /// counts go into its transaction as metadata (schema::meta_spelling_prefix) and into memory; this adds
    /// everything staged to the spelling tables and removes those metadata entries, one commit per shard
    /// (atomic: a crash leaves the counts staged, and the next writer stages them again when it opens).
    /// close() calls it, and add_batch whenever the staged words pass staged_spelling_limit.
    void write_staged_spelling();
    /// The next add_batch writes what is staged, with its own words, into the spelling tables inside its own
    /// transaction, instead of staging them: `revindex add` says so before its last file, so that a run commits
    /// once per batch and no more (a reader keeps its revision readable across one commit, not two).
    void write_spelling_with_next_batch() { spelling_with_next_batch_ = true; }
    /// Distinct staged words (of one shard) above which add_batch writes them (about 20 MB of memory).
    static constexpr std::size_t staged_spelling_limit = 200'000;

    /// One batch file (or "-") as one transaction: a crash leaves the index with the batch wholly or not at all.
    /// Sharded: one transaction per shard, shard 0 (with the ledger entry) committed last; a crash between
    /// shard commits leaves some shards with the batch and the ledger without it, which the next add of the
    /// same file completes.
    /// `on_review` is called after each record (for progress); problems go to `sink`.
    BatchOutcome add_batch(const std::string& path, const BatchOptions& options, const ProblemSink& sink,
                           const std::function<void(const BatchOutcome&)>& on_review = {});

    /// Removes the reviews with `review_ids`, and with `batch` every review last written from that batch file (a
    /// path, or a kept stream's ledger name, inputs/stdin-NNNNNN) and its ledger entry, from every shard, in
    /// one transaction per shard committed as add_batch's are. Each review removed leaves a tombstone
    /// (batch_ledger.hpp) recording `reason`, so that no rebuild brings it back from an earlier batch.
    Erasure erase(const std::vector<std::string>& review_ids, const std::optional<std::string>& batch,
                  const std::string& reason);

    /// Standard input and pipes (is_stream_input) are kept as DIR/inputs/stdin-NNNNNN, copied as they are
    /// read, and recorded in the ledger under that relative path, so that a rebuild can read them again.
    /// Without this (a rebuild's scratch index, tests) a stream batch gets no ledger entry.
    void keep_stream_copies_in(const std::string& index_dir) { index_dir_ = index_dir; }

    /// From now on upsert answers `repeated` for a review whose id this writer already wrote (added, updated or
    /// left unchanged) in a committed batch or in the batch in progress, so that a summary tells repeats within
    /// the input from changes to what the index held. A bit per document id, per shard (12.5 MB for 100 M
    /// documents, and 8 bytes per record of the batch in progress); what a cancelled batch marked is unmarked. IndexWriter::open turns it on.
    void report_repeats() { report_repeats_ = true; }

private:
    Xapian::WritableDatabase& ledger_shard() { return shards_.front(); }
    void begin_transactions();
    /// The one multi-shard commit: every shard but 0 first, then `record_in_ledger` writes into shard 0's
    /// transaction, and shard 0 commits last, so that its commit is the change's (ARCHITECTURE.md).
    void commit_transactions(const std::function<void()>& record_in_ledger);
    void cancel_transactions();
    /// Deletes the documents indexed by `term` in every shard, with a tombstone each; returns how many.
    Xapian::doccount erase_everywhere(const std::string& term, const Tombstone& tombstone, std::size_t& tombstones);

    std::vector<Xapian::WritableDatabase> shards_;  ///< handles: copies share the database
    std::vector<DocumentBuilder> builders_;         ///< one per shard
    std::vector<SpellingCounter> spelling_;         ///< one per shard: the batch's words for its spelling table
    std::vector<SpellingCounter> staged_spelling_;  ///< one per shard: committed batches' words not yet written
    std::vector<std::vector<std::string>> staged_keys_;  ///< per shard: the metadata keys holding them
    bool spelling_with_next_batch_ = false;
    /// Reads the spelling counts a writer staged and did not write (killed, or an error ended its run).
    void recover_staged_spelling();
    /// Adds shard `shard`'s staged counts to its spelling table and empties their metadata entries, uncommitted
    /// (write_staged_spelling commits it; add_batch's transaction holds it).
    void apply_staged_spelling(std::size_t shard);
    std::string index_dir_;                         ///< "": stream batches are not kept
    /// Marks `docid` of `shard` as written in this run; false when it already was.
    bool mark_written(std::size_t shard, Xapian::docid docid);

    bool report_repeats_ = false;
    std::vector<std::vector<bool>> written_;                        ///< per shard, by document id
    /// shard << 32 | docid of each id first marked in the batch in progress (8 bytes per record of the batch):
    /// unmarked when the batch is cancelled.
    std::vector<std::uint64_t> marked_in_batch_;
};

/// The directory (relative to the index directory) where stream batches are kept.
inline constexpr std::string_view kept_inputs_dir = "inputs";

/// The absolute, normalised form of a batch path: the ledger key and the XF source term are made from it,
/// so "a.txt", "./a.txt" and "/dir/a.txt" are one batch. "-" stays "<stdin>".
std::string batch_identity(const std::string& path);

/// The ledger entry of a batch read with `options` (its format and CSV mapping recorded for a rebuild).
BatchLedgerEntry make_ledger_entry(const std::string& identity, const std::string& hash, const InputStats& input,
                                   const BatchOptions& options);

/// The options a batch was read with, from its ledger entry: what a rebuild reads it again with.
/// Throws std::invalid_argument for a recorded format or mapping this version does not know.
BatchOptions options_from_ledger(const BatchLedgerEntry& entry);

}  // namespace revsearch
