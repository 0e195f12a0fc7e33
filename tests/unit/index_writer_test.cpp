#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>
#include <xapian.h>

#include "error_kind.hpp"
#include "revsearch/batch_ledger.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/review.hpp"
#include "revsearch/review_id.hpp"
#include "revsearch/schema.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace revsearch;

namespace {

std::string review_line(const std::string& id, const std::string& body, int helpful_yes = 1) {
    Review review;
    review.id = id;
    review.body = body;
    review.headline = "headline of " + id;
    review.helpful_yes = helpful_yes;
    review.helpful_total = 10;
    return to_json_line(review);
}

void write_file(const fs::path& path, const std::vector<std::string>& lines) {
    std::ofstream out(path, std::ios::binary);
    for (const auto& line : lines) out << line << '\n';
}

std::string stored_data(const Xapian::Database& db, const std::string& id) {
    const std::string term = DocumentBuilder::id_term(id);
    auto posting = db.postlist_begin(term);
    if (posting == db.postlist_end(term)) return {};
    return db.get_document(*posting).get_data();
}

std::vector<Problem> ignore_problems;
ProblemSink collect_to(std::vector<Problem>& problems) {
    return [&problems](const Problem& problem) { problems.push_back(problem); };
}

BatchOptions jsonl_options(bool strict = false) {
    BatchOptions options;
    options.format = Format::jsonl;
    options.strict = strict;
    return options;
}

/// Review r1 read from /a.jsonl line 1, with 3 of 4 helpful votes: what the upsert tests add, change and re-add.
Review voted_review() {
    Review review;
    review.id = "r1";
    review.source = "/a.jsonl:1";
    review.body = "Mads Mikkelsen as Tonny";
    review.helpful_yes = 3;
    review.helpful_total = 4;
    return review;
}

/// Every term of `doc` with its wdf and positions, every value and the data: two documents that describe alike
/// index, filter, rank and print alike.
std::string describe(const Xapian::Document& doc) {
    std::string out;
    for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
        out += *term + " wdf " + std::to_string(term.get_wdf()) + " at";
        for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos)
            out += " " + std::to_string(*pos);
        out += "\n";
    }
    for (auto value = doc.values_begin(); value != doc.values_end(); ++value)
        out += "value " + std::to_string(value.get_valueno()) + " " + *value + "\n";
    return out + doc.get_data();
}

Xapian::Document stored_document(const Xapian::Database& db, const std::string& id) {
    return db.get_document(*db.postlist_begin(DocumentBuilder::id_term(id)));
}

}  // namespace

TEST_CASE("ledger entries round-trip through JSON; damaged ones are ignored") {
    BatchLedgerEntry entry{"/data/a b.jsonl", std::string(32, 'f'), 25, 1, "2026-11-22T08:31:10Z", "csv",
                           "body=Text,rating=Score", 7, "", "", ""};
    CHECK(parse_ledger_json(to_ledger_json(entry)) == entry);
    // Entries written before format and csv_map were recorded read as detected, default mapping.
    const auto old = parse_ledger_json(
        R"({"path":"/x","hash":"00","records":1,"rejected":0,"time":"2026-11-22T08:31:10Z"})");
    REQUIRE(old.has_value());
    CHECK(old->format.empty());
    CHECK(old->csv_map.empty());
    CHECK_FALSE(parse_ledger_json("not json").has_value());
    CHECK_FALSE(parse_ledger_json(R"({"path": "/x"})").has_value());
    CHECK_FALSE(parse_ledger_json("").has_value());
    CHECK(ledger_key("/x") == std::string(schema::meta_batch_prefix) + "/x");
}

