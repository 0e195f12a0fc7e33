#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "revsearch/batch_ledger.hpp"
#include "revsearch/bulk_loader.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/shards.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace revsearch;

namespace {

const std::string page = std::string(REVSEARCH_CORPORA) + "/pusher-ii-2004.txt";               // 25 reviews
const std::string books = std::string(REVSEARCH_CORPORA) + "/blitzer-books-positive-100.review";  // 100

/// The id of every document of `database`, by shard.
std::map<std::string, std::size_t> shard_of_each_id(const fs::path& generation) {
    std::map<std::string, std::size_t> where;
    const auto paths = shards::shard_paths(generation);
    for (std::size_t i = 0; i < paths.size(); ++i) {
        Xapian::Database shard(paths[i].string());
        const std::string prefix = DocumentBuilder::id_term("");
        for (auto term = shard.allterms_begin(prefix); term != shard.allterms_end(prefix); ++term)
            where[(*term).substr(prefix.size())] = i;
    }
    return where;
}

}  // namespace

TEST_CASE("shard_of is XXH3-64 of the id modulo the count: fixed across machines and versions") {
    struct Row {
        const char* id;
        unsigned count;
        unsigned expected;
    };
    // Pinned values: changing them would send updates to other shards than the reviews they update. The
    // empty id checks against XXH3's published vector, XXH3_64bits("") = 0x2D06800538D394C2.
    const Row rows[] = {
        {"", 2, 0x2D06800538D394C2ULL % 2}, {"", 3, 0x2D06800538D394C2ULL % 3}, {"", 16, 0x2D06800538D394C2ULL % 16},
        {"cd9b5478b1ac65d2", 1, 0}, {"cd9b5478b1ac65d2", 2, 0}, {"cd9b5478b1ac65d2", 3, 2},
        {"3c8b913716a95aca", 2, 0}, {"3c8b913716a95aca", 4, 2}, {"B00004Y2UT:A3FP9YX9OL8CIF", 16, 11},
    };
    for (const auto& row : rows) {
        CAPTURE(row.id);
        CAPTURE(row.count);
        CHECK(shards::shard_of(row.id, row.count) == row.expected);
    }
    CHECK(shards::shard_of("anything", 0) == 0);
}

TEST_CASE("a sharded generation is N glass databases behind a stub that Xapian reads as one index") {
    TempDir dir("shards");
    const fs::path generation = dir.path / "gen-000001";
    shards::create_empty(generation, 3);
    CHECK(shards::shard_stub_text(3) == "auto shard-0\nauto shard-1\nauto shard-2\n");
    const auto paths = shards::shard_paths(generation);
    REQUIRE(paths.size() == 3);
    CHECK(paths[2] == generation / "shard-2");
    CHECK(fs::exists(paths[0] / "iamglass"));
    CHECK(Xapian::Database(generation.string()).get_doccount() == 0);

    shards::create_empty(dir.path / "plain", 1);
    CHECK(shards::shard_paths(dir.path / "plain") == std::vector<fs::path>{dir.path / "plain"});

    std::ofstream(generation / "XAPIANDB") << "auto shard-0\nremote 10.0.0.1:7000\n";
    CHECK_THROWS_AS(shards::shard_paths(generation), std::runtime_error);
}

TEST_CASE("add into N shards: every review in the shard its id hashes to, the ledger in shard 0, one index to read") {
    TempDir dir("shards-add");
    const std::string db = (dir.path / "index").string();
    {
        auto databases = open_shards_for_writing(db, std::chrono::milliseconds(0), OpenMode::create_or_open, 3);
        REQUIRE(databases.size() == 3);
        for (auto& database : databases) settle_index_language(database, std::nullopt);
        IndexWriter writer(databases, "english");
        CHECK(writer.add_batch(page, {}, {}).added == 25);
        CHECK(writer.add_batch(books, {}, {}).added == 100);
        // Read again: skipped by the ledger, which shard 0 holds.
        CHECK(writer.add_batch(page, {}, {}).status == BatchOutcome::Status::skipped);
    }
    CHECK(shard_count_of(db) == 3);
    const fs::path live = *generations::live_database_path(db);
    const auto where = shard_of_each_id(live);
    CHECK(where.size() == 125);
    for (const auto& entry : where) {
        const auto& [id, shard] = entry;
        CAPTURE(entry.first);  // not the binding: clang 14 cannot capture structured bindings in CAPTURE's lambda
        CHECK(shard == shards::shard_of(id, 3));
    }
    const auto paths = shards::shard_paths(live);
    CHECK(read_ledger(Xapian::Database(paths[0].string())).size() == 2);
    CHECK(read_ledger(Xapian::Database(paths[1].string())).empty());
    for (const auto& path : paths)
        CHECK(Xapian::Database(path.string()).get_metadata(std::string(schema::meta_language)) == "english");

    Xapian::Database all(db);
    CHECK(all.get_doccount() == 125);
    CHECK(read_ledger(all).size() == 2);  // through the stubs: the first shard's metadata

    // The unsharded opener refuses a sharded index rather than writing into one shard.
    CHECK_THROWS_AS(open_index_for_writing(db, std::chrono::milliseconds(0)), Xapian::InvalidOperationError);
}

TEST_CASE("the bulk loader builds the same shards as the index writer") {
    TempDir dir("shards-bulk");
    const fs::path bulk = dir.path / "bulk";
    BulkLoader loader("english", 2, 3);
    CHECK(loader.jobs() == 3);  // at least one part per shard
    const auto stats = loader.load_files(bulk.string(), {page, books}, BatchOptions{}, {});
    CHECK(stats.added == 125);
    REQUIRE(shards::shard_paths(bulk).size() == 3);
    for (const auto& entry : shard_of_each_id(bulk)) {
        const auto& [id, shard] = entry;
        CAPTURE(entry.first);
        CHECK(shard == shards::shard_of(id, 3));
    }
    CHECK(read_ledger(Xapian::Database(shards::shard_paths(bulk)[0].string())).size() == 2);
    for (const auto& path : shards::shard_paths(bulk))
        CHECK(Xapian::Database(path.string()).get_metadata(std::string(schema::meta_language)) == "english");
}
