#include "revsearch/index_stats.hpp"

#include <algorithm>
#include <filesystem>

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
    return stats;
}

}  // namespace revsearch
