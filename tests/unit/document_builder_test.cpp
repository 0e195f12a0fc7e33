#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <xapian.h>

#include "revsearch/analyzer.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/helpfulness.hpp"
#include "revsearch/review.hpp"
#include "revsearch/query_builder.hpp"
#include "revsearch/review_id.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/signal_prior.hpp"

using revsearch::DocumentBuilder;
using revsearch::Review;
namespace schema = revsearch::schema;

namespace {

// The first review of the sample page (corpora/pusher-ii-2004.txt), shortened to its first two paragraphs.
Review ulrik_sander_review() {
    Review review;
    review.id = "2f0c9d1e5a7b3c41";
    review.source = "/data/pusher-ii-2004.txt:10";
    review.item = "Pusher II";
    review.item_id = "tt0396184";
    review.item_year = 2004;
    review.headline = "Nicolas Winding Refn's Pusher 2 is even better than the first one";
    review.author = "UlrikSander";
    review.date = "2006-03-11";
    review.rating = 8;
    review.rating_max = 10;
    review.helpful_yes = 54;
    review.helpful_total = 62;
    review.body =
        "Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy of danish film history.\n\n"
        "The story-line: Small-time gangster Tonny (Mads Mikkelsen) is released from prison, but gets hired by "
        "his father \"Smeden\" (Leif Sylvester). He discovers that Charlotte (Anne Sørensen) has given birth.";
    return review;
}

std::vector<std::string> terms_of(const Xapian::Document& doc) {
    return {doc.termlist_begin(), doc.termlist_end()};
}

bool has_term(const Xapian::Document& doc, const std::string& term) {
    auto terms = terms_of(doc);
    return std::find(terms.begin(), terms.end(), term) != terms.end();
}

std::vector<Xapian::termpos> positions(const Xapian::Document& doc, const std::string& term) {
    auto it = doc.termlist_begin();
    it.skip_to(term);
    if (it == doc.termlist_end() || *it != term) return {};
    return {it.positionlist_begin(), it.positionlist_end()};
}

}  // namespace

TEST_CASE("document builder: terms of a review from the sample page") {
    // Schema version 3 (schema.hpp): each word once per field, as its stem, with positions; body and headline
    // unprefixed, the headline also under S, author and item under their prefixes; no unstemmed word, no Z term.
    DocumentBuilder builder("english");
    const Review review = ulrik_sander_review();
    const Xapian::Document doc = builder.build(review);

    struct Row {
        std::string term;
        Xapian::termcount wdf;  // 0: absent
    };
    const Row rows[] = {
        {"Q2f0c9d1e5a7b3c41", 0},  // boolean terms carry no wdf: checked by presence below
        {"Sbetter", 1},            // headline stems, prefixed ...
        {"Seven", 1},
        {"Spusher", 1},
        {"Snicola", 1},            // "Nicolas": stemmed, lower-cased
        {"better", 1},             // ... and unprefixed, with the body's stems
        {"ZSbetter", 0},           // no Z term any more
        {"sorensen", 1},           // body stems, folded
        {"sørensen", 0},           // never the unfolded form
        {"Zsorensen", 0},
        {"gangster", 1},
        {"discov", 1},             // "discovers"
        {"discovers", 0},          // the word as written is not a term
        {"mikkelsen", 1},
        {"nicola", 2},             // once in the headline, once in the body
        {"pusher", 2},
        {"Sdiscov", 0},            // body words are not headline words
        {"Aulriksand", 1},         // author stem
        {"XTpusher", 1},           // item stems
        {"XTii", 1},
    };
    std::map<std::string, Xapian::termcount> wdfs;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) wdfs[*it] = it.get_wdf();
    for (const auto& row : rows) {
        CAPTURE(row.term);
        if (row.term.front() == 'Q') {
            CHECK(wdfs.count(row.term) == 1);
            continue;
        }
        CHECK(wdfs.count(row.term) == (row.wdf > 0 ? 1u : 0u));
        if (row.wdf > 0 && wdfs.count(row.term)) CHECK(wdfs[row.term] == row.wdf);
    }
    for (const char* filter : {"XItt0396184", "XAulriksander"}) CHECK(wdfs.count(filter) == 1);
    CHECK(wdfs.count("XSPOILER") == 0);
    CHECK(has_term(doc, schema::source_term("/data/pusher-ii-2004.txt")));
    // Every term is a stem of a field or a filter term: nothing else is written.
    for (const auto& entry : wdfs) {  // no structured binding: clang 14 cannot capture one (CAPTURE)
        const std::string& term = entry.first;
        CAPTURE(term);
        CHECK(term.front() != 'Z');
    }
    // Positions on stems: the headline phrase "even better" is adjacent; so is the body's "small-time gangster".
    auto even = positions(doc, "Seven");
    auto better = positions(doc, "Sbetter");
    REQUIRE(even.size() == 1);
    REQUIRE(better.size() == 1);
    CHECK(better[0] == even[0] + 1);
    auto time = positions(doc, "time");
    auto gangster = positions(doc, "gangster");
    REQUIRE(gangster.size() == 1);
    CHECK(std::find(time.begin(), time.end(), gangster[0] - 1) != time.end());
}

