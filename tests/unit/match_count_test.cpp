#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "revsearch/match_count.hpp"
#include "revsearch/schema.hpp"
#include "temp_dir.hpp"

// count_matches leaves copies of a text out with a match decider; remote shards (whose backend takes no decider)
// count with Xapian's collapse key. Both must say the same: the same count, exact or estimated alike.

namespace {

/// `texts` documents with the term "w", the i-th with body hash texts[i] ("" for none); `other` without it.
Xapian::WritableDatabase database_of(const std::vector<std::string>& texts, int other = 0) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const auto& text : texts) {
        Xapian::Document document;
        document.add_term("w");
        if (!text.empty()) document.add_value(revsearch::schema::body_hash, text);
        db.add_document(document);
    }
    for (int i = 0; i < other; ++i) db.add_document(Xapian::Document());
    return db;
}

/// The same on disk (glass), where a slot's values are stored in chunks of about 2,000 bytes (some 55 body hashes
/// each): the backend the decider's value reads are made for.
Xapian::WritableDatabase glass_database_of(const std::filesystem::path& path, const std::vector<std::string>& texts) {
    Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    for (const auto& text : texts) {
        Xapian::Document document;
        document.add_term("w");
        if (!text.empty()) document.add_value(revsearch::schema::body_hash, text);
        db.add_document(document);
    }
    db.commit();
    return db;
}

/// Each text once: the distinct body hashes, and each match without one.
Xapian::doccount distinct_texts(const std::vector<std::string>& texts) {
    std::set<std::string> hashes;
    Xapian::doccount without = 0;
    for (const auto& text : texts) text.empty() ? void(++without) : void(hashes.insert(text));
    return static_cast<Xapian::doccount>(hashes.size()) + without;
}

std::string hash_of(int text) { return std::string(32 - std::to_string(text).size(), '0') + std::to_string(text); }

}  // namespace

TEST_CASE("count_matches: each text once when collapsing, every copy when not, as Xapian's collapse counts") {
    // Copies next to each other and apart, matches without a body hash (never collapsed), non-matches.
    const std::vector<std::string> texts = {hash_of(1), hash_of(1), hash_of(2), "", hash_of(3), hash_of(2), "",
                                            hash_of(1)};
    Xapian::WritableDatabase db = database_of(texts, 3);
    const Xapian::Query query("w");
    CHECK(revsearch::count_matches(db, query, true) == std::pair<Xapian::doccount, bool>{5, true});
    CHECK(revsearch::count_matches(db, query, false) == std::pair<Xapian::doccount, bool>{8, true});
    CHECK(revsearch::count_matches_by_collapsing(db, query) == revsearch::count_matches(db, query, true));
    CHECK(revsearch::count_matches(db, Xapian::Query("none"), true) == std::pair<Xapian::doccount, bool>{0, true});
}

TEST_CASE("count_matches: beyond count_exactly_up_to texts, the same estimate as Xapian's collapse") {
    std::vector<std::string> texts;
    for (int i = 0; i < 3000; ++i) texts.push_back(hash_of(i % 7 == 0 ? 0 : i));  // one text copied 429 times
    Xapian::WritableDatabase db = database_of(texts);
    const Xapian::Query query("w");
    const auto counted = revsearch::count_matches(db, query, true);
    CHECK_FALSE(counted.second);
    CHECK(counted == revsearch::count_matches_by_collapsing(db, query));
    // Up to the bound, exact: the first 2,000 distinct texts and their copies.
    std::vector<std::string> fewer(texts.begin(), texts.begin() + 2300);
    Xapian::WritableDatabase small = database_of(fewer);
    CHECK(revsearch::count_matches(small, query, true) == std::pair<Xapian::doccount, bool>{1972, true});
    CHECK(revsearch::count_matches_by_collapsing(small, query) == revsearch::count_matches(small, query, true));
}

TEST_CASE("count_matches: over two shards, as over one database") {
    Xapian::WritableDatabase first = database_of({hash_of(1), hash_of(2), ""});
    Xapian::WritableDatabase second = database_of({hash_of(2), hash_of(3), hash_of(1)});
    Xapian::Database both;
    both.add_database(first);
    both.add_database(second);
    CHECK(revsearch::count_matches(both, Xapian::Query("w"), true) == std::pair<Xapian::doccount, bool>{4, true});
    CHECK(revsearch::count_matches_by_collapsing(both, Xapian::Query("w")) ==
          revsearch::count_matches(both, Xapian::Query("w"), true));
}

