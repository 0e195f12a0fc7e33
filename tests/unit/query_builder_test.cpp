#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "revsearch/query_builder.hpp"
#include "revsearch/ranking.hpp"
#include "search_fixture.hpp"

using namespace search_fixture;

namespace {

std::optional<double> rating10(const Review& review) {
    if (!review.rating || !review.rating_max || *review.rating_max <= 0) return std::nullopt;
    return *review.rating * 10 / *review.rating_max;
}

std::string compact_date(const Review& review) {
    std::string date = review.date.value_or("");
    date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
    return date;
}

revsearch::SearchResult run(const std::string& query, const revsearch::Filters& filters = {},
                            revsearch::MatchMode mode = revsearch::MatchMode::any) {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for(query);
    request.filters = filters;
    request.match = mode;
    return searcher.search(request);
}

}  // namespace

TEST_CASE("query builder: the query language, input -> matching reviews") {
    struct Row {
        const char* query;
        std::set<std::string> expected;  // authors of the matching reviews
    };
    const Row rows[] = {
        {"\"once were warriors\"", {"gotchast"}},
        {"\"once were warrior\"", {"gotchast"}},  // phrases match on stems, with positions
        {"headline:\"once were warriors\"", {"gotchast"}},
        {"\"warriors i've\"", {}},  // gotchast's headline ends with "warriors", the body starts "I've": no phrase
        {"headline:warriors", {"gotchast"}},
        {"warrior*", {"gotchast"}},
        {"author:gotchast", {"gotchast"}},
        {"heroin", {"UlrikSander"}},
        {"heroin AND toilet", {"UlrikSander"}},
        {"+heroin +toilet", {"UlrikSander"}},
        {"Sorensen", {"UlrikSander", "nesfilmreviews"}},
        {"Sørensen", {"UlrikSander", "nesfilmreviews"}},
        {"Drasbaek", {"lastliberal"}},
        {"Drasbæk", {"lastliberal"}},
        {"warriors OR heroin", {"gotchast", "UlrikSander"}},
        {"warriors heroin", {"gotchast", "UlrikSander"}},
        {"heroin NEAR toilet", {"UlrikSander"}},
        {"(drugs OR heroin) AND toilet", {"UlrikSander"}},
        {"headline:\"once were warriors\" -author:gotchast", {}},
        {"Gangsters", {"UlrikSander", "peterroeder34", "lastliberal", "slake09"}},
        {"HEROIN", {"UlrikSander"}},
    };
    for (const Row& row : rows) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        auto result = run(row.query);
        CHECK_FALSE(result.fell_back);
        CHECK(author_set(result) == row.expected);
    }
}

TEST_CASE("query builder: a wildcard also expands the stem of its word, in each field it searches") {
    // The index holds stems: "movie" and "movies" are the term movi, which `movie*` alone would never reach.
    revsearch::QueryBuilder builder(Xapian::Database(pusher_index().path()));
    struct Row {
        const char* query;
        std::vector<std::string> wildcards;  // the patterns of the parsed query
        std::vector<std::string> highlighted;  // ParsedQuery::wildcard_prefixes
    };
    const Row rows[] = {
        {"movie*", {"movie", "movi"}, {"movie", "movi"}},
        {"headline:movie*", {"Smovie", "Smovi"}, {"movie", "movi"}},
        {"warrior*", {"warrior"}, {"warrior"}},  // its own stem
    };
    for (const Row& row : rows) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        const auto parsed = builder.parse(row.query);
        const std::string description = parsed.query.get_description();
        CAPTURE(description);
        // Xapian writes a wildcard as "WILDCARD <combiner> <pattern>" (query_builder.cpp reads it back).
        std::size_t wildcards = 0;
        for (std::size_t at = description.find("WILDCARD "); at != std::string::npos;
             at = description.find("WILDCARD ", at + 1))
            ++wildcards;
        CHECK(wildcards == row.wildcards.size());
        for (const auto& pattern : row.wildcards) {
            CAPTURE(pattern);
            bool found = false;
            for (const char* combiner : {"OR ", "SYNONYM "})
                for (const char* after : {" ", ")"})
                    found = found || description.find("WILDCARD " + std::string(combiner) + pattern + after) !=
                                         std::string::npos;
            CHECK(found);
        }
        CHECK(parsed.wildcard_prefixes == row.highlighted);
    }
    // What the stems find: every review with "movie" or "movies" (the pattern movie* alone found none of them).
    const auto movie = author_set(run("movie OR movies"));
    CHECK_FALSE(movie.empty());
    CHECK(author_set(run("movie*")) == movie);
    CHECK(author_set(run("warrior*")) == std::set<std::string>{"gotchast"});
}