TEST_CASE("document builder: values and data") {
    DocumentBuilder builder("english");
    Review review = ulrik_sander_review();
    const Xapian::Document doc = builder.build(review);

    CHECK(Xapian::sortable_unserialise(doc.get_value(schema::rating_signal)) == doctest::Approx(0.8));
    CHECK(Xapian::sortable_unserialise(doc.get_value(schema::rating10)) == doctest::Approx(8.0));
    CHECK(Xapian::sortable_unserialise(doc.get_value(schema::helpful_total)) == 62.0);
    CHECK(Xapian::sortable_unserialise(doc.get_value(schema::helpful_signal)) ==
          doctest::Approx(revsearch::wilson_lower_bound(54, 62)));
    // The default blend's prior in whole steps, 2 bytes: 0.075 H + 0.015 R = 0.0695 of 0.09.
    const double level = Xapian::sortable_unserialise(doc.get_value(schema::prior_signal));
    CHECK(level == std::round(level));
    CHECK(level * revsearch::prior_step ==
          doctest::Approx(revsearch::signal_prior(revsearch::wilson_lower_bound(54, 62), 0.8)).epsilon(1e-3));
    CHECK(doc.get_value(schema::prior_signal).size() <= 2);
    CHECK(doc.get_value(schema::date) == "20060311");
    // Slots no feature reads are not written (schema.hpp): the helpful votes (2), the body length (6).
    CHECK(doc.get_value(2).empty());
    CHECK(doc.get_value(6).empty());
    const std::string hash = doc.get_value(schema::body_hash);
    CHECK(hash.size() >= 16);
    CHECK(std::all_of(hash.begin(), hash.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }));
    CHECK(doc.get_data() == revsearch::to_json_line(review));

    SUBCASE("unknown rating gives the neutral 0.5 and no rating10; no votes give H = 0") {
        review.rating.reset();
        review.helpful_yes.reset();
        review.helpful_total.reset();
        review.date = "March 2006";  // not ISO: no date value
        const Xapian::Document plain = builder.build(review);
        CHECK(Xapian::sortable_unserialise(plain.get_value(schema::rating_signal)) == 0.5);
        CHECK(plain.get_value(schema::rating10).empty());
        CHECK(Xapian::sortable_unserialise(plain.get_value(schema::helpful_signal)) == 0.0);
        CHECK(Xapian::sortable_unserialise(plain.get_value(schema::prior_signal)) ==
              std::round(0.015 * 0.5 / revsearch::prior_step));
        CHECK(plain.get_value(schema::date).empty());
    }
    SUBCASE("the body hash ignores accents and white space, not words") {
        Review copy = review;
        copy.body = "Nicolas  Winding Refn's Pusher 1-3 is my favorite trilogy of danish film history. "
                    "The story-line: Small-time gangster Tonny (Mads Mikkelsen) is released from prison, but gets "
                    "hired by his father \"Smeden\" (Leif Sylvester). He discovers that Charlotte (Anne Sorensen) "
                    "has given birth.";
        CHECK(builder.build(copy).get_value(schema::body_hash) == hash);
        copy.body += " More.";
        CHECK(builder.build(copy).get_value(schema::body_hash) != hash);
    }
    SUBCASE("the record hash leaves out the source and changes with any field") {
        const std::string record = doc.get_value(schema::record_hash);
        CHECK(record == DocumentBuilder::record_hash(review));
        Review moved = review;
        moved.source = "elsewhere.txt:99";
        CHECK(builder.build(moved).get_value(schema::record_hash) == record);
        const std::vector<std::function<void(Review&)>> edits = {
            [](Review& r) { r.helpful_total = *r.helpful_total + 1; },
            [](Review& r) { r.rating = 7; },
            [](Review& r) { r.body += "."; },
            [](Review& r) { r.headline.reset(); },
            [](Review& r) { r.spoiler = true; },
            [](Review& r) { r.date = "2006-03-12"; },
        };
        for (const auto& edit : edits) {
            Review changed = review;
            edit(changed);
            CHECK(builder.build(changed).get_value(schema::record_hash) != record);
        }
    }
    SUBCASE("spoiler term") {
        review.spoiler = true;
        CHECK(has_term(builder.build(review), "XSPOILER"));
    }
}

