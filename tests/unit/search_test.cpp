#include <doctest/doctest.h>

#include <sstream>

#include <unistd.h>

#include "error_kind.hpp"
#include "revsearch/batch_queries.hpp"
#include "revsearch/output.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/spelling.hpp"
#include "search_fixture.hpp"

using namespace search_fixture;

TEST_CASE("search: a missing index is an Error (not_found) whose remedy is to make one") {
    std::string path = (std::filesystem::temp_directory_path() / "revsearch-test-no-such-index").string();
    std::filesystem::remove_all(path);
    try {
        revsearch::Searcher searcher{path};
        FAIL("no error");
    } catch (const revsearch::Error& e) {
        CHECK(std::string(e.what()) == "no index at " + path);
        CHECK(e.kind() == revsearch::ErrorKind::not_found);
        CHECK(e.remedy() == revsearch::Remedy::create_index);
    }
    std::filesystem::create_directories(path);
    CHECK(error_kind_of([&] { revsearch::Searcher searcher{path}; }) == revsearch::ErrorKind::not_found);
    std::filesystem::remove_all(path);
}

TEST_CASE("search: an index of another schema version is refused with the command that rebuilds it") {
    const auto path = std::filesystem::temp_directory_path() / ("revsearch-old-schema-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    {
        Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE);
        db.set_metadata(std::string(revsearch::schema::meta_schema_version), "1");
        db.add_document(Xapian::Document());
        db.commit();
    }
    try {
        revsearch::Searcher searcher(path.string());
        FAIL("an index of schema version 1 was opened");
    } catch (const revsearch::Error& e) {
        CHECK(std::string(e.what()).find("schema version 1") != std::string::npos);
        CHECK(e.remedy() == revsearch::Remedy::rebuild_index);  // the command line names `revindex rebuild`
    }
    std::filesystem::remove_all(path);
}

TEST_CASE("search: the sample page's known answers") {
    revsearch::Searcher searcher(pusher_index().path());
    CHECK(ranked_authors(searcher.search(request_for("heroin toilet"))).front() == "UlrikSander");
    CHECK(ranked_authors(searcher.search(request_for("\"once were warriors\""))) == std::vector<std::string>{"gotchast"});
    auto none = searcher.search(request_for("casablanca"));
    CHECK(none.hits.empty());
    CHECK(none.estimated == 0);
}

TEST_CASE("search: every weighting scheme ranks the sample page's known answer first") {
    revsearch::Searcher searcher(pusher_index().path());
    for (const char* scheme : {"bm25", "bm25+", "lm", "dph", "pl2"}) {
        CAPTURE(scheme);
        auto request = request_for("heroin toilet");
        revsearch::apply_scheme_spec(request.ranking, scheme);
        const auto result = searcher.search(request);
        REQUIRE_FALSE(result.hits.empty());
        CHECK(author_of(result.hits.front()) == "UlrikSander");
        // The signals' unit is the BM25 ceiling whatever the scheme (ranking.hpp): the same on shards.
        CHECK(result.scale.helpful == doctest::Approx(searcher.search(request_for("heroin toilet")).scale.helpful));
    }
}

TEST_CASE("search: each search sees what a writer committed after the searcher opened") {
    TempIndex index({by_author("UlrikSander")});
    revsearch::Searcher searcher(index.path());
    CHECK(searcher.search(request_for("warriors")).hits.empty());
    {
        Xapian::WritableDatabase writer(index.path());
        revsearch::DocumentBuilder builder("english", &writer);
        Review review = by_author("gotchast");
        writer.replace_document(revsearch::DocumentBuilder::id_term(review.id), builder.build(review));
        writer.commit();
        Review other = by_author("johanevander");
        writer.replace_document(revsearch::DocumentBuilder::id_term(other.id), builder.build(other));
        writer.commit();
    }
    CHECK(ranked_authors(searcher.search(request_for("warriors"))) == std::vector<std::string>{"gotchast"});
}

