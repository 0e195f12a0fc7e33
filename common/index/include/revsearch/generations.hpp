#pragma once
// The index directory as a series of generations, so that a rebuilt or compacted index replaces the live one
// in one atomic step (docs/rebuild.md):
//
//   DIR/XAPIANDB        Xapian stub file, "auto gen-000002": Xapian::Database(DIR) and WritableDatabase(DIR)
//                       open the generation it names (checked on Xapian 1.4.22: a directory holding a stub opens
//                       through it, for writing too, since it names exactly one database)
//   DIR/gen-000002/     the live generation, a plain glass database, or N shards behind a stub (shards.hpp)
//   DIR/gen-000001/     the previous one, kept (--keep) so that a search opened on it just before a switch ends
//   DIR/.building-*     scratch space of a rebuild in progress; a killed rebuild's is removed by the next run
//   DIR/.revindex.lock  index_lock.hpp
//
// A switch writes the new stub beside the old one and rename()s it over it: a reader opening DIR sees the old
// generation or the new one, never a mix. A legacy DIR (a plain glass database, before generations) keeps
// working; its first switch is documented at switch_from_legacy.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "revsearch/error.hpp"

namespace revsearch::generations {

inline constexpr std::string_view stub_file = "XAPIANDB";
inline constexpr std::string_view scratch_prefix = ".building-";
/// The number a legacy glass DIR gets when it is moved aside by its first switch.
inline constexpr unsigned legacy_number = 1;

/// "gen-000002"
std::string generation_name(unsigned number);
/// 2 for "gen-000002"; nullopt for anything else.
std::optional<unsigned> parse_generation_name(std::string_view name);
/// The stub's text: "auto gen-000002\n" (relative to DIR, so the directory can be moved or mounted elsewhere).
std::string stub_text(unsigned number);
/// The generation a stub names, as Xapian reads the stub: "#" comments and blank lines ignored, "auto" or
/// "glass", the generation's name or (given `dir`) its absolute path in `dir`. nullopt for anything else: other
/// backends, other paths, several databases, none.
std::optional<unsigned> parse_stub_text(std::string_view text, const std::filesystem::path& dir = {});

enum class Layout {
    missing,      ///< no index: DIR absent, or neither a stub nor a glass database in it
    legacy,       ///< DIR is a plain glass database (DIR/iamglass); Xapian opens it even beside a stub
    generations,  ///< DIR/XAPIANDB names the live generation
};

struct DirectoryState {
    Layout layout = Layout::missing;
    std::optional<unsigned> live;              ///< the stub's generation (generations layout)
    std::vector<unsigned> generation_dirs;     ///< every gen-NNNNNN directory, ascending
    std::vector<std::filesystem::path> scratch;  ///< .building-* directories and stray stub temp files
    std::vector<std::filesystem::path> legacy_leftovers;  ///< glass files beside a stub: an interrupted legacy move
};

/// What is in DIR. Throws Error (corrupt) for a stub that does not name a generation, and for generations
/// without a stub: every command refuses such a DIR, with a message that says how to restore the stub. The one
/// exception is what a first create_layout killed before its stub leaves, a lone generation of no document: DIR
/// is then missing, that generation listed as scratch.
DirectoryState inspect(const std::filesystem::path& dir);

/// The path of the live database itself: DIR/gen-NNNNNN, or DIR for a legacy one. nullopt when missing.
std::optional<std::filesystem::path> live_database_path(const std::filesystem::path& dir);

/// The number the next generation gets: one past every generation present (the live one and leftovers).
unsigned next_generation_number(const DirectoryState& state);

/// A fresh scratch directory path for this process, DIR/.building-PID-NNNNNN (not created).
std::filesystem::path scratch_path(const std::filesystem::path& dir, unsigned number);

/// Makes DIR hold generation 1, an empty index of `shard_count` shards (one glass database for 1; shards.hpp),
/// and the stub naming it: what `revindex add` creates for a new index. Call with the index lock held, on a
/// DIR whose layout is missing (its scratch, such as a lone empty generation, is removed first).
void create_layout(const std::filesystem::path& dir, unsigned shard_count = 1);

/// Points the stub at `number` (DIR/gen-NNNNNN must exist and be complete): writes DIR/XAPIANDB.tmp-PID,
/// fsyncs it, rename()s it over DIR/XAPIANDB (the atomic step) and fsyncs DIR.
void point_stub_at(const std::filesystem::path& dir, unsigned number);

/// The first switch of a legacy DIR to generation `number`. Moving the glass files into a directory one by one
/// is not atomic, but Xapian prefers DIR/iamglass over DIR/XAPIANDB, so: (1) write the stub naming `number`
/// (readers still open the legacy database); (2) rename DIR/iamglass into DIR/gen-000001/ in one rename(): from
/// that instant DIR opens through the stub, and the legacy database is no longer visible to a new reader;
/// (3) move the remaining glass files after it, making gen-000001 a whole copy of the old index (a reader that
/// had it open keeps its file descriptors). A crash after (2) leaves glass files beside the stub, which
/// finish_interrupted_work moves on.
void switch_from_legacy(const std::filesystem::path& dir, unsigned number);

/// What the last rebuild or compact left behind when killed: scratch directories and stub temp files
/// (removed), glass files of an interrupted legacy move (moved into gen-000001, or removed when there is
/// none), generation directories newer than the live one (never switched to: removed). Returns a line per
/// thing done, for the log. Call with the index lock held.
std::vector<std::string> finish_interrupted_work(const std::filesystem::path& dir);

/// Removes scratch only (.building-* and stub temp files): what any command that takes the index lock does
/// first, so that a killed add --jobs or a killed stream copy does not wait for a rebuild to be cleaned.
/// Generations are left to finish_interrupted_work. Returns a line per thing removed. Call with the lock held.
std::vector<std::string> remove_stale_scratch(const std::filesystem::path& dir);

/// Removes generations older than the live one beyond the `keep` - 1 newest of them (`keep` counts the live
/// one; at least 1). Returns the numbers removed.
std::vector<unsigned> remove_old_generations(const std::filesystem::path& dir, unsigned keep);

/// Renames a finished scratch database to DIR/gen-NNNNNN and fsyncs DIR.
void promote_scratch(const std::filesystem::path& dir, const std::filesystem::path& scratch, unsigned number);

}  // namespace revsearch::generations