TEST_CASE("document builder: the record hash taken from the stored line equals the one serialised again") {
    // build() derives the record hash from the JSON line it stores (issue 15: one serialisation instead of two);
    // it must equal DocumentBuilder::record_hash, the definition every index already holds, for ids and sources of
    // every kind: empty, escaped characters, other scripts, control characters, invalid UTF-8.
    DocumentBuilder builder("english");
    const std::vector<std::string> texts = {
        "",  "a.txt:12", "tt0000001", "q\"uote\\back/slash", "Sørensen 東京", "tab\there\nline\x01",
        "bad\xC3", "\xFF\xFE", "\"source\":\"x\"", "{\"id\":\"y\"}", "dir/b.csv:record 3",
    };
    for (const auto& id : texts)
        for (const auto& source : texts) {
            Review review;
            review.id = id;
            review.source = source;
            review.body = "A body " + id;
            review.headline = source;
            CAPTURE(id);
            CAPTURE(source);
            const Xapian::Document doc = builder.build(review);
            CHECK(doc.get_value(revsearch::schema::record_hash) == DocumentBuilder::record_hash(review));
            CHECK(DocumentBuilder::record_hash_of_line(review, doc.get_data()) == DocumentBuilder::record_hash(review));
        }
    Review review;
    review.id = "x";
    review.body = "b";
    CHECK(DocumentBuilder::record_hash_of_line(review, "not a record line") == DocumentBuilder::record_hash(review));
}

TEST_CASE("document builder: the source term comes from the path part of Review::source") {
    struct Row {
        std::string source;
        std::string path;
    };
    const Row rows[] = {
        {"/data/page.txt:12", "/data/page.txt"},
        {"b.csv:record 3", "b.csv"},
        {"C:/odd:name.txt:7", "C:/odd:name.txt"},
        {"<stdin>:1", "<stdin>"},
        {"no-line-number", "no-line-number"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.source);
        CHECK(DocumentBuilder::source_path_of(row.source) == row.path);
    }
    DocumentBuilder builder("english");
    Review review = ulrik_sander_review();
    CHECK(has_term(builder.build(review, "/elsewhere/batch.jsonl"), schema::source_term("/elsewhere/batch.jsonl")));
    CHECK_FALSE(has_term(builder.build(review, "/elsewhere/batch.jsonl"), schema::source_term("/data/pusher-ii-2004.txt")));
}

TEST_CASE("document builder: over-long ids, item ids and authors never throw and stay unique") {
    DocumentBuilder builder("english");
    Review review = ulrik_sander_review();
    review.id = std::string(400, 'x');
    review.item_id = std::string(300, 'y');
    review.author = std::string(150, 'z') + std::string(100, '\xC3') + "ø";  // invalid and multi-byte tails
    Xapian::Document doc;
    REQUIRE_NOTHROW(doc = builder.build(review));
    for (const auto& term : terms_of(doc)) {
        CAPTURE(term);
        CHECK(term.size() <= schema::max_term_bytes);
    }
    CHECK(DocumentBuilder::id_term(std::string(400, 'x')) != DocumentBuilder::id_term(std::string(401, 'x')));
    CHECK(DocumentBuilder::id_term("abc") == "Qabc");
    // And Xapian accepts the document.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    CHECK_NOTHROW(db.replace_document(DocumentBuilder::id_term(review.id), doc));
    CHECK(db.get_doccount() == 1);
}

