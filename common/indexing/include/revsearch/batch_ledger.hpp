#pragma once
// The ledger of indexed batch files, kept in the index metadata (schema::meta_batch_prefix + absolute path), so
// that adding an unchanged file again costs nothing, and so that a rebuild can replay the batches in the order
// they were applied. Written in the batch's own transaction: the ledger never claims a batch the index does
// not hold. Deletions are kept beside it as tombstones (schema::meta_tombstone_prefix + review id), numbered
// from the same sequence as the batches, so that a rebuild never brings back a review deleted after the batches
// that held it (docs/indexing.md, "The ledger").

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "revsearch/file_facts.hpp"  // file_signature and file_content_hash, what an entry records

namespace revsearch {

struct BatchLedgerEntry {
    std::string path;           ///< absolute path of the batch file
    std::string hash;           ///< content_hash (XXH3-128, 32 hex) of the file's bytes
    std::size_t records = 0;    ///< good records read
    std::size_t rejected = 0;   ///< records refused
    std::string time;           ///< when it was indexed, ISO 8601 UTC ("2026-11-22T08:31:10Z")
    std::string format;         ///< the layout forced with --format ("" when detected), for a rebuild to read alike
    std::string csv_map;        ///< the --csv-map spec it was read with ("" for the default mapping)
    /// Where the batch stands in the order batches and deletions were applied (the index's sequence, 1 up);
    /// 0 for an entry written before the ledger was ordered: those replay first, by time then path.
    std::uint64_t seq = 0;
    /// "" for a file added by its path. For standard input or a pipe, the name it was given as ("<stdin>",
    /// "/dev/fd/63") and `path` is then the copy kept in the index directory, relative to it
    /// ("inputs/stdin-000042"): a stream cannot be read twice, the copy can.
    std::string origin;
    /// The file's identity when it was read ("dev:inode:size:mtime_ns"): the same file unchanged is skipped
    /// without being read. "" when unknown (entries written before it, streams).
    std::string signature;
    std::string json_map;       ///< the --json-map spec it was read with ("" for none)

    bool operator==(const BatchLedgerEntry&) const = default;
};

/// The metadata key of a batch file's entry.
std::string ledger_key(std::string_view absolute_path);

/// One JSON object: {"path", "hash", "records", "rejected", "time", "format", "csv_map", "seq"}, and "origin",
/// "signature" and "json_map" when not empty (keys absent from entries written before they existed read as ""
/// or 0).
std::string to_ledger_json(const BatchLedgerEntry& entry);

/// nullopt when `text` is not a ledger entry (a damaged or foreign metadata value is ignored, not fatal).
std::optional<BatchLedgerEntry> parse_ledger_json(std::string_view text);

std::optional<BatchLedgerEntry> read_ledger_entry(const Xapian::Database& db, std::string_view absolute_path);

/// Every entry, in the order the batches were applied: by seq, then (entries written before seq existed, all
/// seq 0, which come first) by time, then path.
std::vector<BatchLedgerEntry> read_ledger(const Xapian::Database& db);

/// The last sequence number handed out (schema::meta_sequence); 0 in an index written before it existed.
std::uint64_t last_sequence(const Xapian::Database& db);
/// Records `seq` as the last sequence number handed out.
void set_last_sequence(Xapian::WritableDatabase& db, std::uint64_t seq);

/// A deleted review: its id never comes back from a batch applied before the deletion (seq below).
struct Tombstone {
    std::uint64_t seq = 0;
    std::string time;
    std::string reason;  ///< "delete --id", "delete --source PATH"
    bool operator==(const Tombstone&) const = default;
};
std::string tombstone_key(std::string_view review_id);
std::string to_tombstone_json(const Tombstone& tombstone);
std::optional<Tombstone> parse_tombstone_json(std::string_view text);
void write_tombstone(Xapian::WritableDatabase& db, std::string_view review_id, const Tombstone& tombstone);
/// review id -> tombstone
std::map<std::string, Tombstone> read_tombstones(const Xapian::Database& db);

/// The current time as ISO 8601 UTC, the ledger's time format.
std::string utc_timestamp_now();

}  // namespace revsearch