TEST_CASE("query builder: a wildcard expands to a bounded number of terms") {
    // `a*` matches hundreds of words of the page; expansion keeps the 200 most frequent instead of failing.
    revsearch::SearchResult result;
    REQUIRE_NOTHROW(result = run("a*"));
    CHECK_FALSE(result.fell_back);
    CHECK(result.hits.size() == pusher_reviews().size());
    CHECK(result.parsed.find("WILDCARD") != std::string::npos);
}

TEST_CASE("query builder: NOT, - and item: narrow by exclusion and by field") {
    auto all_pusher = run("pusher");
    auto without = run("pusher NOT mikkelsen");
    auto minus = run("pusher -mikkelsen");
    CHECK(author_set(without) == author_set(minus));
    CHECK(without.hits.size() < all_pusher.hits.size());
    for (const auto& author : author_set(without)) CHECK(author_set(run("mikkelsen")).count(author) == 0);
    // item: searches the film title, which every review of the page shares.
    CHECK(run("item:pusher").hits.size() == pusher_reviews().size());
}

TEST_CASE("query builder: a query of excluded words alone finds every review without them") {
    // Xapian's QueryParser alone would search `-heroin` for heroin.
    const auto everyone = authors_where([](const Review&) { return true; });
    auto without = [&](std::set<std::string> excluded) {
        std::set<std::string> rest;
        for (const auto& author : everyone)
            if (!excluded.count(author)) rest.insert(author);
        return rest;
    };
    CHECK(author_set(run("-heroin")) == without({"UlrikSander"}));
    CHECK(author_set(run("-heroin")) == author_set(run("NOT heroin")));
    CHECK(author_set(run("-heroin -warriors")) == without({"UlrikSander", "gotchast"}));
    CHECK(author_set(run("-\"once were warriors\"")) == without({"gotchast"}));
    CHECK(author_set(run("-author:gotchast")) == without({"gotchast"}));
    CHECK(author_set(run("-Drasbæk")) == without({"lastliberal"}));
    // With a word to find, - keeps its meaning; a lone "-" is no exclusion.
    CHECK(author_set(run("heroin -warriors")) == std::set<std::string>{"UlrikSander"});
    CHECK_THROWS_AS(run("-"), revsearch::QueryError);  // no word at all (issue 16)
    CHECK_NOTHROW(run("--heroin"));
}

TEST_CASE("query builder: rating and date ranges in the query match exactly") {
    struct Row {
        const char* query;
        double low, high;
    };
    for (Row row : {Row{"rating:9..10", 9, 10}, Row{"rating:7..", 7, 10}, Row{"rating:..4", 0, 4}}) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        auto expected = authors_where([&](const Review& review) {
            auto rating = rating10(review);
            return rating && *rating >= row.low && *rating <= row.high;
        });
        CHECK(!expected.empty());
        CHECK(author_set(run(row.query)) == expected);
    }
    struct DateRow {
        const char* query;
        const char* low;
        const char* high;
    };
    for (DateRow row : {DateRow{"date:2005..2006", "20050101", "20061231"}, DateRow{"date:2008..", "20080101", "99999999"},
                        DateRow{"date:..2005-06", "00000000", "20050631"},
                        DateRow{"date:2006-03-11..2006-03-11", "20060311", "20060311"}}) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        auto expected = authors_where([&](const Review& review) {
            auto date = compact_date(review);
            return !date.empty() && date >= row.low && date <= row.high;
        });
        CHECK(!expected.empty());
        CHECK(author_set(run(row.query)) == expected);
    }
}

TEST_CASE("query builder: a single value of a range field is an equality") {
    struct Row {
        const char* query;
        double rating;
    };
    for (Row row : {Row{"rating:8", 8}, Row{"rating:10", 10}, Row{"pusher rating:7", 7}}) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        const auto hits = run(row.query).hits;
        CHECK_FALSE(hits.empty());
        for (const auto& hit : hits) {
            const auto& review = hit.review;
            CHECK(review["rating"].get<double>() * 10 / review["rating_max"].get<double>() == row.rating);
        }
    }
    auto one_year = authors_where([](const Review& review) { return compact_date(review).rfind("2006", 0) == 0; });
    CHECK_FALSE(one_year.empty());
    CHECK(author_set(run("date:2006")) == one_year);
}