TEST_CASE("document builder: spelling table fed when a database is given") {
    // The in-memory backend has no spelling table: a real (glass) database in a temp dir.
    const auto dir = std::filesystem::temp_directory_path() / ("revsearch-spelling-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE);
    DocumentBuilder builder("english", &db);
    db.add_document(builder.build(ulrik_sander_review()));
    // The table holds words as written, not the stems the index holds: "discovers" (stem "discov"), "nicolas".
    CHECK(db.get_spelling_suggestion("gangstr") == "gangster");
    CHECK(db.get_spelling_suggestion("mikelsen") == "mikkelsen");
    CHECK(db.get_spelling_suggestion("discovres") == "discovers");
    std::map<std::string, Xapian::termcount> words;
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) words[*it] = it.get_termfreq();
    CHECK(words["nicolas"] == 2);   // once in the headline, once in the body
    CHECK(words["discovers"] == 1);
    CHECK(words.count("discov") == 0);
    CHECK(words.count("ulriksander") == 0);  // author words are not spelling words
    CHECK(words.count("pusher") == 1);
    db.close();
    std::filesystem::remove_all(dir);
}

namespace {

/// Each term with positions, its wdf and its positions: what a phrase and a ranked search read.
std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>> postings_of(
    const Xapian::Document& doc) {
    std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>> out;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it)
        if (it.positionlist_count() > 0) out[*it] = {it.get_wdf(), {it.positionlist_begin(), it.positionlist_end()}};
    return out;
}

/// What build() makes of the free text, through Snowball itself with no remembered stems: the headline under S and
/// unprefixed, a gap, the body, author and item, each folded.
Xapian::Document reference_free_text(const Review& review) {
    Xapian::TermGenerator generator;
    generator.set_stemmer(revsearch::make_snowball_stem("english"));
    generator.set_stemming_strategy(schema::index_stemming);
    Xapian::Document doc;
    generator.set_document(doc);
    const std::string headline = revsearch::fold_diacritics(*review.headline);
    generator.index_text(headline, 1, std::string(schema::headline_prefix));
    generator.index_text(headline);
    generator.increase_termpos();
    generator.index_text(revsearch::fold_diacritics(review.body));
    generator.increase_termpos();
    generator.index_text(revsearch::fold_diacritics(*review.author), 1, std::string(schema::author_prefix));
    generator.increase_termpos();
    generator.index_text(revsearch::fold_diacritics(*review.item), 1, std::string(schema::item_prefix));
    return doc;
}

}  // namespace

TEST_CASE("document builder: remembered stems make the same terms and positions as Snowball on every word") {
    // The counter hands the stemmer each word's stem from its first sighting (SpellingCounter::add_and_stem): a
    // text of words that fold, apostrophes, hyphens, digits, capitals and repeats, built after other documents
    // filled the counter, must index exactly what Snowball on each occurrence makes.
    Review review = ulrik_sander_review();
    review.headline = "Réfn's RUNNING runs: Runner-up ÆRØ 2004, the 1st runner's re-run";
    review.body = "Running, runs, ran; runners' run-ins. DON'T don't Don't dont. Sørensen sorensen SØRENSEN "
                  "Æsop's fables œuvre naïve naive café Café CAFÉ. 1-3 3rd 2nd 10,000 4.5/10 b00005jnou "
                  "x-men X-Men xmen e-mail emailing e-mails. Gangster gangsters gangster's GANGSTERISM "
                  "généralement generally general generals. It's its it’s rock'n'roll o'clock. ß Straße strasse";
    review.author = "Ulrik Sander-Sørensen";
    review.item = "Pusher II: Running Runs";
    const auto expected = postings_of(reference_free_text(review));
    REQUIRE(expected.size() > 40);

    revsearch::SpellingCounter spelling;
    DocumentBuilder builder("english");
    const Review other = ulrik_sander_review();
    builder.build(other, {}, &spelling);
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);  // round 0 stems most words afresh, the others from what the counter remembers
        CHECK(postings_of(builder.build(review, {}, &spelling)) == expected);
        spelling.clear();  // as a writer does at the end of a batch: counts go, stems stay
    }
    CHECK(postings_of(builder.build(review)) == expected);  // the builder's own counter
    CHECK(postings_of(DocumentBuilder("english").build(review)) == expected);
}

