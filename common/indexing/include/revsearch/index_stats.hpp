#pragma once
// What an index holds, as `revindex stats` prints it (text or JSON, docs/json-output.md has neither: the keys
// are in `revindex stats --help`): Xapian's statistics of the whole index and of each shard, and the batch
// ledger. Read-only, through the generation stub, as a searcher opens the index.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

namespace revsearch {

struct SourceStats {
    std::string path;                ///< the batch as the ledger names it
    Xapian::doccount documents = 0;  ///< reviews in the index last written from it
    std::size_t records = 0, rejected = 0;
    std::string hash, time;
};

struct ShardStats {
    std::size_t shard = 0;
    std::string path;
    Xapian::doccount documents = 0;
    std::uintmax_t bytes = 0;
    Xapian::rev revision = 0;
};

/// Disk space as du(1) counts it (allocated blocks), of the index directory and its parts: `bytes` counts the
/// live generation's file sizes only, and a rebuild keeps the previous generation beside it (docs/rebuild.md).
struct DiskUse {
    std::uintmax_t total = 0;             ///< the whole index directory
    std::uintmax_t live = 0;              ///< the live generation
    std::uintmax_t kept_generations = 0;  ///< the generations a rebuild or compact kept (--keep)
    std::size_t kept_generation_count = 0;
    std::uintmax_t inputs = 0;            ///< DIR/inputs: the kept copies of stream batches
};

struct IndexStats {
    std::string path;                        ///< the index directory asked for
    Xapian::doccount documents = 0;
    std::size_t terms = 0;                   ///< distinct terms
    std::uintmax_t bytes = 0;                ///< of the live generation only
    std::string language;
    std::optional<std::string> schema;       ///< the schema version; nullopt when unrecorded
    Xapian::rev revision = 0;                ///< shard 0's, which commits last in every change: the index's
    std::optional<std::string> last_change;  ///< the newest ledger time; nullopt for an empty ledger
    std::vector<SourceStats> sources;        ///< the ledger, in the order batches were applied
    std::string generation;                  ///< the live generation's name (the index's own for a legacy one)
    std::vector<ShardStats> shards;          ///< one for an unsharded index
    DiskUse disk;
};

/// Reads the statistics of the index at `db_path` (a directory, or a stub file). Throws Xapian::Error when it
/// cannot be opened or read, Error for a stub naming no generation of it (generations.hpp).
IndexStats inspect_index(const std::string& db_path);

}  // namespace revsearch