TEST_CASE("a rebuild reads a batch with the format and CSV mapping it was added with") {
    BatchOptions added;
    added.format = Format::csv;
    added.csv_map = "body=Text";
    added.reader.csv = CsvMapping::parse(added.csv_map);
    const auto entry = make_ledger_entry("/data/f.csv", std::string(32, 'a'), InputStats{}, added);
    CHECK(entry.format == "csv");
    CHECK(entry.csv_map == "body=Text");
    const BatchOptions again = options_from_ledger(entry);
    CHECK(again.format == Format::csv);
    CHECK(again.csv_map == "body=Text");
    CHECK(again.reader.csv.body == added.reader.csv.body);
    CHECK_FALSE(options_from_ledger(make_ledger_entry("/data/g.txt", "", InputStats{}, BatchOptions{})).format);
    auto unknown = entry;
    unknown.format = "klingon";
    CHECK_THROWS_AS(options_from_ledger(unknown), std::invalid_argument);
}

TEST_CASE("file_content_hash streams to the same value as content_hash of the bytes") {
    TempDir dir("hash");
    const fs::path file = dir.path / "big.bin";
    std::string bytes;
    for (int i = 0; i < 200'000; ++i) bytes += static_cast<char>(i * 7);  // spans several read buffers
    std::ofstream(file, std::ios::binary) << bytes;
    CHECK(file_content_hash(file.string()) == content_hash(bytes));
    CHECK(file_content_hash(file.string()).size() == 32);
    CHECK_THROWS_AS(file_content_hash((dir.path / "missing").string()), std::runtime_error);
}

TEST_CASE("upsert: added, unchanged when only the source differs, updated when the data changes") {
    TempDir dir("upsert");
    auto db = open_index_for_writing((dir.path / "db").string(), std::chrono::milliseconds(0));
    IndexWriter writer(db, "english");
    Review review = voted_review();
    CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::added);
    review.source = "/b.jsonl:7";
    CHECK(writer.upsert(review, "/b.jsonl") == UpsertResult::unchanged);
    review.helpful_yes = 4;
    CHECK(writer.upsert(review, "/b.jsonl") == UpsertResult::updated);
    db.commit();
    CHECK(db.get_doccount() == 1);
    CHECK(stored_data(db, "r1") == to_json_line(review));
    CHECK(db.get_termfreq(schema::source_term("/b.jsonl")) == 1);
    CHECK(db.get_termfreq(schema::source_term("/a.jsonl")) == 0);
}

TEST_CASE("upsert of a review read again with the same text stores what a new document would, positions kept") {
    // A page scraped again: new votes and rating, another batch file. The stored document is refreshed (values,
    // data, source term) instead of replaced by a new one, which spares Xapian every posting and position list of
    // its words (docs/indexing.md); what is stored must be exactly what build() makes.
    TempDir dir("upsert-refresh");
    auto db = open_index_for_writing((dir.path / "db").string(), std::chrono::milliseconds(0));
    IndexWriter writer(db, "english");
    Review review = voted_review();
    review.headline = "Pusher II";
    review.author = "Søren";
    review.item = "Pusher II";
    review.body = "Mads Mikkelsen as Tonny, heroin and a toilet";
    CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::added);
    db.commit();
    DocumentBuilder builder("english");

    SUBCASE("new votes, rating and date from another batch file") {
        review.source = "/b.jsonl:3";
        review.helpful_yes = 40;
        review.helpful_total = 41;
        review.rating = 9;
        review.rating_max = 10;
        review.date = "2024-05-01";
        CHECK(writer.upsert(review, "/b.jsonl") == UpsertResult::updated);
        db.commit();
        CHECK(describe(stored_document(db, "r1")) == describe(builder.build(review, "/b.jsonl")));
        CHECK(db.get_termfreq(schema::source_term("/a.jsonl")) == 0);
        CHECK(db.get_termfreq(schema::source_term("/b.jsonl")) == 1);
    }
    SUBCASE("new votes from the same batch file, a value dropped") {
        review.source = "/a.jsonl:1";
        review.helpful_yes.reset();
        review.helpful_total.reset();
        CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::updated);
        db.commit();
        CHECK(describe(stored_document(db, "r1")) == describe(builder.build(review, "/a.jsonl")));
    }
    SUBCASE("a changed headline moves every position: a new document") {
        review.headline = "Pusher II: the sequel";
        CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::updated);
        db.commit();
        CHECK(describe(stored_document(db, "r1")) == describe(builder.build(review, "/a.jsonl")));
    }
    SUBCASE("in the batch that added it, before any commit") {
        review.id = "r2";
        CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::added);
        review.helpful_yes = 7;
        review.helpful_total = 9;
        CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::updated);
        CHECK(describe(stored_document(db, "r2")) == describe(builder.build(review, "/a.jsonl")));
        db.commit();
        CHECK(describe(stored_document(db, "r2")) == describe(builder.build(review, "/a.jsonl")));
    }
    CHECK(db.get_doccount() == (db.get_termfreq(DocumentBuilder::id_term("r2")) ? 2u : 1u));
}