TEST_CASE("query builder: unknown fields, impossible ranges, bad bounds and queries with no word are errors") {
    const std::string fields = "the fields are headline:, author:, item:, rating:, date: (docs/query-syntax.md)";
    struct Row {
        const char* query;
        std::string message;
    };
    const Row rows[] = {
        {"title:coffee", "unknown field \"title:\"; " + fields},
        {"coffee body:coffee", "unknown field \"body:\"; " + fields},
        {"ASIN:B000G1X45G", "unknown field \"asin:\"; " + fields},
        {"-title:x", "unknown field \"title:\"; " + fields},
        {"rating:8..3", "rating:8..3 is an empty range: 8 is above 3"},
        {"rating:120%", "rating:120%: a rating is a number as shown (4 for 4/5) or a share of its scale (80%), not \"120%\""},
        {"pusher rating:..abc", "rating:..abc: a rating is a number as shown (4 for 4/5) or a share of its scale (80%), not \"abc\""},
        {"pusher rating:4..90%", "rating:4..90%: give both bounds as ratings (4..5) or both as shares (80%..100%)"},
        {"rating:..", "rating:.. needs a bound on at least one side of .."},
        {"date:2010..2005", "date:2010..2005 is an empty range: 2010 is after 2005"},
        {"date:2005..nonsense", "date:2005..nonsense: a date is YYYY, YYYY-MM or YYYY-MM-DD, not \"nonsense\""},
        {"heroin date:2006-13", "date:2006-13: a date is YYYY, YYYY-MM or YYYY-MM-DD, not \"2006-13\""},
    };
    for (const Row& row : rows) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        CHECK_THROWS_WITH_AS(run(row.query), row.message.c_str(), revsearch::QueryError);
    }
    const std::string no_word =
        "the query has no word to search; give a word, or --all to list every review (revsearch --all --facets "
        "-n0: an overview)";
    for (const char* query : {" ", "!!!", "\"", "*", "-", "\"\"", "()"}) {
        const std::string query_text = query;
        CAPTURE(query_text);
        CHECK_THROWS_WITH_AS(run(query), no_word.c_str(), revsearch::QueryError);
    }
    // Not fields: a phrase, a known field, a field with nothing after it.
    CHECK_NOTHROW(run("\"title:heroin\""));
    CHECK_NOTHROW(run("author:gotchast item:pusher headline:warriors"));
    CHECK_NOTHROW(run("heroin author:"));
    // An empty query is every review (filters alone, --all).
    CHECK(run("").hits.size() == pusher_reviews().size());
}

TEST_CASE("query builder: anything pasted still searches, falling back to its words") {
    struct Row {
        const char* query;
        bool falls_back;
    };
    const Row rows[] = {
        {"heroin AND", true},
        {"AND heroin", true},
        {"(heroin toilet", false},
        {"\"heroin toilet", false},
        {"heroin) toilet", false},
        {"It's a shock at the end. When lights were on, people don't say a word (really!) - \"once\"", false},
        {"heroin OR OR toilet", true},
        {"Note: it's 10:30, see http://example.com/heroin", false},
    };
    for (const Row& row : rows) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        revsearch::SearchResult result;
        REQUIRE_NOTHROW(result = run(row.query));
        CHECK(result.fell_back == row.falls_back);
        CHECK_FALSE(result.hits.empty());
    }
    CHECK(ranked_authors(run("heroin AND")).front() == "UlrikSander");
}

