#pragma once
// A Xapian stub file that lists shards, local or remote (docs/scaling.md), as revsearch --db accepts it:
//
//   auto /srv/reviews/index            a local index (a generations directory, a shard, a stub)
//   remote 10.0.0.2:33333              a xapian-tcpsrv
//   remote :ssh host xapian-progsrv /srv/reviews/shard-1   a program speaking the remote protocol
//
// Xapian opens the whole file as one database, and when one shard fails its error does not say which. So
// revsearch reads the file too (a few lines of Xapian's documented stub format; Xapian has no API that
// lists a stub's entries), to open the entries one by one, name the ones that fail, and, with
// --allow-partial, open the rest without them.

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <xapian.h>

#include "revsearch/error.hpp"

namespace revsearch {

struct StubEntry {
    std::size_t index = 0;        ///< 0-based, among the entries: the shard's number
    std::size_t line_number = 0;  ///< 1-based, in the stub file
    std::string line;             ///< as written, e.g. "remote 127.0.0.1:33333"
    std::string type;             ///< its first word, "remote" (stub_codec::Line)
    std::string target;           ///< the rest, "127.0.0.1:33333"
};

struct ShardFailure {
    StubEntry shard;
    std::string error;  ///< Xapian's description of what failed
};

/// The entries of the stub file at `path`, in order (blank lines and # comments skipped); empty when `path`
/// is not a regular file (an index directory).
std::vector<StubEntry> read_stub_entries(const std::string& path);

/// Opens one entry as Xapian's stub reader does: `auto|glass|chert PATH` (relative to `stub_dir`),
/// `remote HOST:PORT`, `remote :PROGRAM ARGS`. `connect_timeout_ms` bounds a remote connection.
/// Throws Xapian::Error, or Xapian::InvalidArgumentError for a line it does not know.
Xapian::Database open_stub_entry(const StubEntry& entry, const std::filesystem::path& stub_dir,
                                 unsigned connect_timeout_ms = 10000);

/// Opens each entry on its own and asks it its document count: the entries that fail, with why.
std::vector<ShardFailure> probe_stub_entries(const std::string& stub_path, const std::vector<StubEntry>& entries);

/// "shard 2 of 3 (line 2: remote 127.0.0.1:33333): NetworkError: ...", one per failure, joined by "; ".
std::string describe_failures(const std::vector<ShardFailure>& failures, std::size_t shard_count);

}  // namespace revsearch