TEST_CASE("upsert tells an unchanged review by its record hash, without reading the stored record") {
    TempDir dir("upsert-hash");
    auto db = open_index_for_writing((dir.path / "db").string(), std::chrono::milliseconds(0));
    Review review = voted_review();
    DocumentBuilder builder("english");
    {
        // Stored data that is not a review at all: only the hash slot can say the review is unchanged.
        Xapian::Document doc = builder.build(review, "/a.jsonl");
        doc.set_data("not the record");
        db.add_document(doc);
    }
    IndexWriter writer(db, "english");
    review.source = "/b.jsonl:7";
    CHECK(writer.upsert(review, "/b.jsonl") == UpsertResult::unchanged);
    review.helpful_total = 5;
    CHECK(writer.upsert(review, "/b.jsonl") == UpsertResult::updated);
    CHECK(stored_data(db, "r1") == to_json_line(review));
}

TEST_CASE("upsert of a document written before the record hash slot compares the stored record") {
    TempDir dir("upsert-old");
    auto db = open_index_for_writing((dir.path / "db").string(), std::chrono::milliseconds(0));
    Review review = voted_review();
    review.helpful_yes.reset();
    review.helpful_total.reset();
    DocumentBuilder builder("english");
    {
        Xapian::Document doc = builder.build(review, "/a.jsonl");
        doc.remove_value(schema::record_hash);
        db.add_document(doc);
    }
    IndexWriter writer(db, "english");
    CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::unchanged);
    review.rating = 8;
    review.rating_max = 10;
    CHECK(writer.upsert(review, "/a.jsonl") == UpsertResult::updated);
    // The replacement carries the slot.
    const std::string term = DocumentBuilder::id_term("r1");
    CHECK(db.get_document(*db.postlist_begin(term)).get_value(schema::record_hash) ==
          DocumentBuilder::record_hash(review));
}

TEST_CASE("add_batch: one file, counted; the same file again is skipped; a changed file is upserted") {
    TempDir dir("batch");
    const fs::path batch = dir.path / "batch.jsonl";
    write_file(batch, {review_line("a", "first review"), review_line("b", "second review"),
                       review_line("a", "first review")});  // read twice, stored once
    auto db = open_index_for_writing((dir.path / "index" / "db").string(), std::chrono::milliseconds(0));
    CHECK(settle_index_language(db, std::nullopt) == "english");
    IndexWriter writer(db, "english");

    auto first = writer.add_batch(batch.string(), jsonl_options(), collect_to(ignore_problems));
    CHECK(first.status == BatchOutcome::Status::indexed);
    CHECK(first.input.records == 3);
    CHECK(first.added == 2);
    CHECK(first.unchanged == 1);
    CHECK(db.get_doccount() == 2);
    auto entry = read_ledger_entry(db, batch_identity(batch.string()));
    REQUIRE(entry.has_value());
    CHECK(entry->hash == file_content_hash(batch.string()));
    CHECK(entry->records == 3);
    CHECK(entry->path == batch.string());

    auto second = writer.add_batch(batch.string(), jsonl_options(), collect_to(ignore_problems));
    CHECK(second.status == BatchOutcome::Status::skipped);
    CHECK(second.added + second.updated + second.unchanged == 0);

    write_file(batch, {review_line("a", "first review", 7), review_line("b", "second review"),
                       review_line("c", "third review")});
    auto third = writer.add_batch(batch.string(), jsonl_options(), collect_to(ignore_problems));
    CHECK(third.status == BatchOutcome::Status::indexed);
    CHECK(third.added == 1);
    CHECK(third.updated == 1);
    CHECK(third.unchanged == 1);
    CHECK(db.get_doccount() == 3);
    CHECK(stored_data(db, "a").find("\"helpful_yes\":7") != std::string::npos);
    CHECK(read_ledger(db).size() == 1);
    CHECK(db.get_termfreq(schema::source_term(batch.string())) == 3);
}