TEST_CASE("search: without details a hit has the same id, rank and score, and no record or parts") {
    revsearch::Searcher searcher(pusher_index().path());
    for (const std::string weights : {"helpful=0.075,rating=0.015", "helpful=0,rating=0", "helpful=0.1,rating=0.02"}) {
        CAPTURE(weights);
        auto request = request_for("good film heroin");
        revsearch::apply_weights_spec(request.ranking, weights);
        const auto full = searcher.search(request);
        request.details = false;
        // Snippets are cut from the record, so they bring the details back: a batch run asks for neither.
        CHECK_FALSE(searcher.search(request).hits.front().review.is_null());
        request.snippets = false;
        const auto bare = searcher.search(request);
        REQUIRE(full.hits.size() > 2);
        REQUIRE(bare.hits.size() == full.hits.size());
        for (std::size_t i = 0; i < full.hits.size(); ++i) {
            CHECK(bare.hits[i].id == full.hits[i].id);
            CHECK(bare.hits[i].rank == full.hits[i].rank);
            CHECK(bare.hits[i].score == full.hits[i].score);
            CHECK(bare.hits[i].review.is_null());
            CHECK(bare.hits[i].parts.bm25 == 0);
        }
    }
}

TEST_CASE("search: counts are exact up to the bound and the same whatever --limit") {
    revsearch::Searcher searcher(pusher_index().path());
    const auto all = pusher_reviews().size();
    for (Xapian::doccount limit : {0u, 1u, 3u, 100u}) {
        CAPTURE(limit);
        auto request = request_for("", limit);
        request.filters.item = "Pusher II";
        auto result = searcher.search(request);
        CHECK(result.estimated == all);
        CHECK(result.exact);
        CHECK(result.hits.size() == std::min<std::size_t>(limit, all));
        request = request_for("rating:8", limit);
        result = searcher.search(request);
        CHECK(result.exact);
        CHECK(result.estimated == searcher.search(request_for("rating:8..8")).hits.size());
    }
    // A page cut from the counted matches has the ranks and hits a whole list has.
    auto whole = searcher.search(request_for("pusher"));
    auto page = request_for("pusher", 2);
    page.offset = 4;
    auto paged = searcher.search(page);
    REQUIRE(paged.hits.size() == 2);
    CHECK(paged.hits[0].rank == 5);
    CHECK(paged.hits[0].id == whole.hits[4].id);
    CHECK(paged.hits[1].id == whole.hits[5].id);
    CHECK(paged.estimated == whole.estimated);
}

TEST_CASE("search: the same text under several products is shown once") {
    Review original = by_author("gotchast");
    Review variant = original;
    variant.id = "variant-listing";
    variant.item = "Pusher II (Blu-ray)";
    TempIndex index({original, variant, by_author("UlrikSander")});
    auto request = request_for("warriors");
    request.facets = true;
    revsearch::Searcher searcher(index.path());
    auto result = searcher.search(request);
    CHECK(result.hits.size() == 1);
    CHECK(result.estimated == 1);
    CHECK(result.facets->buckets[9] == 1);  // gotchast's 10/10, counted once

    request.collapse = false;  // --no-collapse: every copy, each counted
    auto every = searcher.search(request);
    CHECK(every.hits.size() == 2);
    CHECK(every.estimated == 2);
    CHECK(every.facets->buckets[9] == 2);
    CHECK(std::set<std::string>{every.hits[0].id, every.hits[1].id} == std::set<std::string>{original.id, "variant-listing"});
}

TEST_CASE("search: facets count every match's rating") {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("pusher OR film OR movie", 3);
    request.facets = true;
    auto result = searcher.search(request);
    REQUIRE(result.facets);
    Xapian::doccount total = result.facets->unknown;
    for (auto count : result.facets->buckets) total += count;
    CHECK(total == result.estimated);
    CHECK(result.hits.size() == 3);
    // Against the reader's own ratings, on a query that matches every review.
    auto everything = request_for("item:pusher", 1);
    everything.facets = true;
    auto all = searcher.search(everything);
    std::array<Xapian::doccount, 10> expected{};
    Xapian::doccount unknown = 0;
    for (const auto& review : pusher_reviews()) {
        if (!review.rating || !review.rating_max) {
            ++unknown;
            continue;
        }
        long bucket = std::clamp(std::lround(*review.rating * 10 / *review.rating_max), 1L, 10L);
        ++expected[static_cast<std::size_t>(bucket - 1)];
    }
    CHECK(all.facets->buckets == expected);
    CHECK(all.facets->unknown == unknown);
}

