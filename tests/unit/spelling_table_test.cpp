// Xapian 1.4.22 writes spelling items it cannot read back (spelling_table.hpp, belongs_in_spelling): the naive way of
// filling the table hits it with 2,745 numbered words; ours does not.
#include <doctest/doctest.h>

#include <string>

#include <xapian.h>

#include "revsearch/document_builder.hpp"
#include "revsearch/review.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/spelling_table.hpp"
#include "revsearch/table_check.hpp"
#include "temp_dir.hpp"

namespace {

/// The smallest run of uniq0, uniq1, ... that makes the fragment lists (Huni, Muni, Mniq) unreadable on 1.4.22,
/// found by adding one word at a time (the same count whether committed at once or one commit per word).
constexpr int failing_word_count = 2745;

bool is_xapian_1_4() { return Xapian::major_version() == 1 && Xapian::minor_version() == 4; }

}  // namespace

TEST_CASE("spelling table: the words that go in") {
    struct Row {
        const char* term;  // a word as TermGenerator hands it to the stemmer (capitalised: never one)
        bool in;
    };
    const Row rows[] = {
        {"gangster", true}, {"mikkelsen", true}, {"uniq2745", false}, {"b00005jnou", false}, {"7", false},
        {"a", false},       {"ok", true},        {"Zgangster", false}, {"Sgangster", false}, {"XAauthor", false},
        {"discovers", true},  // words as written, not stems: the spelling table suggests what people write
    };
    for (const auto& row : rows) {
        CAPTURE(row.term);
        CHECK(revsearch::belongs_in_spelling(row.term) == row.in);
    }
}

TEST_CASE("spelling table: 2,745 numbered words added naively are unreadable on Xapian 1.4") {
    TempDir dir("spelling-naive");
    const std::string path = (dir.path / "db").string();
    {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
        for (int i = 0; i < failing_word_count; ++i) db.add_spelling("uniq" + std::to_string(i));
        db.commit();
    }
    Xapian::Database db(path);
    if (!is_xapian_1_4()) {
        MESSAGE("Xapian " << Xapian::version_string() << ": the 1.4 decompression bug is not expected here");
        return;
    }
    // If a later 1.4 release fixes CompressionStream::decompress_chunk this fails: then the digit rule can go.
    CHECK_THROWS_AS(db.get_spelling_suggestion("uniq"), Xapian::DatabaseCorruptError);
}

TEST_CASE("spelling table: the same reviews through our builder stay readable and check clean") {
    TempDir dir("spelling-ours");
    const std::string path = (dir.path / "db").string();
    {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
        revsearch::DocumentBuilder builder("english");
        revsearch::SpellingCounter spelling;
        for (int i = 0; i < failing_word_count + 10; ++i) {
            revsearch::Review review;
            review.id = "t" + std::to_string(i);
            review.body = "review text uniq" + std::to_string(i) + " gangster";
            db.add_document(builder.build(review, {}, &spelling));
        }
        spelling.write_to(db);
        db.commit();
    }
    Xapian::Database db(path);
    CHECK(db.get_spelling_suggestion("gangstr") == "gangster");
    CHECK(db.get_spelling_suggestion("uniq") == "");
    CHECK(Xapian::Database::check(path) == 0);
}

TEST_CASE("spelling table: a corrupt table is named for the writer that meets it") {
    if (!is_xapian_1_4()) return;
    TempDir dir("spelling-named");
    revsearch::generations::create_layout(dir.path);
    const auto live = *revsearch::generations::live_database_path(dir.path);
    {
        Xapian::WritableDatabase db(live.string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        for (int i = 0; i < failing_word_count; ++i) db.add_spelling("uniq" + std::to_string(i));
        db.commit();
    }
    try {
        revsearch::check_tables(live, dir.path);
        FAIL("check_tables passed a table Xapian cannot read");
    } catch (const revsearch::CorruptTableError& e) {
        CHECK(e.table() == "spelling");
        CHECK(std::string(e.what()).find("gen-000001/spelling.glass") != std::string::npos);
    }
    const std::string message = revsearch::describe_corruption(dir.path.string(), "fallback");
    CHECK(message.find("spelling.glass is corrupt: DatabaseCorruptError: Too few chunks") != std::string::npos);
}