TEST_CASE("add_batch --strict: a batch with a rejected record is refused whole") {
    TempDir dir("strict");
    const fs::path batch = dir.path / "bad.jsonl";
    write_file(batch, {review_line("a", "good one"), "{\"body\": 42}", review_line("b", "good two")});
    auto db = open_index_for_writing((dir.path / "db").string(), std::chrono::milliseconds(0));
    settle_index_language(db, std::nullopt);
    IndexWriter writer(db, "english");
    std::vector<Problem> problems;

    auto refused = writer.add_batch(batch.string(), jsonl_options(/*strict=*/true), collect_to(problems));
    CHECK(refused.status == BatchOutcome::Status::refused);
    CHECK(refused.input.rejected == 1);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == 2);
    CHECK(db.get_doccount() == 0);
    CHECK_FALSE(read_ledger_entry(db, batch_identity(batch.string())).has_value());

    auto lenient = writer.add_batch(batch.string(), jsonl_options(/*strict=*/false), collect_to(problems));
    CHECK(lenient.status == BatchOutcome::Status::indexed);
    CHECK(lenient.added == 2);
    CHECK(db.get_doccount() == 2);
    REQUIRE(read_ledger_entry(db, batch_identity(batch.string())).has_value());
    CHECK(read_ledger_entry(db, batch_identity(batch.string()))->rejected == 1);
}

TEST_CASE("add_batch: a failure in the middle of a batch leaves nothing of it behind") {
    TempDir dir("abort");
    const fs::path good = dir.path / "good.jsonl";
    const fs::path doomed = dir.path / "doomed.jsonl";
    write_file(good, {review_line("g", "kept")});
    write_file(doomed, {review_line("x", "one"), review_line("y", "two"), review_line("z", "three")});
    const std::string db_path = (dir.path / "db").string();
    {
        auto db = open_index_for_writing(db_path, std::chrono::milliseconds(0));
        settle_index_language(db, std::nullopt);
        IndexWriter writer(db, "english");
        writer.add_batch(good.string(), jsonl_options(), collect_to(ignore_problems));
        auto crash_on_second = [](const BatchOutcome& so_far) {
            if (so_far.added == 2) throw std::runtime_error("simulated crash");
        };
        CHECK_THROWS_AS(writer.add_batch(doomed.string(), jsonl_options(), collect_to(ignore_problems),
                                         crash_on_second),
                        std::runtime_error);
        CHECK(db.get_doccount() == 1);
    }
    Xapian::Database reader(db_path);
    CHECK(reader.get_doccount() == 1);
    CHECK(stored_data(reader, "x").empty());
    CHECK(read_ledger(reader).size() == 1);
}

