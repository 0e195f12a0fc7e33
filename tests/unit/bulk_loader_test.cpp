#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>
#include <xapian.h>

#include "error_kind.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/batch_ledger.hpp"
#include "revsearch/bulk_loader.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/schema.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace revsearch;

namespace {

/// The project's real samples, one of them named twice (the second time must be skipped, as `revindex add`
/// skips it).
std::vector<std::string> real_sample_paths() {
    const fs::path corpora = REVSEARCH_CORPORA;
    return {(corpora / "mcauley-all-beauty-5core-300.json").string(),
            (corpora / "blitzer-books-positive-100.review").string(), (corpora / "pusher-ii-2004.txt").string(),
            (corpora / "fine-food-reviews-300.csv").string(), (corpora / "mcauley-all-beauty-5core-300.json").string()};
}

std::string review_line(const std::string& id, const std::string& body, int helpful_yes) {
    Review review;
    review.id = id;
    review.body = body;
    review.headline = "about " + id;
    review.helpful_yes = helpful_yes;
    review.helpful_total = 10;
    return to_json_line(review);
}

/// Repeated ids, as re-scraped data has them: within one file and across files, the same data again
/// (unchanged) and new votes (updated). The later file is read after the real samples.
std::vector<std::string> with_repeats(const fs::path& dir) {
    std::ofstream(dir / "first.jsonl") << review_line("r1", "a gripping heist film", 1) << '\n'
                                        << review_line("r2", "slow but honest", 2) << '\n'
                                        << review_line("r1", "a gripping heist film", 1) << '\n';
    std::ofstream(dir / "later.jsonl") << review_line("r2", "slow but honest", 5) << '\n'
                                        << review_line("r1", "a gripping heist film", 1) << '\n'
                                        << review_line("r3", "heist heist heist", 0) << '\n';
    auto paths = real_sample_paths();
    paths.insert(paths.begin(), (dir / "first.jsonl").string());
    paths.push_back((dir / "later.jsonl").string());
    return paths;
}

/// Everything a document holds except its number: terms with wdf and positions, values, data.
std::string document_fingerprint(const Xapian::Document& doc) {
    std::ostringstream out;
    for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
        out << *term << ':' << term.get_wdf() << '@';
        for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) out << *pos << ',';
        out << ' ';
    }
    for (auto value = doc.values_begin(); value != doc.values_end(); ++value)
        out << '#' << value.get_valueno() << '=' << *value;
    out << '|' << doc.get_data();
    return out.str();
}

/// The whole index as comparable text: documents by id term, spelling table, metadata (ledger times left out).
struct IndexContents {
    std::map<std::string, std::string> documents;
    std::map<std::string, Xapian::doccount> spellings;
    std::map<std::string, std::string> metadata;
};

IndexContents contents_of(const std::string& path) {
    Xapian::Database db(path);
    IndexContents contents;
    const std::string q(schema::id_prefix);
    for (auto term = db.allterms_begin(q); term != db.allterms_end(q); ++term) {
        REQUIRE(term.get_termfreq() == 1);
        contents.documents[*term] = document_fingerprint(db.get_document(*db.postlist_begin(*term)));
    }
    for (auto word = db.spellings_begin(); word != db.spellings_end(); ++word)
        contents.spellings[*word] = word.get_termfreq();
    for (auto key = db.metadata_keys_begin(); key != db.metadata_keys_end(); ++key) {
        std::string value = db.get_metadata(*key);
        if (auto entry = parse_ledger_json(value)) {
            entry->time.clear();
            value = to_ledger_json(*entry);
        }
        contents.metadata[*key] = value;
    }
    return contents;
}

BatchOptions detect_formats() { return BatchOptions{}; }

std::string load_serially(const fs::path& target, const std::vector<std::string>& paths) {
    auto db = open_index_for_writing(target.string(), std::chrono::milliseconds(0));
    IndexWriter writer(db, settle_index_language(db, std::nullopt));
    for (const auto& path : paths) writer.add_batch(path, detect_formats(), {});
    writer.close();
    return target.string();
}

}  // namespace

