#pragma once
// Scheduled rebuilds and compactions (docs/rebuild.md): a complete new generation is built beside the live
// index, checked, and switched to atomically (generations.hpp), all under the index lock (index_lock.hpp).
// The live index is never written: a failed or killed job leaves it as it was.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "revsearch/batch_ledger.hpp"
#include "revsearch/event_log.hpp"
#include "revsearch/reader.hpp"

namespace revsearch {

struct RebuildOptions {
    std::string dir;
    std::vector<std::string> from;  ///< empty: the batch files in the live index's ledger
    unsigned keep = 2;              ///< generations kept, the live one included (the previous one by default)
    bool if_changed = false;
    std::chrono::milliseconds lock_timeout{0};
    std::optional<std::size_t> expect_documents;
    std::optional<Format> format;   ///< nullopt: detect each file's layout
    unsigned jobs = 0;              ///< 0: one writer, a transaction per file, as add; N: BulkLoader with N parts
    std::optional<unsigned> shards; ///< the new index's shard count (shards.hpp); nullopt: the live index's
    bool allow_loss = false;        ///< switch even when documents of the live index are lost unexplained
};

struct CompactOptions {
    std::string dir;
    unsigned keep = 2;
    std::chrono::milliseconds lock_timeout{0};
};

struct JobResult {
    bool skipped = false;
    std::optional<unsigned> from_generation;  ///< nullopt: there was no index, or a legacy one (logged as "legacy")
    unsigned to_generation = 0;
    std::size_t documents = 0;
    std::vector<unsigned> removed;
};

/// Throws Error (locked; check_failed when the new generation fails its check or nothing could be read;
/// refused for an unexplained loss; not_found, input, corrupt) and Xapian::Error; in every case the live index
/// is untouched and this run's scratch space removed.
JobResult rebuild_index(const RebuildOptions& options, EventLog& log);
JobResult compact_index(const CompactOptions& options, EventLog& log);

/// Why the ledger is out of date against the current sources (absolute path -> content hash, "" for a file
/// that cannot be read), or nullopt when nothing changed: what --if-changed decides on.
std::optional<std::string> change_since_ledger(const std::vector<BatchLedgerEntry>& ledger,
                                               const std::map<std::string, std::string>& current_hashes);

/// Opens `path` read-only as a searcher would (all its shards) and checks it: at least one document (exactly `expected` when
/// given), and a probe query for a word of the first document finds a document. Returns the document count;
/// throws Error (check_failed).
std::size_t check_generation(const std::string& path, std::optional<std::size_t> expected);

}  // namespace revsearch