TEST_CASE("search: sorting by helpfulness, rating and date, and paging") {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("pusher OR film OR movie");
    request.sort = revsearch::SortOrder::date;
    auto by_date = searcher.search(request);
    REQUIRE(by_date.hits.size() > 5);
    for (std::size_t i = 1; i < by_date.hits.size(); ++i) {
        auto newer = by_date.hits[i - 1].review["date"], older = by_date.hits[i].review["date"];
        if (newer.is_string() && older.is_string()) CHECK(newer.get<std::string>() >= older.get<std::string>());
    }
    request.sort = revsearch::SortOrder::rating;
    auto by_rating = searcher.search(request);
    double previous = 11;
    for (const auto& hit : by_rating.hits) {
        if (!hit.review["rating"].is_number()) continue;
        double rating = hit.review["rating"].get<double>() * 10 / hit.review["rating_max"].get<double>();
        CHECK(rating <= previous);
        previous = rating;
    }
    request.sort = revsearch::SortOrder::helpful;
    auto by_helpful = searcher.search(request);
    CHECK(author_of(by_helpful.hits.front()) == "UlrikSander");  // 54/62: the best Wilson bound on the page

    request.sort = revsearch::SortOrder::relevance;
    auto first_page = searcher.search(request);
    request.offset = 2;
    request.limit = 3;
    auto second_page = searcher.search(request);
    REQUIRE(second_page.hits.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(second_page.hits[i].rank == i + 3);
        CHECK(second_page.hits[i].id == first_page.hits[i + 2].id);
    }
}

TEST_CASE("search: did you mean, for rare or unknown words only") {
    revsearch::Searcher searcher(pusher_index().path());
    struct Row {
        const char* query;
        std::optional<std::string> suggestion;
    };
    const Row rows[] = {
        {"Mikkelson", "mikkelsen"},
        {"Mads Mikkelson", "Mads mikkelsen"},
        {"mikkelsen", std::nullopt},
        {"gangster", std::nullopt},
        {"author:Mikkelson", std::nullopt},
        {"heroin toilet", std::nullopt},
        {"Drasbeak", std::nullopt},       // drasbaek is one edit away, but in one review only: not common
        {"gangstr", "gangster"},          // unknown: up to 2 edits, to a word in 4 reviews
        {"-Mikkelson", "-mikkelsen"},
    };
    for (const Row& row : rows) {
        const std::string query_text = row.query;
        CAPTURE(query_text);
        CHECK(revsearch::spelling_suggestion(searcher.database(), Xapian::Stem("english"), row.query) ==
              row.suggestion);
    }
    auto result = searcher.search(request_for("Mikkelson"));
    CHECK(result.suggestion == std::optional<std::string>("mikkelsen"));
    CHECK(result.parsed.find("mikkelson") != std::string::npos);  // a hint: the query itself is not rewritten
}

TEST_CASE("search: a query over the term limit says so everywhere, and no long query gets a spelling hint") {
    revsearch::Searcher searcher(pusher_index().path());
    std::string pasted = "heroin";
    for (std::size_t i = 0; i < revsearch::max_query_terms + 500; ++i) pasted += " zq" + std::to_string(i) + "x";
    auto request = request_for(pasted);
    auto result = searcher.search(request);
    CHECK(result.capped);
    CHECK(result.terms == revsearch::max_query_terms + 501);
    CHECK(ranked_authors(result) == std::vector<std::string>{"UlrikSander"});
    CHECK_FALSE(result.suggestion);
    CHECK(revsearch::capped_warning(result) ==
          "the query has 1501 distinct terms, more than the limit of 1000: only its first 1000 distinct words were "
          "searched, without operators (docs/query-syntax.md)");
    std::ostringstream text, json_lines;
    revsearch::write_text(text, result, {false, false});
    CHECK(text.str().find("; only the first 1000 distinct words of the query were searched") != std::string::npos);
    revsearch::write_json_lines(json_lines, request, result);
    auto summary = nlohmann::json::parse(json_lines.str().substr(json_lines.str().rfind("{\"type\"")));
    CHECK(summary["data"]["capped"] == true);
    CHECK(summary["data"]["terms"] == revsearch::max_query_terms + 501);

    auto short_query = searcher.search(request_for("Mikkelson heroin"));
    CHECK_FALSE(short_query.capped);
    CHECK(short_query.terms == 2);
    CHECK(revsearch::capped_warning(short_query).empty());
    CHECK(short_query.suggestion == std::optional<std::string>("mikkelsen heroin"));
    // Over max_query_terms words, though of two terms only: a pasted text, no hint.
    std::string long_query = "Mikkelson";
    for (std::size_t i = 0; i < revsearch::max_query_terms; ++i) long_query += " heroin";
    auto long_result = searcher.search(request_for(long_query));
    CHECK_FALSE(long_result.capped);
    CHECK_FALSE(long_result.suggestion);
}

