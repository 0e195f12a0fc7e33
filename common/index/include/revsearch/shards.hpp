#pragma once
// Sharded indexes (docs/scaling.md). A generation (generations.hpp) holds either one glass database or N
// shard databases with a Xapian stub listing them:
//
//   DIR/XAPIANDB              "auto gen-000002"                  the live generation, as for one database
//   DIR/gen-000002/XAPIANDB   "auto shard-0\nauto shard-1\n"     Xapian opens a stub inside a stub
//   DIR/gen-000002/shard-0/   glass: the reviews whose id hashes to 0, and the batch ledger (the commit point)
//   DIR/gen-000002/shard-1/   glass: the reviews whose id hashes to 1
//
// Xapian::Database(DIR) reads every shard as one index with merged statistics, so BM25 ranks exactly as one
// database holding the same reviews would. Each shard is also a whole database on its own (language and
// schema version in its metadata): xapian-tcpsrv serves one per shard, and a remote stub lists the servers.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace revsearch::shards {

/// More shards than this is a typo, not a plan: 100 million reviews need about 32 (docs/scaling.md).
inline constexpr unsigned max_shards = 256;

/// "shard-0", "shard-1", ...
std::string shard_name(unsigned index);

/// The shard a review lives in: XXH3-64 of its id, modulo `count`. XXH3's output is fixed by its
/// specification, so the same id lands in the same shard on every machine and in every version: an update
/// always replaces the review where it is.
unsigned shard_of(std::string_view review_id, unsigned count);

/// The stub text of a sharded generation: "auto shard-0\n" ... one line per shard.
std::string shard_stub_text(unsigned count);

/// The glass databases that make up `database` (a generation directory or a legacy index): itself when it
/// is one glass database, else the shards its stub lists, in shard order. Throws std::runtime_error for a
/// stub this code did not write.
std::vector<std::filesystem::path> shard_paths(const std::filesystem::path& database);

/// Creates an empty index at `path` (which must not exist): one glass database for count 1, else `count`
/// empty shard databases and the stub naming them.
void create_empty(const std::filesystem::path& path, unsigned count);

/// Writes the shard stub of `count` shards into `path` (a directory holding shard-0 ... shard-N-1).
void write_shard_stub(const std::filesystem::path& path, unsigned count);

/// Opens each of `paths` for writing with `flags`.
std::vector<Xapian::WritableDatabase> open_writable(const std::vector<std::filesystem::path>& paths, int flags);

}  // namespace revsearch::shards