TEST_CASE("count_matches: hashes told apart by every hex digit of either half; other values compared whole") {
    // The decider packs a 32-digit lower-case hex hash into 16 bytes: two hashes that differ in one digit, in the
    // first or the second half, or only by a letter digit, are two texts; a value that is no such hash (upper
    // case, another length, another character) is compared as it is, and is not the hash it resembles.
    const std::string base = "0123456789abcdef0123456789abcdef";
    std::vector<std::string> texts = {base, base};
    for (std::size_t at : {std::size_t{0}, std::size_t{9}, std::size_t{10}, std::size_t{15}, std::size_t{16},
                           std::size_t{31}}) {
        std::string changed = base;
        changed[at] = changed[at] == 'f' ? 'e' : changed[at] == '9' ? 'a' : static_cast<char>(changed[at] + 1);
        texts.push_back(changed);
        texts.push_back(changed);
    }
    std::string upper = base;
    upper[10] = 'A';
    std::string other = base;
    other[5] = 'g';
    for (const std::string& value : {upper, upper, other, base.substr(0, 31), base + "0", base.substr(0, 31)})
        texts.push_back(value);
    Xapian::WritableDatabase db = database_of(texts);
    const Xapian::Query query("w");
    CHECK(revsearch::count_matches(db, query, true) == std::pair<Xapian::doccount, bool>{11, true});
    CHECK(revsearch::count_matches_by_collapsing(db, query) == revsearch::count_matches(db, query, true));
}

TEST_CASE("count_matches on glass: matches over many value chunks and two shards, with and without a body hash") {
    // 4,000 matches, their body hashes over some 60 value chunks: a copy's first text may sit many chunks
    // before it; every fifth match has no body hash. Xapian hands the decider each match in ascending docid
    // order within a database, the shards one after the other (each with its own docids), and reads the values
    // of each chunk once through a value stream; the count must not depend on any of that.
    std::vector<std::string> texts;
    for (int i = 0; i < 4000; ++i) texts.push_back(i % 5 == 0 ? std::string() : hash_of((i * 7) % 1000));
    const Xapian::doccount expected = distinct_texts(texts);
    REQUIRE(expected == 1600);  // 800 texts, each copied 4 times, and 800 matches without a hash
    TempDir dir("match-count");
    Xapian::WritableDatabase one = glass_database_of(dir.path / "one", texts);
    const Xapian::Query query("w");
    CHECK(revsearch::count_matches(one, query, true) == std::pair<Xapian::doccount, bool>{expected, true});
    CHECK(revsearch::count_matches(one, query, false) == std::pair<Xapian::doccount, bool>{4000, true});
    CHECK(revsearch::count_matches_by_collapsing(one, query) == revsearch::count_matches(one, query, true));

    // The same matches as two shards, split unevenly: copies of a text in both are one text.
    std::vector<std::string> first(texts.begin(), texts.begin() + 2500), second(texts.begin() + 2500, texts.end());
    Xapian::Database both;
    both.add_database(glass_database_of(dir.path / "first", first));
    both.add_database(glass_database_of(dir.path / "second", second));
    CHECK(revsearch::count_matches(both, query, true) == std::pair<Xapian::doccount, bool>{expected, true});
    CHECK(revsearch::count_matches_by_collapsing(both, query) == revsearch::count_matches(both, query, true));

    // Beyond count_exactly_up_to texts, on disk too: the collapse pass's estimate and bounds.
    std::vector<std::string> many;
    for (int i = 0; i < 6000; ++i) many.push_back(i % 9 == 0 ? std::string() : hash_of(i % 2600));
    Xapian::WritableDatabase large = glass_database_of(dir.path / "large", many);
    const auto counted = revsearch::count_matches(large, query, true);
    CHECK_FALSE(counted.second);
    CHECK(counted == revsearch::count_matches_by_collapsing(large, query));
}