TEST_CASE("query builder: filter options match exactly what they say") {
    using revsearch::Filters;
    struct Row {
        const char* name;
        Filters filters;
        std::function<bool(const Review&)> keep;
    };
    Filters min_rating;
    min_rating.min_rating = revsearch::RatingBound{9};
    Filters max_rating;
    max_rating.max_rating = revsearch::RatingBound{6};
    Filters since;
    since.since = "2008";
    Filters until;
    until.until = "2005-12";
    Filters no_spoilers;
    no_spoilers.no_spoilers = true;
    Filters min_votes;
    min_votes.min_votes = 20;
    Filters author;
    author.author = "GOTCHAST";
    Filters combined;
    combined.min_rating = revsearch::RatingBound{7};
    combined.no_spoilers = true;
    combined.since = "2006-01-01";
    const Row rows[] = {
        {"--min-rating 9", min_rating, [](const Review& r) { return rating10(r) && *rating10(r) >= 9; }},
        {"--max-rating 6", max_rating, [](const Review& r) { return rating10(r) && *rating10(r) <= 6; }},
        {"--since 2008", since, [](const Review& r) { return compact_date(r) >= "20080101"; }},
        {"--until 2005-12", until, [](const Review& r) { return !compact_date(r).empty() && compact_date(r) <= "20051231"; }},
        {"--no-spoilers", no_spoilers, [](const Review& r) { return !r.spoiler; }},
        {"--min-votes 20", min_votes, [](const Review& r) { return r.helpful_total && *r.helpful_total >= 20; }},
        {"--author GOTCHAST", author, [](const Review& r) { return r.author == "gotchast"; }},
        {"combined", combined,
         [](const Review& r) { return rating10(r) && *rating10(r) >= 7 && !r.spoiler && compact_date(r) >= "20060101"; }},
    };
    for (const Row& row : rows) {
        const std::string name_text = row.name;
        CAPTURE(name_text);
        auto expected = authors_where(row.keep);
        CHECK(!expected.empty());
        CHECK(expected.size() < pusher_reviews().size());
        // With an empty query (filters alone) and with words.
        CHECK(author_set(run("", row.filters)) == expected);
        auto with_words = run("pusher OR film OR movie", row.filters);
        for (const auto& found : author_set(with_words)) CHECK(expected.count(found) == 1);
    }
}

TEST_CASE("query builder: --item takes an item id or title words") {
    revsearch::Filters by_title;
    by_title.item = "Pusher II";
    CHECK(run("", by_title).hits.size() == pusher_reviews().size());
    revsearch::Filters unknown;
    unknown.item = "Casablanca";
    CHECK(run("", unknown).hits.empty());
    auto id = pusher_reviews().front().item_id;
    if (id) {
        revsearch::Filters by_id;
        by_id.item = *id;
        CHECK(run("", by_id).hits.size() == pusher_reviews().size());
    }
}

TEST_CASE("query builder: --item and --author find values too long for one term, as the writer holds them") {
    // Xapian terms end at 245 bytes (schema::max_term_bytes): the writer cuts a longer value and appends its hash,
    // and a filter must build the same term, or a long id or name would find nothing.
    Review first = pusher_reviews().front();
    Review second = pusher_reviews().back();
    first.item_id = "tt" + std::string(300, '1');
    second.item_id = "tt" + std::string(300, '1') + "2";  // shares the first 245 bytes: told apart by the hash
    first.author = std::string(280, 'a');
    second.author = std::string(280, 'a') + "b";
    const TempIndex index({first, second});
    revsearch::Searcher searcher(index.path());
    const struct {
        bool by_item;
        const Review& review;
    } rows[] = {{true, first}, {true, second}, {false, first}, {false, second}};
    for (const auto& row : rows) {
        auto request = request_for("");
        (row.by_item ? request.filters.item : request.filters.author) =
            row.by_item ? row.review.item_id : row.review.author;
        const std::string expected_id = row.review.id;
        const auto result = searcher.search(request);
        REQUIRE(result.hits.size() == 1);
        CHECK(result.hits.front().id == expected_id);
    }
}

TEST_CASE("query builder: bad filter values are errors, not empty results") {
    revsearch::Filters bad_date;
    bad_date.since = "last year";
    CHECK_THROWS_AS(run("", bad_date), revsearch::QueryError);
    revsearch::Filters bad_rating;
    bad_rating.min_rating = revsearch::RatingBound{11};  // above every scale in the index
    CHECK_THROWS_AS(run("", bad_rating), revsearch::QueryError);
    revsearch::Filters crossed_ratings;
    crossed_ratings.min_rating = revsearch::RatingBound{5};
    crossed_ratings.max_rating = revsearch::RatingBound{4};
    CHECK_THROWS_WITH_AS(run("", crossed_ratings), "--min-rating 5 is above --max-rating 4: no rating is both",
                         revsearch::QueryError);
    revsearch::Filters crossed_dates;
    crossed_dates.since = "2012";
    crossed_dates.until = "2011";
    CHECK_THROWS_WITH_AS(run("", crossed_dates), "--since 2012 is after --until 2011: no date is both",
                         revsearch::QueryError);
    revsearch::Filters one_day;
    one_day.since = "2006-03-11";
    one_day.until = "2006-03-11";
    CHECK_NOTHROW(run("", one_day));
}