TEST_CASE("search: JSON lines carry every hit and a summary") {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("Sorensen", 5);
    request.facets = true;
    auto result = searcher.search(request);
    std::ostringstream out;
    revsearch::write_json_lines(out, request, result);
    std::istringstream lines(out.str());
    std::string line;
    std::vector<nlohmann::json> records;
    while (std::getline(lines, line)) records.push_back(nlohmann::json::parse(line));
    REQUIRE(records.size() == result.hits.size() + 1);
    for (std::size_t i = 0; i + 1 < records.size(); ++i) {
        const auto& record = records[i];
        CHECK(record["type"] == "hit");
        const auto& data = record["data"];
        CHECK(data["rank"] == i + 1);
        CHECK(data["review"].size() == 15);
        CHECK(data["id"] == data["review"]["id"]);
        auto parts = data["parts"];
        CHECK(parts["bm25"].get<double>() + parts["helpful"].get<double>() + parts["rating"].get<double>() ==
              doctest::Approx(data["score"].get<double>()));
        std::string snippet = data["snippet"];
        REQUIRE(!data["highlights"].empty());
        for (const auto& highlight : data["highlights"]) {
            std::string word = snippet.substr(highlight[0].get<std::size_t>(), highlight[1].get<std::size_t>());
            CHECK((word == "Sorensen" || word == "Sørensen"));
        }
    }
    const auto& summary = records.back();
    CHECK(summary["type"] == "summary");
    CHECK(summary["data"]["query"] == "Sorensen");
    CHECK(summary["data"]["estimated"] == 2);
    CHECK(summary["data"]["suggestion"].is_null());
    CHECK(summary["data"]["facets"]["rating"].size() == 11);
    CHECK(summary["data"]["parsed"].get<std::string>().find("sorensen") != std::string::npos);
}

TEST_CASE("search: text output for a pipe has no colour, and shows what a reader needs") {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("heroin toilet", 1);
    request.facets = true;
    auto result = searcher.search(request);
    std::ostringstream plain, coloured;
    revsearch::write_text(plain, result, {false, true});
    revsearch::write_text(coloured, result, {true, false});
    std::string text = plain.str();
    CHECK(text.find('\x1b') == std::string::npos);
    for (const char* expected : {"  1. Nicolas Winding Refn's Pusher 2", "UlrikSander", "2006-03-11", "8/10",
                                 "helpful 54/62", "heroin", "toilet", "score ", "= bm25 ", "parsed: ", "match",
                                 "rating, of 10"})
        CHECK_MESSAGE(text.find(expected) != std::string::npos, expected);
    CHECK(coloured.str().find("\x1b[1;33mheroin\x1b[0m") != std::string::npos);

    // kristianbk's review carries a spoiler warning; UlrikSander's does not.
    auto spoiler = searcher.search(request_for("author:kristianbk", 1));
    std::ostringstream spoiler_text;
    revsearch::write_text(spoiler_text, spoiler, {false, false});
    CHECK(spoiler_text.str().find("[spoilers]") != std::string::npos);
    CHECK(text.find("[spoilers]") == std::string::npos);
}

TEST_CASE("search: text output names a review without an item title by its item id") {
    Review no_title = by_author("gotchast");
    no_title.item.reset();
    no_title.item_year.reset();
    no_title.item_id = "B000TITLE";
    Review nothing = by_author("UlrikSander");
    nothing.item.reset();
    nothing.item_year.reset();
    nothing.item_id.reset();
    TempIndex index({no_title, nothing});
    revsearch::Searcher searcher(index.path());
    std::ostringstream text;
    revsearch::write_text(text, searcher.search(request_for("warriors")), {false, false});
    CHECK(text.str().find("     B000TITLE · gotchast · ") != std::string::npos);
    std::ostringstream bare;
    revsearch::write_text(bare, searcher.search(request_for("toilet")), {false, false});
    CHECK(bare.str().find("     UlrikSander · 2006-03-11") != std::string::npos);
    CHECK(bare.str().find("null") == std::string::npos);
}