TEST_CASE("document builder: the counter counts each body and headline word as Snowball receives it") {
    revsearch::SpellingCounter with_stems, plain;
    DocumentBuilder builder("english");
    Review review = ulrik_sander_review();
    builder.build(review, {}, &with_stems);
    builder.build(review, {}, &with_stems);
    // The same words counted without a stemmer: each word of the headline and body passes as TermGenerator cuts it.
    Xapian::TermGenerator generator;
    revsearch::SpellingCounter* target = &plain;
    struct Counting final : Xapian::StemImplementation {
        revsearch::SpellingCounter** target;
        explicit Counting(revsearch::SpellingCounter** t) : target(t) {}
        std::string operator()(const std::string& word) override {
            (*target)->add(word);
            return word;
        }
        std::string get_description() const override { return "counting"; }
    };
    generator.set_stemmer(Xapian::Stem(new Counting(&target)));
    generator.set_stemming_strategy(schema::index_stemming);
    for (int i = 0; i < 2; ++i) {
        Xapian::Document doc;
        generator.set_document(doc);
        generator.index_text(revsearch::fold_diacritics(*review.headline));
        generator.index_text(revsearch::fold_diacritics(review.body));
    }
    CHECK(with_stems.size() == plain.size());
    CHECK(with_stems.serialise() == plain.serialise());
}

TEST_CASE("folding end to end: the sample page indexed, found with and without accents") {
    // The real page through the real reader and builder into a glass database, queried as revsearch would.
    const auto dir = std::filesystem::temp_directory_path() / ("revsearch-folding-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE);
    DocumentBuilder builder("english", &db);
    std::vector<revsearch::Problem> problems;
    auto stats = revsearch::read_input(
        REVSEARCH_CORPORA "/pusher-ii-2004.txt", revsearch::Format::imdb, {},
        [&](const revsearch::Problem& problem) { problems.push_back(problem); },
        [&](Review&& review) { db.replace_document(DocumentBuilder::id_term(review.id), builder.build(review)); });
    db.commit();
    REQUIRE(stats.records == 25);
    REQUIRE(db.get_doccount() == 25);

    const revsearch::QueryBuilder query_builder(db);
    auto matches = [&](const std::string& query_text) {
        Xapian::Enquire enquire(db);
        enquire.set_query(query_builder.parse(query_text).query);
        return enquire.get_mset(0, 100).size();
    };
    struct Row {
        std::string query;
        Xapian::doccount matches;
    };
    const Row rows[] = {
        {"Sorensen", 2},  // "Anne Sørensen" in one review, "Anne Sorensen" in another
        {"Sørensen", 2},
        {"Drasbaek", 1},  // "Vic (Laura Drasbæk)"
        {"Drasbæk", 1},
        {"\"Laura Drasbaek\"", 1},
        {"headline:\"Mikkelsen Strikes Again\"", 1},
        {"headline:mikkelsen", 3},  // three headlines name him
    };
    for (const auto& row : rows) {
        CAPTURE(row.query);
        CHECK(matches(row.query) == row.matches);
    }
    CHECK(matches("Mikkelsen") == 13);  // counted in the page text: 13 of the 25 reviews name him

    // The page's first review as the reader gives it: its filter terms and values.
    Xapian::Enquire by_author(db);
    by_author.set_query(Xapian::Query("XAulriksander"));
    const auto hits = by_author.get_mset(0, 10);
    REQUIRE(hits.size() == 1);
    const Xapian::Document first = hits.begin().get_document();
    CHECK(Xapian::sortable_unserialise(first.get_value(schema::rating10)) == doctest::Approx(8.0));
    CHECK(Xapian::sortable_unserialise(first.get_value(schema::helpful_total)) == 62.0);
    CHECK(Xapian::sortable_unserialise(first.get_value(schema::helpful_signal)) ==
          doctest::Approx(revsearch::wilson_lower_bound(54, 62)));
    CHECK(first.get_value(schema::date) == "20060311");
    CHECK(first.get_data().find("\"headline\":\"Nicolas Winding Refn's Pusher 2 is even better than the first one\"") !=
          std::string::npos);
    db.close();
    std::filesystem::remove_all(dir);
}
