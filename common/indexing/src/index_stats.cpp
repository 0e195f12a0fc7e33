#include "revsearch/index_stats.hpp"

#include <algorithm>
#include <filesystem>

#include <sys/stat.h>

#include "revsearch/batch_ledger.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/shards.hpp"

namespace revsearch {

namespace {

std::uintmax_t bytes_on_disk(const std::string& path) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code size_ec;
        if (it->is_regular_file(size_ec)) {
            const auto size = it->file_size(size_ec);
            if (!size_ec) total += size;
        }
    }
    return total;
}

/// Allocated bytes under `path` (a file or a directory, symbolic links not followed), as du(1) counts them.
std::uintmax_t disk_use(const std::filesystem::path& path) {
    const auto allocated = [](const std::filesystem::path& file) -> std::uintmax_t {
        struct stat status {};
        return ::lstat(file.c_str(), &status) == 0 ? static_cast<std::uintmax_t>(status.st_blocks) * 512 : 0;
    };
    std::uintmax_t total = allocated(path);
    std::error_code ec;
    if (!std::filesystem::is_directory(std::filesystem::symlink_status(path, ec))) return total;
    for (std::filesystem::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
        total += allocated(it->path());
    return total;
}

/// The directory's disk use, parted as DiskUse says. A legacy index (DIR itself the live database) has no
/// generations: all of it is live.
DiskUse disk_use_of(const std::filesystem::path& dir, const std::filesystem::path& live) {
    DiskUse disk;
    disk.total = disk_use(dir);
    disk.live = live == dir ? disk.total : disk_use(live);
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return disk;
    const auto state = generations::inspect(dir);
    for (const unsigned number : state.generation_dirs) {
        if (state.live && number == *state.live) continue;
        disk.kept_generations += disk_use(dir / generations::generation_name(number));
        ++disk.kept_generation_count;
    }
    disk.inputs = disk_use(dir / "inputs");
    return disk;
}

/// Distinct terms: Xapian 1.4 keeps no count of them, so they are walked (fast: the term list is sorted
/// on disk, a few hundred thousand terms take well under a second).
std::size_t distinct_terms(const Xapian::Database& db) {
    std::size_t count = 0;
    for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) ++count;
    return count;
}

std::optional<std::string> unless_empty(std::string text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(std::move(text));
}

}  // namespace

IndexStats inspect_index(const std::string& db_path) {
    IndexStats stats;
    stats.path = db_path;
    Xapian::Database db(db_path);
    std::string last_change;
    for (const auto& entry : read_ledger(db)) {
        stats.sources.push_back({entry.path, db.get_termfreq(schema::source_term(entry.path)), entry.records,
                                 entry.rejected, entry.hash, entry.time});
        last_change = std::max(last_change, entry.time);  // ISO 8601 UTC sorts as text
    }
    stats.last_change = unless_empty(last_change);
    stats.schema = unless_empty(db.get_metadata(std::string(schema::meta_schema_version)));
    stats.language = db.get_metadata(std::string(schema::meta_language));
    stats.documents = db.get_doccount();
    stats.terms = distinct_terms(db);
    // The live generation (generations.hpp), or the path itself for a legacy index or a stub file.
    const std::filesystem::path live =
        generations::live_database_path(db_path).value_or(std::filesystem::path(db_path));
    stats.generation = live.filename().string();
    const auto shard_paths = std::filesystem::is_directory(live) ? shards::shard_paths(live)
                                                                 : std::vector<std::filesystem::path>{live};
    for (std::size_t i = 0; i < shard_paths.size(); ++i) {
        const Xapian::Database shard(shard_paths[i].string());
        ShardStats shard_stats{i, shard_paths[i].string(), shard.get_doccount(), bytes_on_disk(shard_paths[i].string()),
                               shard.get_revision()};
        stats.bytes += shard_stats.bytes;
        stats.shards.push_back(std::move(shard_stats));
    }
    stats.revision = stats.shards.front().revision;
    stats.disk = disk_use_of(std::filesystem::path(db_path), live);
    return stats;
}

}  // namespace revsearch