TEST_CASE("query builder: --match all needs every word") {
    auto any = run("heroin warriors");
    auto all = run("heroin warriors", {}, revsearch::MatchMode::all);
    CHECK(any.hits.size() == 2);
    CHECK(all.hits.empty());
}

namespace {

/// BM25 weight of each matching document, by docid.
std::map<Xapian::docid, double> bm25_weights(const Xapian::Query& query) {
    Xapian::Database database(pusher_index().path());
    Xapian::Enquire enquire(database);
    enquire.set_weighting_scheme(*revsearch::make_weight({}, database));
    enquire.set_query(query);
    std::map<Xapian::docid, double> weights;
    auto mset = enquire.get_mset(0, database.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) weights[*it] = it.get_weight();
    return weights;
}

Xapian::Query combine(Xapian::Query::op op, const std::vector<Xapian::Query>& subqueries) {
    return Xapian::Query(op, subqueries.begin(), subqueries.end());
}

/// `count` distinct words, none in the index: "zq0x zq1x ...".
std::string made_up_words(std::size_t count) {
    std::string words;
    for (std::size_t i = 0; i < count; ++i) words += "zq" + std::to_string(i) + "x ";
    return words;
}

}  // namespace

TEST_CASE("query builder: repeated terms are merged, with the same matches and scores") {
    using Q = Xapian::Query;
    const Q heroin("heroin", 1, 1), toilet("toilet", 1, 2), warriors("warrior", 1, 3), pusher("pusher", 1, 4);
    const Q phrase = combine(Q::OP_PHRASE, {toilet, toilet});
    struct Row {
        Q raw;
        const char* merged;  // get_description() of the merged query
    };
    const Row rows[] = {
        {combine(Q::OP_OR, {heroin, heroin, toilet, heroin}), "Query((3 * heroin@1 OR toilet@2))"},
        {combine(Q::OP_AND, {pusher, heroin, pusher}), "Query((2 * pusher@4 AND heroin@1))"},
        {Q(Q::OP_AND_MAYBE, combine(Q::OP_OR, {pusher, pusher}), combine(Q::OP_OR, {warriors, heroin, warriors})),
         "Query((2 * pusher@4 AND_MAYBE (2 * warrior@3 OR heroin@1)))"},
        {Q(Q::OP_AND_NOT, combine(Q::OP_OR, {pusher, pusher}), warriors), "Query((2 * pusher@4 AND_NOT warrior@3))"},
        {combine(Q::OP_OR, {phrase, phrase, heroin}), "Query(((toilet@2 PHRASE 2 toilet@2) OR (toilet@2 PHRASE 2 toilet@2) OR heroin@1))"},
        {combine(Q::OP_XOR, {heroin, heroin, toilet}), "Query((heroin@1 XOR heroin@1 XOR toilet@2))"},
    };
    for (const Row& row : rows) {
        const std::string raw = row.raw.get_description();
        CAPTURE(raw);
        const Q merged = revsearch::merge_repeated_terms(row.raw);
        CHECK(merged.get_description() == row.merged);
        const auto expected = bm25_weights(row.raw);
        const auto weights = bm25_weights(merged);
        REQUIRE(weights.size() == expected.size());
        for (const auto& [docid, weight] : expected) CHECK(weights.at(docid) == doctest::Approx(weight).epsilon(1e-12));
    }
    CHECK_FALSE(bm25_weights(combine(Q::OP_OR, {heroin, heroin, toilet, heroin})).empty());
}

