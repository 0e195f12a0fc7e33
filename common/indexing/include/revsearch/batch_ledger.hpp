#pragma once
// The ledger of indexed batch files, kept in the index metadata (schema::meta_batch_prefix + absolute path), so
// that adding an unchanged file again costs one hash and nothing else. Written in the batch's own transaction:
// the ledger never claims a batch the index does not hold.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace revsearch {

struct BatchLedgerEntry {
    std::string path;           ///< absolute path of the batch file
    std::string hash;           ///< content_hash (XXH3-128, 32 hex) of the file's bytes
    std::size_t records = 0;    ///< good records read
    std::size_t rejected = 0;   ///< records refused
    std::string time;           ///< when it was indexed, ISO 8601 UTC ("2026-11-22T08:31:10Z")
    std::string format;         ///< the layout forced with --format ("" when detected), for a rebuild to read alike
    std::string csv_map;        ///< the --csv-map spec it was read with ("" for the default mapping)

    bool operator==(const BatchLedgerEntry&) const = default;
};

/// The metadata key of a batch file's entry.
std::string ledger_key(std::string_view absolute_path);

/// One JSON object: {"path", "hash", "records", "rejected", "time", "format", "csv_map"} (the last two are
/// absent from entries written before they existed, and read as "").
std::string to_ledger_json(const BatchLedgerEntry& entry);

/// nullopt when `text` is not a ledger entry (a damaged or foreign metadata value is ignored, not fatal).
std::optional<BatchLedgerEntry> parse_ledger_json(std::string_view text);

std::optional<BatchLedgerEntry> read_ledger_entry(const Xapian::Database& db, std::string_view absolute_path);

/// Every entry, in path order.
std::vector<BatchLedgerEntry> read_ledger(const Xapian::Database& db);

/// content_hash of a file's bytes, streamed (constant memory whatever the size). Throws std::runtime_error
/// when the file cannot be read.
std::string file_content_hash(const std::string& path);

/// The current time as ISO 8601 UTC, the ledger's time format.
std::string utc_timestamp_now();

}  // namespace revsearch