TEST_CASE("index language: recorded on first use, a different one refused") {
    TempDir dir("language");
    const std::string db_path = (dir.path / "db").string();
    {
        auto db = open_index_for_writing(db_path, std::chrono::milliseconds(0));
        CHECK(settle_index_language(db, std::string("danish")) == "danish");
        db.commit();
    }
    auto db = open_index_for_writing(db_path, std::chrono::milliseconds(0));
    CHECK(db.get_metadata(std::string(schema::meta_language)) == "danish");
    CHECK(db.get_metadata(std::string(schema::meta_schema_version)) == std::to_string(schema::version));
    CHECK(settle_index_language(db, std::nullopt) == "danish");
    CHECK(settle_index_language(db, std::string("danish")) == "danish");
    CHECK(error_kind_of([&] { settle_index_language(db, std::string("english")); }) == ErrorKind::refused);

    TempDir other("language-bad");
    auto fresh = open_index_for_writing((other.path / "db").string(), std::chrono::milliseconds(0));
    CHECK_THROWS_AS(settle_index_language(fresh, std::string("klingon")), std::invalid_argument);
}

TEST_CASE("schema version: an index of another layout is refused for adding, with the way out") {
    TempDir dir("schema-version");
    const std::string db_path = (dir.path / "db").string();
    {
        auto db = open_index_for_writing(db_path, std::chrono::milliseconds(0));
        settle_index_language(db, std::nullopt);
        db.set_metadata(std::string(schema::meta_schema_version), "1");  // STEM_SOME's terms
        db.commit();
    }
    auto db = open_index_for_writing(db_path, std::chrono::milliseconds(0));
    try {
        settle_index_language(db, std::nullopt);
        FAIL("an index of schema version 1 was opened for adding");
    } catch (const revsearch::Error& e) {
        CHECK(std::string(e.what()) == "the index has schema version 1, this revindex writes version " +
                                           std::to_string(schema::version) + " (its terms differ)");
        CHECK(e.kind() == revsearch::ErrorKind::refused);
        CHECK(e.remedy() == revsearch::Remedy::rebuild_index);  // the command line names `revindex rebuild`
    }
}

TEST_CASE("a second writer waits for the lock timeout, then gives up") {
    TempDir dir("lock");
    const std::string db_path = (dir.path / "db").string();
    auto holder = open_index_for_writing(db_path, std::chrono::milliseconds(0));
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH_AS(open_index_for_writing(db_path, std::chrono::milliseconds(300)),
                         ("another revindex holds the index at " + db_path + " (waited 0.3 s)").c_str(), Error);
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= std::chrono::milliseconds(300));
    CHECK(waited < std::chrono::seconds(3));
    holder.close();
    CHECK_NOTHROW(open_index_for_writing(db_path, std::chrono::milliseconds(300)));
}

TEST_CASE("open_existing does not create an index") {
    TempDir dir("existing");
    const std::string db_path = (dir.path / "none").string();
    CHECK(error_kind_of([&] { open_index_for_writing(db_path, std::chrono::milliseconds(0), OpenMode::open_existing); }) ==
          ErrorKind::not_found);
    CHECK_FALSE(fs::exists(db_path));
}

TEST_CASE("the ledger reads in the order batches were applied; entries written before seq come first, by time") {
    TempDir dir("ledger-order");
    Xapian::WritableDatabase db((dir.path / "db").string(), Xapian::DB_CREATE_OR_OPEN);
    // As an index written before the ledger was ordered: no seq, path order the reverse of time order.
    db.set_metadata(ledger_key("/a-late"),
                    R"({"path":"/a-late","hash":"00","records":1,"rejected":0,"time":"2026-11-22T09:00:00Z"})");
    db.set_metadata(ledger_key("/z-early"),
                    R"({"path":"/z-early","hash":"00","records":1,"rejected":0,"time":"2026-11-22T08:00:00Z"})");
    BatchLedgerEntry newer{"/m-new", "11", 1, 0, "2026-11-20T08:00:00Z", "", "", 4, "", "", ""};
    BatchLedgerEntry first{"/b-first", "11", 1, 0, "2026-11-29T08:00:00Z", "", "", 1, "<stdin>", "", ""};
    db.set_metadata(ledger_key(newer.path), to_ledger_json(newer));
    db.set_metadata(ledger_key(first.path), to_ledger_json(first));
    db.commit();
    std::vector<std::string> order;
    for (const auto& entry : read_ledger(db)) order.push_back(entry.path);
    CHECK(order == std::vector<std::string>{"/z-early", "/a-late", "/b-first", "/m-new"});
    CHECK(last_sequence(db) == 0);
    set_last_sequence(db, 9);
    CHECK(last_sequence(db) == 9);
}