TEST_CASE("query builder: a query over max_query_terms searches its first distinct words, as plain words") {
    revsearch::QueryBuilder builder(Xapian::Database(pusher_index().path()));
    // Repeats are not terms: 20,000 words of one term are one posting list.
    std::string repeated;
    for (int i = 0; i < 20000; ++i) repeated += "heroin ";
    auto parsed = builder.parse(repeated);
    CHECK(parsed.terms == 1);
    CHECK_FALSE(parsed.capped);
    CHECK(parsed.query.get_description() == "Query(20000 * heroin@1)");

    // once, were and the made-up words: a wildcard is no term until the match expands it.
    parsed = builder.parse("\"once were\" heroin* " + made_up_words(revsearch::max_query_terms - 2));
    CHECK(parsed.terms == revsearch::max_query_terms);
    CHECK_FALSE(parsed.capped);

    parsed = builder.parse("Heroin toilet AND pusher heroin* " + made_up_words(2 * revsearch::max_query_terms));
    CHECK(parsed.terms == 2 * revsearch::max_query_terms + 3);  // heroin, toilet, pusher
    CHECK(parsed.capped);
    CHECK(parsed.wildcard_prefixes.empty());
    std::vector<std::string> terms(parsed.query.get_unique_terms_begin(), parsed.query.get_unique_terms_end());
    CHECK(terms.size() == revsearch::max_query_terms);
    for (const char* kept : {"heroin", "toilet", "and", "pusher", "zq995x"}) CHECK(std::count(terms.begin(), terms.end(), kept) == 1);
    CHECK(std::count(terms.begin(), terms.end(), "zq996x") == 0);  // the first 1,000 distinct words: 4 + 996
    CHECK(parsed.query.get_description().find("WILDCARD") == std::string::npos);

    // --match all: every one of the kept words is required.
    auto all = builder.parse("heroin toilet " + made_up_words(2 * revsearch::max_query_terms), revsearch::MatchMode::all);
    CHECK(all.capped);
    CHECK(bm25_weights(all.query).empty());
}

TEST_CASE("parse_rating_bound: a rating as shown or a share of its scale") {
    struct Row {
        const char* text;
        std::optional<revsearch::RatingBound> bound;
    };
    const Row rows[] = {
        {"4", revsearch::RatingBound{4, false}},     {"3.5", revsearch::RatingBound{3.5, false}},
        {"80%", revsearch::RatingBound{80, true}},   {"0", revsearch::RatingBound{0, false}},
        {"100%", revsearch::RatingBound{100, true}}, {"120", revsearch::RatingBound{120, false}},
        {"101%", std::nullopt},                      {"-1", std::nullopt},
        {"", std::nullopt},                          {"%", std::nullopt},
        {"four", std::nullopt},                      {"4/5", std::nullopt},
        {"inf", std::nullopt},                       {"nan", std::nullopt},
    };
    for (const auto& row : rows) {
        CAPTURE(std::string(row.text));
        CHECK(revsearch::parse_rating_bound(row.text) == row.bound);
    }
}

