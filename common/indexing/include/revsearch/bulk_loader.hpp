#pragma once
// Building a whole index from scratch, fast: Xapian's usual bulk-load path. The reviews are split by id over
// `jobs` parts, each built by its own thread in its own WritableDatabase (own DocumentBuilder: sb_stemmer and
// the ICU transliterator are per thread), committed every 1,000 documents; the parts are then
// merged with Xapian::Database::compact into the target, and the language, schema version and batch ledger
// are written with the index writer's own functions. The result is the index `revindex add` would have built
// from the same files in the same order (same documents, terms, positions, values, spelling, ledger), except
// for document numbers. Measured in docs/benchmarks.md.
//
// Only for an EMPTY target (a first load, a rebuild into a new directory): the target must not exist or be an
// empty directory. The index appears there at once, by rename(2), when it is complete; a failure leaves
// nothing at the target. There are no per-file transactions (so no --strict): the load is all or nothing.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "revsearch/batch_ledger.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/problem.hpp"
#include "revsearch/review.hpp"

namespace revsearch {

struct BulkLoadStats {
    std::size_t files = 0;             ///< files read (each gets a ledger entry unless unreadable or stdin)
    std::size_t skipped_files = 0;     ///< the same file (same path and content) named twice: read once
    std::size_t unreadable_files = 0;
    std::size_t records = 0;           ///< good records read
    std::size_t rejected = 0;
    std::size_t added = 0;             ///< documents in the index at the end
    std::size_t updated = 0;           ///< a later record with the same id and different data replaced one
    std::size_t unchanged = 0;         ///< a later record with the same id and the same data
    std::size_t text_bytes = 0;        ///< body and headline bytes of the records read
    double parts_seconds = 0;          ///< reading and building the parts (wall time)
    double merge_seconds = 0;          ///< compacting them into one index and writing the metadata
};

/// Called on the reading thread after each record: the index of the file being read (into the paths given),
/// records read so far in all files, and text bytes read so far in this file (as BatchOutcome::text_bytes).
using BulkProgress = std::function<void(std::size_t file_index, std::size_t records, std::size_t file_text_bytes)>;

class BulkLoader {
public:
    /// Hands each review to the loader, with the batch identity (batch_identity(path)) that its XF term is
    /// made from. Called from the thread that called load().
    using Emit = std::function<void(Review&&, std::string_view source_identity)>;
    using Producer = std::function<void(const Emit&)>;

    /// `language`: a Snowball name (checked here: std::invalid_argument). `jobs`: parts built in parallel,
    /// at least 1 (0 means the number of cores). `shard_count` > 1 builds a sharded index (shards.hpp): each
    /// part belongs to one shard (at least one part per shard), and each shard is the merge of its parts.
    BulkLoader(std::string language, unsigned jobs, unsigned shard_count = 1);

    /// Reads `paths` (already expanded: expand_paths) in order, as `revindex add` would, and builds the index
    /// at `target`, with a ledger entry per file read. `options.strict` is not honoured (no per-file
    /// transactions); callers wanting it use IndexWriter. Problems go to `sink` from the calling thread.
    BulkLoadStats load_files(const std::string& target, const std::vector<std::string>& paths,
                             const BatchOptions& options, const ProblemSink& sink,
                             const BulkProgress& progress = {});
    /// The same with options per file (a rebuild reads each file as its ledger entry says).
    BulkLoadStats load_files(const std::string& target, const std::vector<std::string>& paths,
                             const std::function<BatchOptions(const std::string&)>& options_for,
                             const ProblemSink& sink, const BulkProgress& progress = {});

    /// The general form (for rebuilds that read reviews from elsewhere): `produce` emits every review, and
    /// `ledger` is written as given. Any exception from `produce` or a part aborts the load and is rethrown.
    BulkLoadStats load(const std::string& target, const Producer& produce,
                       const std::vector<BatchLedgerEntry>& ledger = {});

    /// The number of parts (jobs, or the number of cores for 0; at least one per shard).
    unsigned jobs() const { return std::max(1u, jobs_ / shard_count_) * shard_count_; }

private:
    std::string language_;
    unsigned jobs_;
    unsigned shard_count_;
};

/// True when `path` does not exist or is an empty directory: the only targets the bulk path accepts.
bool is_empty_target(const std::string& path);

}  // namespace revsearch
