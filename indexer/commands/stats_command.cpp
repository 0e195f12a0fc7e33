// revindex stats: what the index holds, from Xapian's statistics and the batch ledger.

#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "revsearch/batch_ledger.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/shards.hpp"

namespace revindex {

namespace po = boost::program_options;
namespace exit_code = revsearch::exit_code;

namespace {

constexpr const char* stats_usage = R"(usage: revindex stats [--db DIR] [--json]

Describes the index: documents, distinct terms, bytes on disk, language, schema version, revision, and each
batch file in the ledger with its document count and when it was indexed, and each shard (docs/scaling.md)
with its documents and bytes. Bytes count the live generation only, not the previous ones kept by a rebuild.
--json prints one JSON object with the keys documents, terms, bytes, batches, language, schema, revision,
last_change, sources, generation and shards ([{"shard", "path", "documents", "bytes", "revision"}], one
for an unsharded index).

Exit codes:
  0  success
  2  error: bad option, no index at the path, an unreadable index

Options)";

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

}  // namespace

int run_stats(const std::vector<std::string>& args) {
    std::optional<std::string> db_flag;
    po::options_description options(stats_usage);
    options.add_options()
        ("help,h", "print this help")
        ("db", po::value<std::string>()->notifier([&](const std::string& v) { db_flag = v; }), "the index directory")
        ("json", "one JSON object on stdout");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "revindex stats: " << e.what() << "\n" << options;
        return exit_code::error;
    }
    if (vm.count("help")) {
        std::cout << options;
        return exit_code::ok;
    }

    const std::string db_path = revsearch::resolve_db_path(db_flag);
    nlohmann::json stats;
    try {
        Xapian::Database db(db_path);
        const auto ledger = revsearch::read_ledger(db);
        nlohmann::json sources = nlohmann::json::array();
        std::string last_change;
        for (const auto& entry : ledger) {
            sources.push_back({{"path", entry.path},
                               {"documents", db.get_termfreq(revsearch::schema::source_term(entry.path))},
                               {"records", entry.records},
                               {"rejected", entry.rejected},
                               {"hash", entry.hash},
                               {"time", entry.time}});
            last_change = std::max(last_change, entry.time);  // ISO 8601 UTC sorts as text
        }
        const std::string schema_version = db.get_metadata(std::string(revsearch::schema::meta_schema_version));
        // The live generation (generations.hpp), or the path itself for a legacy index or a stub file.
        const std::filesystem::path live =
            revsearch::generations::live_database_path(db_path).value_or(std::filesystem::path(db_path));
        nlohmann::json shards = nlohmann::json::array();
        std::uintmax_t bytes = 0;
        const auto shard_paths = std::filesystem::is_directory(live) ? revsearch::shards::shard_paths(live)
                                                                     : std::vector<std::filesystem::path>{live};
        for (std::size_t i = 0; i < shard_paths.size(); ++i) {
            const std::uintmax_t shard_bytes = bytes_on_disk(shard_paths[i].string());
            bytes += shard_bytes;
            const Xapian::Database shard(shard_paths[i].string());
            shards.push_back({{"shard", i},
                              {"path", shard_paths[i].string()},
                              {"documents", shard.get_doccount()},
                              {"bytes", shard_bytes},
                              {"revision", shard.get_revision()}});
        }
        stats = {{"path", db_path},
                 {"documents", db.get_doccount()},
                 {"terms", distinct_terms(db)},
                 {"bytes", bytes},
                 {"batches", ledger.size()},
                 {"language", db.get_metadata(std::string(revsearch::schema::meta_language))},
                 {"schema", schema_version.empty() ? nlohmann::json(nullptr) : nlohmann::json(schema_version)},
                 // Shard 0 commits last in every batch (shards.hpp): its revision is the index's.
                 {"revision", shards.front()["revision"]},
                 {"last_change", last_change.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_change)},
                 {"sources", sources},
                 {"generation", live.filename().string()},
                 {"shards", shards}};
    } catch (const Xapian::DatabaseOpeningError& e) {
        std::cerr << "revindex stats: no index at " << db_path << " (" << e.get_msg() << ")\n";
        return exit_code::error;
    } catch (const Xapian::Error& e) {
        std::cerr << "revindex stats: index at " << db_path << ": " << e.get_description() << "\n";
        return exit_code::error;
    } catch (const std::exception& e) {  // a stub naming no generation of this index (generations.hpp), I/O
        std::cerr << "revindex stats: " << e.what() << "\n";
        return exit_code::error;
    }

    const auto replace = nlohmann::json::error_handler_t::replace;
    if (vm.count("json")) {
        std::cout << stats.dump(-1, ' ', false, replace) << '\n';
        return exit_code::ok;
    }
    auto text = [](const nlohmann::json& value) {
        return value.is_null() ? std::string("-") : value.get<std::string>();
    };
    std::cout << fmt::format("index        {}\n", stats["path"].get<std::string>())
              << fmt::format("documents    {}\n", stats["documents"].get<Xapian::doccount>())
              << fmt::format("terms        {}\n", stats["terms"].get<std::size_t>())
              << fmt::format("bytes        {} ({:.1f} MB)\n", stats["bytes"].get<std::uintmax_t>(),
                             static_cast<double>(stats["bytes"].get<std::uintmax_t>()) / 1e6)
              << fmt::format("language     {}\n", stats["language"].get<std::string>())
              << fmt::format("schema       {}\n", text(stats["schema"]))
              << fmt::format("revision     {}\n", stats["revision"].get<Xapian::rev>())
              << fmt::format("last change  {}\n", text(stats["last_change"]))
              << fmt::format("batches      {}\n", stats["batches"].get<std::size_t>());
    for (const auto& source : stats["sources"]) {
        std::cout << fmt::format("  {:>8} documents  {}  {}\n", source["documents"].get<Xapian::doccount>(),
                                 source["time"].get<std::string>(), source["path"].get<std::string>());
    }
    std::cout << fmt::format("shards       {}\n", stats["shards"].size());
    for (const auto& shard : stats["shards"]) {
        std::cout << fmt::format("  {:>8} documents  {:>8.1f} MB  {}\n", shard["documents"].get<Xapian::doccount>(),
                                 static_cast<double>(shard["bytes"].get<std::uintmax_t>()) / 1e6,
                                 shard["path"].get<std::string>());
    }
    return exit_code::ok;
}

}  // namespace revindex