TEST_CASE("ratings filter as shown on each review's own scale, or as a share with %") {
    // One review a rating: 2/5, 4/5, 5/5, 4/10, 5/10, 8/10, 10/10, 60/100, and one without a rating.
    const std::vector<std::pair<double, double>> ratings = {{2, 5}, {4, 5}, {5, 5}, {4, 10}, {5, 10},
                                                            {8, 10}, {10, 10}, {60, 100}};
    std::vector<Review> reviews;
    for (const auto& [rating, scale] : ratings) {
        Review review;
        review.id = fmt::format("{}of{}", rating, scale);
        review.author = review.id;
        review.body = "a review of coffee, rated " + review.id;  // distinct bodies: no copies to collapse
        review.rating = rating;
        review.rating_max = scale;
        reviews.push_back(review);
    }
    Review unrated;
    unrated.id = unrated.author.emplace("unrated");
    unrated.body = "a review of coffee";
    reviews.push_back(unrated);
    const TempIndex index(reviews);
    auto authors = [&](const std::string& query, revsearch::Filters filters = {}) {
        revsearch::Searcher searcher(index.path());
        auto request = request_for(query);
        request.filters = filters;
        return author_set(searcher.search(request));
    };
    using Set = std::set<std::string>;
    struct Row {
        const char* query;
        Set expected;
    };
    const Row rows[] = {
        {"coffee rating:4..5", Set{"4of5", "5of5", "4of10", "5of10"}},
        {"coffee rating:5", Set{"5of5", "5of10"}},
        {"coffee rating:8..", Set{"8of10", "10of10", "60of100"}},
        {"coffee rating:..2", Set{"2of5"}},
        {"coffee rating:80%..100%", Set{"4of5", "5of5", "8of10", "10of10"}},
        {"coffee rating:..50%", Set{"2of5", "4of10", "5of10"}},
        {"coffee rating:60%", Set{"60of100"}},
    };
    for (const auto& row : rows) {
        CAPTURE(std::string(row.query));
        CHECK(authors(row.query) == row.expected);
    }
    revsearch::Filters shown;
    shown.min_rating = revsearch::RatingBound{4};
    shown.max_rating = revsearch::RatingBound{5};
    CHECK(authors("coffee", shown) == Set{"4of5", "5of5", "4of10", "5of10"});
    revsearch::Filters share;
    share.min_rating = revsearch::RatingBound{80, true};
    CHECK(authors("coffee", share) == Set{"4of5", "5of5", "8of10", "10of10"});
    revsearch::Filters mixed;
    mixed.min_rating = revsearch::RatingBound{4};
    mixed.max_rating = revsearch::RatingBound{90, true};
    CHECK_THROWS_AS(authors("coffee", mixed), revsearch::QueryError);
    CHECK_THROWS_AS(authors("coffee rating:4..90%"), revsearch::QueryError);
    revsearch::Filters above_every_scale;
    above_every_scale.min_rating = revsearch::RatingBound{101};
    CHECK_THROWS_WITH_AS(authors("coffee", above_every_scale),
                         "--min-rating 101 is above every rating scale in the index (the highest is 100)",
                         revsearch::QueryError);

    SUBCASE("facets: one histogram per scale, ratings as shown") {
        revsearch::Searcher searcher(index.path());
        auto request = request_for("coffee");
        request.facets = true;
        const auto facets = searcher.search(request).facets;
        REQUIRE(facets.has_value());
        using Counts = std::map<long, Xapian::doccount>;
        CHECK(facets->by_scale == std::map<double, Counts>{{5, Counts{{2, 1}, {4, 1}, {5, 1}}},
                                                           {10, Counts{{4, 1}, {5, 1}, {8, 1}, {10, 1}}},
                                                           {100, Counts{{60, 1}}}});
        CHECK(facets->unknown == 1);
        CHECK(facets->buckets[9] == 2);  // 5/5 and 10/10 on the 0..10 scale of shares
    }
}

TEST_CASE("query builder: a hyphen between letters separates words; --plain reads text as words only") {
    revsearch::QueryBuilder builder(Xapian::Database(pusher_index().path()));
    struct Row {
        const char* query;
        bool plain;
        const char* expected;  // Query::get_description() of the parsed query
    };
    const Row rows[] = {
        // Each part by its stem, as the index holds them (TermGenerator splits `well-made` so too).
        {"well-made gangsters", false, "Query((well@1 OR made@2 OR gangster@3))"},
        {"lift-drag", false, "Query((lift@1 OR drag@2))"},
        // A leading hyphen is NOT; digits (dates, numbers) and field tokens keep theirs.
        {"pusher -mikkelsen", false, "Query((pusher@1 AND_NOT mikkelsen@2))"},
        {"date:2004-01..2005-12", false, "Query(VALUE_RANGE 5 20040101 20051231)"},
        {"author:jean-luc", false, "Query((Ajean@1 PHRASE 2 Aluc@2))"},
        // Plain text: operators, quotes, fields and wildcards are words or nothing.
        {"heroin NOT toilet", true, "Query((heroin@1 OR not@2 OR toilet@3))"},
        {"\"once were\" are: warrior*", true, "Query((onc@1 OR were@2 OR are@3 OR warrior@4))"},
        {"Mikkelsen's well-made", true, "Query((mikkelsen@1 OR well@2 OR made@3))"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.query);
        CHECK(builder.parse(row.query, revsearch::MatchMode::any, row.plain).query.get_description() == row.expected);
    }
    CHECK_THROWS_AS(builder.parse("are:x", revsearch::MatchMode::any, false), revsearch::QueryError);
    CHECK(builder.parse("are:x", revsearch::MatchMode::any, true).query.get_description() == "Query((are@1 OR x@2))");
    CHECK_THROWS_AS(builder.parse("!!!", revsearch::MatchMode::any, true), revsearch::QueryError);
}