TEST_CASE("search: --color modes") {
    struct Row {
        const char* mode;
        bool terminal, no_color, expected;
    };
    for (Row row : {Row{"auto", true, false, true}, Row{"auto", false, false, false}, Row{"auto", true, true, false},
                    Row{"always", false, true, true}, Row{"never", true, false, false}}) {
        const std::string mode_text = row.mode;
        CAPTURE(mode_text);
        CHECK(revsearch::use_color(row.mode, row.terminal, row.no_color) == row.expected);
    }
    CHECK_THROWS_AS(revsearch::use_color("sometimes", true, false), std::invalid_argument);
}

TEST_CASE("search: batch queries from TSV and BEIR JSON lines, bad lines reported") {
    std::istringstream in("q1\theroin toilet\n\n{\"_id\": \"q2\", \"text\": \"once were warriors\", \"metadata\": {}}\n"
                          "no tab here\n{\"_id\": 7, \"text\": \"gangster\"}\n{\"text\": \"no id\"}\n{broken\n");
    std::vector<revsearch::Problem> problems;
    auto queries = revsearch::read_batch_queries(in, "queries.tsv", [&](const revsearch::Problem& p) { problems.push_back(p); });
    REQUIRE(queries.size() == 3);
    CHECK(queries[0].id == "q1");
    CHECK(queries[0].text == "heroin toilet");
    CHECK(queries[1].id == "q2");
    CHECK(queries[2].id == "7");
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].line == 4);
    CHECK(problems[1].line == 6);
    CHECK(problems[2].line == 7);

    revsearch::Searcher searcher(pusher_index().path());
    auto result = searcher.search(request_for(queries[0].text, 3));
    std::ostringstream run;
    revsearch::write_trec_run(run, queries[0].id, result, "test");
    std::istringstream lines(run.str());
    std::string qid, q0, docid, tag;
    int rank = 0;
    double score = 0;
    lines >> qid >> q0 >> docid >> rank >> score >> tag;
    REQUIRE_FALSE(lines.fail());
    CHECK(qid == "q1");
    CHECK(q0 == "Q0");
    CHECK(docid == by_author("UlrikSander").id);
    CHECK(rank == 1);
    CHECK(score == doctest::Approx(result.hits[0].score).epsilon(1e-5));
    CHECK(tag == "test");
}

TEST_CASE("search: a batch run's timing summary, nearest-rank percentiles") {
    std::vector<double> ten = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
    CHECK(revsearch::percentile(ten, 50) == 5);
    CHECK(revsearch::percentile(ten, 95) == 10);
    CHECK(revsearch::percentile(ten, 90) == 9);
    CHECK(revsearch::percentile(ten, 100) == 10);
    CHECK(revsearch::percentile({4}, 50) == 4);
    CHECK(revsearch::percentile({}, 50) == 0);
    std::vector<double> hundred;
    for (int i = 100; i >= 1; --i) hundred.push_back(i);
    CHECK(revsearch::percentile(hundred, 95) == 95);

    CHECK(revsearch::format_batch_timing({{2.5, 0.75, 40}, {}, 1.234}) ==
          "3 queries in 1.23 s; per query p50 2.5 ms, p95 40.0 ms, max 40.0 ms");
    CHECK(revsearch::format_batch_timing({{7}, {}, 0.01}) == "1 query in 0.01 s; per query p50 7.0 ms, p95 7.0 ms, max 7.0 ms");
    CHECK(revsearch::format_batch_timing({}) == "0 queries in 0.00 s");
    CHECK(revsearch::format_batch_timing({{2.5, 0.75, 40}, {1.5, 0.5, 2}, 1.234}) ==
          "3 queries in 1.23 s; per query p50 2.5 ms, p95 40.0 ms, max 40.0 ms; CPU p50 1.500 ms, p99 2.000 ms");
    // A warm-up query (a cold first search) is counted but left out of the percentiles, wall and CPU alike.
    CHECK(revsearch::format_batch_timing({{300, 2.5, 0.75, 40}, {250, 1.5, 0.5, 2}, 1.234, 1}) ==
          "4 queries (1 warm-up) in 1.23 s; per query p50 2.5 ms, p95 40.0 ms, max 40.0 ms; CPU p50 1.500 ms, p99 2.000 ms");
    CHECK(revsearch::format_batch_timing({{300}, {250}, 0.3, 5}) == "1 query (1 warm-up) in 0.30 s");
}