TEST_CASE("tombstones round-trip and a damaged one is ignored") {
    TempDir dir("tombstones");
    Xapian::WritableDatabase db((dir.path / "db").string(), Xapian::DB_CREATE_OR_OPEN);
    const Tombstone tombstone{7, "2026-11-22T08:31:10Z", "delete --id"};
    write_tombstone(db, "rev 1", tombstone);
    db.set_metadata(tombstone_key("broken"), "{");
    const auto read = read_tombstones(db);
    REQUIRE(read.size() == 1);
    CHECK(read.at("rev 1") == tombstone);
    CHECK(parse_tombstone_json(to_tombstone_json(tombstone)) == tombstone);
}

TEST_CASE("report_repeats: an id written earlier in the run is a repeat, in the same batch or a later one") {
    TempDir dir("repeats");
    const fs::path one = dir.path / "one.jsonl", two = dir.path / "two.jsonl", bad = dir.path / "bad.jsonl";
    write_file(one, {review_line("a", "first"), review_line("b", "second"), review_line("a", "first"),
                     review_line("b", "second, changed")});
    write_file(two, {review_line("a", "first"), review_line("c", "third")});
    write_file(bad, {review_line("d", "fourth"), "{\"body\": 42}"});
    const std::string db_path = (dir.path / "db").string();
    {
        auto writer = IndexWriter::open(db_path, std::chrono::milliseconds(0), OpenMode::create_or_open);
        struct Case {
            const fs::path* file;
            bool strict;
            BatchOutcome::Status status;
            std::size_t added, updated, unchanged, repeated;
        };
        const Case cases[] = {
            {&one, false, BatchOutcome::Status::indexed, 2, 0, 0, 2},  // the later "b" still wins (below)
            {&bad, true, BatchOutcome::Status::refused, 0, 0, 0, 0},   // cancelled: "d" is not marked
            {&two, false, BatchOutcome::Status::indexed, 1, 0, 0, 1},
        };
        for (const auto& c : cases) {
            CAPTURE(c.file->string());
            auto outcome = writer.add_batch(c.file->string(), jsonl_options(c.strict), collect_to(ignore_problems));
            CHECK(outcome.status == c.status);
            CHECK(outcome.added == c.added);
            CHECK(outcome.updated == c.updated);
            CHECK(outcome.unchanged == c.unchanged);
            CHECK(outcome.repeated == c.repeated);
        }
        write_file(bad, {review_line("d", "fourth")});
        auto again = writer.add_batch(bad.string(), jsonl_options(), collect_to(ignore_problems));
        CHECK(again.added == 1);
        CHECK(again.repeated == 0);
        writer.close();
    }
    Xapian::Database db(db_path);
    CHECK(db.get_doccount() == 4);
    CHECK(stored_data(db, "b").find("second, changed") != std::string::npos);
    {
        // A new run: what the index held before is updated or unchanged, not repeated.
        write_file(two, {review_line("a", "first"), review_line("c", "third, changed")});
        auto writer = IndexWriter::open(db_path, std::chrono::milliseconds(0), OpenMode::open_existing);
        auto outcome = writer.add_batch(two.string(), jsonl_options(), collect_to(ignore_problems));
        CHECK(outcome.unchanged == 1);
        CHECK(outcome.updated == 1);
        CHECK(outcome.repeated == 0);
    }
}