TEST_CASE("bulk load builds the index `revindex add` builds from the same files, with any number of parts") {
    TempDir dir("same");
    const auto paths = with_repeats(dir.path);
    const IndexContents serial = contents_of(load_serially(dir.path / "serial", paths));
    REQUIRE(serial.documents.size() > 500);
    REQUIRE(serial.metadata.size() == 3 + 6);  // language, schema, sequence, one ledger entry per distinct file

    for (unsigned jobs : {1u, 2u, 3u}) {
        CAPTURE(jobs);
        const fs::path target = dir.path / ("bulk-" + std::to_string(jobs));
        std::vector<Problem> problems;
        BulkLoader loader("english", jobs);
        const BulkLoadStats stats =
            loader.load_files(target.string(), paths, detect_formats(),
                              [&](const Problem& problem) { problems.push_back(problem); });
        CHECK(stats.files == 6);
        CHECK(stats.skipped_files == 1);
        CHECK(stats.added == serial.documents.size());
        CHECK(stats.records == stats.added + stats.updated + stats.unchanged);
        CHECK(stats.unchanged == 2);  // r1 twice
        CHECK(stats.updated == 1);    // r2's new votes
        CHECK(stats.text_bytes > 0);

        const IndexContents bulk = contents_of(target.string());
        CHECK(bulk.metadata == serial.metadata);
        CHECK(bulk.spellings == serial.spellings);
        REQUIRE(bulk.documents.size() == serial.documents.size());
        std::size_t differing = 0;
        for (const auto& [id, fingerprint] : serial.documents) differing += bulk.documents.at(id) != fingerprint;
        CHECK(differing == 0);
        for (const auto& entry : fs::directory_iterator(dir.path))  // the work directory is gone
            CHECK(entry.path().filename().string().front() != '.');
    }
    const IndexContents bulk = contents_of((dir.path / "bulk-2").string());
    CHECK(bulk.documents.at(DocumentBuilder::id_term("r2")).find("\"helpful_yes\":5") != std::string::npos);
}

TEST_CASE("bulk-loaded index answers phrase queries (positions are kept)") {
    TempDir dir("phrase");
    BulkLoader("english", 2).load_files((dir.path / "db").string(), real_sample_paths(), detect_formats(), {});
    Xapian::Database db((dir.path / "db").string());
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_PHRASE, Xapian::Query("mad"), Xapian::Query("mikkelsen")));
    CHECK(enquire.get_mset(0, 10).size() > 0);
    CHECK(db.has_positions());
}

TEST_CASE("bulk load refuses a target that holds anything, and leaves it alone") {
    TempDir dir("refuse");
    const fs::path occupied = dir.path / "occupied";
    fs::create_directories(occupied);
    std::ofstream(occupied / "keep.txt") << "mine";
    BulkLoader loader("english", 2);
    CHECK(error_kind_of([&] { loader.load_files(occupied.string(), real_sample_paths(), detect_formats(), {}); }) ==
          ErrorKind::refused);
    CHECK(fs::exists(occupied / "keep.txt"));
    CHECK(std::distance(fs::directory_iterator(occupied), fs::directory_iterator()) == 1);

    CHECK(is_empty_target((dir.path / "absent").string()));
    fs::create_directories(dir.path / "empty");
    CHECK(is_empty_target((dir.path / "empty").string()));
    CHECK_FALSE(is_empty_target(occupied.string()));
    // An empty directory is accepted and filled.
    loader.load_files((dir.path / "empty").string(), real_sample_paths(), detect_formats(), {});
    CHECK(Xapian::Database((dir.path / "empty").string()).get_doccount() > 0);
}

TEST_CASE("bulk load: an unknown language is refused before anything is created") {
    CHECK_THROWS_AS(BulkLoader("klingon", 2), std::invalid_argument);
}

TEST_CASE("bulk load from a producer: the ledger as given; a failing producer leaves no index and no work dir") {
    TempDir dir("producer");
    const fs::path target = dir.path / "db";
    BulkLoader loader("danish", 2);
    const BatchLedgerEntry entry{"/data/old.jsonl", std::string(32, 'a'), 3, 0, "2026-11-22T08:31:10Z", "", "", 0, "", "", ""};
    auto produce = [](const BulkLoader::Emit& emit) {
        for (int i = 0; i < 3; ++i) {
            Review review;
            review.id = "r" + std::to_string(i);
            review.body = "Anmeldelse nummer " + std::to_string(i) + " af filmen";
            emit(std::move(review), "/data/old.jsonl");
        }
    };
    const auto stats = loader.load(target.string(), produce, {entry});
    CHECK(stats.added == 3);
    Xapian::Database db(target.string());
    CHECK(db.get_metadata(std::string(schema::meta_language)) == "danish");
    CHECK(read_ledger_entry(db, "/data/old.jsonl") == entry);
    CHECK(db.get_termfreq(schema::source_term("/data/old.jsonl")) == 3);

    const fs::path failed = dir.path / "failed";
    auto failing = [&](const BulkLoader::Emit& emit) {
        produce(emit);
        for (int i = 0; i < 5000; ++i) {  // enough to fill the part queues, so both sides must stop cleanly
            Review review;
            review.id = "many" + std::to_string(i);
            review.body = "text";
            emit(std::move(review), "/x");
        }
        throw std::runtime_error("the source went away");
    };
    CHECK_THROWS_WITH_AS(loader.load(failed.string(), failing), "the source went away", std::runtime_error);
    CHECK_FALSE(fs::exists(failed));
    std::set<std::string> left;
    for (const auto& entry_path : fs::directory_iterator(dir.path)) left.insert(entry_path.path().filename().string());
    CHECK(left == std::set<std::string>{"db"});
}
