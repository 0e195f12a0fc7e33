#pragma once
// Xapian's structural check (Database::check) of every table of a database, reported by table: what a rebuild
// or compaction checks before it publishes a generation, and what a writer that met a corrupt table says.

#include <filesystem>
#include <stdexcept>
#include <string>

#include "revsearch/error.hpp"

namespace revsearch {

/// A table failed Xapian's check (or could not be read): `table()` names it, what() says where and why.
class CorruptTableError : public Error {
public:
    CorruptTableError(std::string table, const std::string& message)
        : Error(ErrorKind::corrupt, message), table_(std::move(table)) {}
    const std::string& table() const { return table_; }

private:
    std::string table_;
};

/// Runs Database::check on each table of each glass database under `database` (a glass directory, or a
/// directory of shards behind a stub, shards.hpp), and throws CorruptTableError for the first table with an
/// error or one that cannot be read. The message names the table file relative to `label_base` (e.g.
/// "gen-000002/spelling.glass"). Costs a read of every block (docs/reliability.md has the figures).
void check_tables(const std::filesystem::path& database, const std::filesystem::path& label_base);

/// For a writer that met Xapian::DatabaseCorruptError (or another read failure): the check above on the live
/// database of the index directory `dir`, as one line naming the corrupt table; `fallback` (Xapian's own
/// message) when the check finds nothing.
std::string describe_corruption(const std::string& dir, const std::string& fallback);

}  // namespace revsearch