namespace {

std::map<std::string, Xapian::termcount> spelling_of(const Xapian::Database& db) {
    std::map<std::string, Xapian::termcount> words;
    for (auto word = db.spellings_begin(); word != db.spellings_end(); ++word) words[*word] = word.get_termfreq();
    return words;
}

std::size_t staged_entries(const Xapian::Database& db) {
    const std::string prefix(schema::meta_spelling_prefix);
    std::size_t entries = 0;
    for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) ++entries;
    return entries;
}

}  // namespace

TEST_CASE("spelling counts: staged with each batch, written at close, recovered after a writer that never closed") {
    TempDir dir("staged-spelling");
    const fs::path one = dir.path / "one.jsonl", two = dir.path / "two.jsonl";
    write_file(one, {review_line("a", "gangster gangster pusher"), review_line("b", "pusher film 1996")});
    write_file(two, {review_line("c", "gangster heroin")});
    const std::string path = (dir.path / "index" / "db").string();
    // Headlines "headline of a" etc.: one-letter words and words with digits are never in the table.
    const std::map<std::string, Xapian::termcount> expected = {
        {"film", 1}, {"gangster", 3}, {"headline", 3}, {"heroin", 1}, {"of", 3}, {"pusher", 2}};
    {
        auto db = open_index_for_writing(path, std::chrono::milliseconds(0));
        settle_index_language(db, std::nullopt);
        IndexWriter writer(db, "english");
        writer.add_batch(one.string(), jsonl_options(), collect_to(ignore_problems));
        writer.add_batch(two.string(), jsonl_options(), collect_to(ignore_problems));
        // Committed with their batches, not yet in the table.
        CHECK(staged_entries(db) == 2);
        CHECK(spelling_of(db).empty());
        // A writer killed here never writes them: the next one finds them staged.
    }
    {
        auto db = open_index_for_writing(path, std::chrono::milliseconds(0));
        IndexWriter writer(db, "english");
        writer.close();
    }
    Xapian::Database db(path);
    CHECK(staged_entries(db) == 0);
    CHECK(spelling_of(db) == expected);

    SUBCASE("a count text round-trips, a damaged one adds nothing") {
        SpellingCounter counter, copy;
        counter.add("gangster");
        counter.add("gangster");
        counter.add("uniq7");  // digits: never in the table, so never staged
        CHECK(copy.add_serialised(counter.serialise()));
        CHECK(copy.serialise() == "gangster 2\n");
        CHECK_FALSE(copy.add_serialised("gangster x\n"));
        CHECK_FALSE(copy.add_serialised("gangster 2"));
        CHECK(copy.serialise() == "gangster 2\n");
    }
}

TEST_CASE("spelling counts: the last batch of a run writes what is staged in its own transaction") {
    TempDir dir("staged-spelling-last");
    const fs::path one = dir.path / "one.jsonl", two = dir.path / "two.jsonl";
    write_file(one, {review_line("a", "gangster pusher")});
    write_file(two, {review_line("c", "gangster heroin")});
    auto db = open_index_for_writing((dir.path / "index" / "db").string(), std::chrono::milliseconds(0));
    settle_index_language(db, std::nullopt);
    IndexWriter writer(db, "english");
    writer.add_batch(one.string(), jsonl_options(), collect_to(ignore_problems));
    const auto revision = db.get_revision();
    writer.write_spelling_with_next_batch();
    writer.add_batch(two.string(), jsonl_options(), collect_to(ignore_problems));
    CHECK(db.get_revision() == revision + 1);  // one commit for the batch and the spelling both
    CHECK(staged_entries(db) == 0);
    const std::map<std::string, Xapian::termcount> expected = {
        {"gangster", 2}, {"headline", 2}, {"heroin", 1}, {"of", 2}, {"pusher", 1}};
    CHECK(spelling_of(db) == expected);
}
