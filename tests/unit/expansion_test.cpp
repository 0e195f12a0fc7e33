// Query expansion (searcher/search/expansion.hpp) and what --expand and --like do to a search.

#include <algorithm>
#include <set>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "error_kind.hpp"
#include "revsearch/expansion.hpp"
#include "search_fixture.hpp"

using namespace search_fixture;

namespace {

std::set<std::string> terms_of(const revsearch::WeightedTerms& terms) {
    std::set<std::string> names;
    for (const auto& [term, weight] : terms) names.insert(term);
    return names;
}

std::set<std::string> ids_of(const revsearch::SearchResult& result) {
    std::set<std::string> ids;
    for (const auto& hit : result.hits) ids.insert(hit.id);
    return ids;
}

Xapian::docid docid_of(const Xapian::Database& database, const Review& review) {
    return *database.postlist_begin(revsearch::DocumentBuilder::id_term(review.id));
}

}  // namespace

TEST_CASE("expansion: the terms that tell a review apart are its stems, best first, the query's own left out") {
    Xapian::Database database(pusher_index().path());
    const revsearch::FeedbackDocuments feedback{docid_of(database, by_author("UlrikSander"))};
    revsearch::ExpansionParams params;
    params.terms = 15;
    const auto terms = revsearch::expansion_terms(database, feedback, Xapian::Query("heroin"), params);
    REQUIRE(!terms.empty());
    CHECK(terms.size() <= 15);
    CHECK(std::is_sorted(terms.begin(), terms.end(), [](const auto& a, const auto& b) { return a.second > b.second; }));
    for (const auto& entry : terms) {  // no structured binding: clang 14 cannot capture one (CAPTURE)
        const std::string& term = entry.first;
        CAPTURE(term);
        const auto parts = revsearch::schema::classify_term(term);
        CHECK(parts.kind == revsearch::schema::TermKind::stem);
        CHECK(parts.text.size() >= 2);
        CHECK(!std::all_of(parts.text.begin(), parts.text.end(), [](char c) { return c >= '0' && c <= '9'; }));
    }
    CHECK(terms_of(terms).count("heroin") == 0);
    // Without the query, its word may come back: it is the review's own.
    const auto unqueried = revsearch::expansion_terms(database, feedback, Xapian::Query(), params);
    CHECK(unqueried.size() == terms.size());
}

TEST_CASE("expansion: no feedback, no terms; the weighted query is stock parts") {
    Xapian::Database database(pusher_index().path());
    CHECK(revsearch::expansion_terms(database, {}, Xapian::Query(), {}).empty());
    CHECK(revsearch::weighted_terms_query({}, 0.5).empty());
    CHECK(revsearch::weighted_terms_query({{"drug", 2.0}}, 0).empty());
    CHECK(revsearch::weighted_terms_query({{"drug", 2.0}, {"cop", 1.0}}, 0.5).get_description() ==
          "Query(0.5 * (1 * drug OR 0.5 * cop))");
    // A term found in every document weighs nothing in an ESet (Bo1 can give it 0 or less): left out.
    CHECK(revsearch::weighted_terms_query({{"drug", 2.0}, {"film", 0.0}}, 1).get_description() ==
          "Query(1 * 1 * drug)");
}

TEST_CASE("expansion: settings as --expand-with gives them") {
    struct Row {
        std::string spec;
        std::string expected;  // "docs terms weight scheme mindocs" or "error: PART"
    };
    const std::vector<Row> rows = {
        {"docs=3", "3 10 1 trad 1"},
        {"terms=40,weight=1.5", "3 40 1.5 trad 1"},
        {"scheme=bo1,docs=1000", "1000 10 1 bo1 1"},
        {"weight=0", "3 10 0 trad 1"},
        {"mindocs=2,docs=5", "5 10 1 trad 2"},
        {"mindocs=0", "error: mindocs takes a whole number from 1 to 1000"},
        {"maxdf=0.1", "error: unknown setting \"maxdf\""},
        {"", "error: empty setting"},
        {"docs=1001", "error: docs takes a whole number from 1 to 1000"},
        {"weight=11", "error: weight must be between 0 and 10"},
        {"weight=x", "error: \"weight\" needs a number, not \"x\""},
        {"scheme=", "error: scheme takes bo1 or trad"},
        {"depth=2", "error: unknown setting \"depth\""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.spec);
        revsearch::ExpansionParams params;
        try {
            revsearch::apply_expansion_spec(params, row.spec);
            CHECK(fmt::format("{} {} {} {} {}", params.documents, params.terms, params.weight, params.scheme,
                              params.min_feedback_documents) == row.expected);
        } catch (const std::invalid_argument& e) {
            CHECK_MESSAGE(row.expected.starts_with("error: "), e.what());
            CHECK_MESSAGE(std::string(e.what()).find(row.expected.substr(7)) != std::string::npos, e.what());
        }
    }
}

TEST_CASE("expansion: which candidate terms the selection rules keep") {
    revsearch::ExpansionParams two;  // mindocs=2
    two.min_feedback_documents = 2;
    struct Row {
        std::string term;
        Xapian::doccount held_by;        // feedback documents holding the term
        Xapian::doccount feedback_size;  // feedback documents
        bool kept_by_default;            // mindocs=1
        bool kept_with_two;              // mindocs=2
    };
    const std::vector<Row> rows = {
        {"calcaneus", 2, 3, true, true},    // two of three feedback documents: the query's subject
        {"calcaneus", 1, 3, true, false},   // one case report's subject
        {"calcaneus", 3, 3, true, true},
        {"calcaneus", 0, 3, false, false},  // (never asked: every candidate is some feedback document's)
        {"calcaneus", 1, 10, true, false},
        {"calcaneus", 2, 10, true, true},   // at least 2, however many feedback documents
        {"calcaneus", 1, 2, true, true},    // fewer than 3 feedback documents: one suffices
        {"calcaneus", 1, 1, true, true},    // --like: its one review
        {"been", 3, 3, true, true},         // a word of every text: no ceiling (it cost on tune)
        {"0.5", 3, 3, true, true},          // a decimal stays
        {"x2", 3, 3, true, true},           // a code stays
        {"1990", 3, 3, false, false},       // a number: out
        {"a", 3, 3, false, false},          // one letter: out
        {"Zfoo", 3, 3, false, false},       // no field terms (a headline word would count twice)
        {"XIb00001", 3, 3, false, false},   // no filter terms
    };
    for (const auto& row : rows) {
        CAPTURE(row.term);
        CAPTURE(row.held_by);
        CAPTURE(row.feedback_size);
        CHECK(revsearch::keeps_expansion_term(row.term, row.held_by, row.feedback_size, {}) == row.kept_by_default);
        CHECK(revsearch::keeps_expansion_term(row.term, row.held_by, row.feedback_size, two) == row.kept_with_two);
    }
}

TEST_CASE("expansion: mindocs=2 over 3 feedback documents: every term is held by 2 of them") {
    Xapian::Database database(pusher_index().path());
    // The three best of a first pass, as --expand takes them.
    Xapian::Enquire enquire(database);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("heroin"), Xapian::Query("drug")));
    revsearch::FeedbackDocuments feedback;
    const Xapian::MSet top = enquire.get_mset(0, 3);
    for (auto it = top.begin(); it != top.end(); ++it) feedback.push_back(*it);
    REQUIRE(feedback.size() == 3);
    revsearch::ExpansionParams params;
    params.terms = 30;
    params.scheme = "bo1";  // Bo1 ranks a term of one feedback document high; trad ranks by the documents holding it
    params.min_feedback_documents = 2;
    const auto terms = revsearch::expansion_terms(database, feedback, Xapian::Query("heroin"), params);
    REQUIRE(!terms.empty());
    for (const auto& entry : terms) {
        const std::string& term = entry.first;
        CAPTURE(term);
        int held_by = 0;
        for (const Xapian::docid docid : feedback) {
            auto it = database.termlist_begin(docid);
            it.skip_to(term);
            held_by += it != database.termlist_end(docid) && *it == term;
        }
        CHECK(held_by >= 2);
    }
    // Without the rule, some term of one feedback document alone comes in.
    params.min_feedback_documents = 1;
    const auto unruled = revsearch::expansion_terms(database, feedback, Xapian::Query("heroin"), params);
    CHECK(terms_of(unruled) != terms_of(terms));
}

TEST_CASE("search --expand: bare words gain matches; a query with operators keeps its matches, re-ranked") {
    revsearch::Searcher searcher(pusher_index().path());
    auto plain = request_for("heroin");
    auto expanded = plain;
    expanded.expand = revsearch::ExpandWhen::always;
    const auto before = searcher.search(plain);
    const auto after = searcher.search(expanded);
    REQUIRE(!after.expansion.empty());
    CHECK(terms_of(after.expansion).count("heroin") == 0);
    CHECK(after.estimated >= before.estimated);
    const auto before_ids = ids_of(before);
    const auto after_ids = ids_of(after);
    CHECK(std::includes(after_ids.begin(), after_ids.end(), before_ids.begin(), before_ids.end()));
    CHECK(after.parsed.find("1 * ") != std::string::npos);

    auto strict = request_for("heroin AND drugs");
    const auto strict_plain = searcher.search(strict);
    strict.expand = revsearch::ExpandWhen::always;
    const auto strict_expanded = searcher.search(strict);
    CHECK(!strict_expanded.expansion.empty());
    CHECK(strict_expanded.estimated == strict_plain.estimated);
    CHECK(ids_of(strict_expanded) == ids_of(strict_plain));

    // No word to expand from (filters only): nothing added.
    auto filters_only = request_for("");
    filters_only.filters.min_votes = 1;
    filters_only.expand = revsearch::ExpandWhen::always;
    CHECK(searcher.search(filters_only).expansion.empty());
}

TEST_CASE("search: a long query is expanded by default, a short one is not, --no-expand leaves both as typed") {
    revsearch::Searcher searcher(pusher_index().path());
    struct Row {
        std::string query;
        revsearch::ExpandWhen when;
        bool long_query;
        bool expanded;
    };
    using revsearch::ExpandWhen;
    static_assert(revsearch::long_query_terms == 5, "the rows below count words against it");
    const std::vector<Row> rows = {
        {"heroin", ExpandWhen::long_queries, false, false},
        {"gangster drugs heroin violence", ExpandWhen::long_queries, false, false},
        {"gangster drugs heroin violence copenhagen", ExpandWhen::long_queries, true, true},
        // Repeated words count once: four distinct words.
        {"heroin heroin drugs drugs gangster violence", ExpandWhen::long_queries, false, false},
        {"gangster drugs heroin violence copenhagen", ExpandWhen::never, true, false},
        {"heroin", ExpandWhen::always, false, true},
    };
    for (const auto& row : rows) {
        CAPTURE(row.query);
        auto request = request_for(row.query);
        request.expand = row.when;
        const auto result = searcher.search(request);
        CHECK(result.long_query == row.long_query);
        CHECK(result.expanded() == row.expanded);
        CHECK(result.expansion.empty() == !row.expanded);
    }
}

TEST_CASE("expansion_for: the settings a query of each number of distinct words expands with, by ExpandWhen") {
    using revsearch::ExpandWhen;
    using revsearch::long_query_terms;
    using revsearch::pasted_text_terms;
    static_assert(long_query_terms < pasted_text_terms, "a written-out need has at least one count of words");
    enum class Expected { none, need, given };
    struct Row {
        ExpandWhen when;
        std::size_t terms;
        bool like;
        Expected expected;
    };
    const std::vector<Row> rows = {
        // The default: a shopper's words alone, a written-out need with Bo1/3/20, pasted text with --expand's.
        {ExpandWhen::long_queries, 0, false, Expected::none},
        {ExpandWhen::long_queries, 1, false, Expected::none},
        {ExpandWhen::long_queries, long_query_terms - 1, false, Expected::none},
        {ExpandWhen::long_queries, long_query_terms, false, Expected::need},
        {ExpandWhen::long_queries, 15, false, Expected::need},  // Cranfield's and MEDLINE's median
        {ExpandWhen::long_queries, pasted_text_terms - 1, false, Expected::need},
        {ExpandWhen::long_queries, pasted_text_terms, false, Expected::given},
        {ExpandWhen::long_queries, 106, false, Expected::given},  // ArguAna's median
        // --expand, --expand-with: the settings given, for every query.
        {ExpandWhen::always, 1, false, Expected::given},
        {ExpandWhen::always, 15, false, Expected::given},
        {ExpandWhen::always, pasted_text_terms, false, Expected::given},
        {ExpandWhen::always, 0, false, Expected::none},
        // --no-expand, and --like (an expansion of its own): never.
        {ExpandWhen::never, 1, false, Expected::none},
        {ExpandWhen::never, 15, false, Expected::none},
        {ExpandWhen::never, pasted_text_terms, false, Expected::none},
        {ExpandWhen::long_queries, 15, true, Expected::none},
        {ExpandWhen::always, 15, true, Expected::none},
    };
    revsearch::SearchRequest request;
    request.expansion.terms = 7;  // settings a caller gave, told apart from both defaults
    request.expansion.scheme = "bo1";
    for (const auto& row : rows) {
        CAPTURE(static_cast<int>(row.when));
        CAPTURE(row.terms);
        CAPTURE(row.like);
        request.expand = row.when;
        request.like = row.like ? std::optional<std::string>("some-review") : std::nullopt;
        const auto settings = revsearch::expansion_for(request, row.terms);
        switch (row.expected) {
            case Expected::none: CHECK(!settings); break;
            case Expected::need:
                REQUIRE(settings);
                CHECK(revsearch::expansion_spec(*settings) == "docs=3,terms=20,weight=1,scheme=bo1,mindocs=1");
                break;
            case Expected::given:
                REQUIRE(settings);
                CHECK(revsearch::expansion_spec(*settings) == revsearch::expansion_spec(request.expansion));
                break;
        }
    }
    // Without settings of a caller's, pasted text expands with --expand's defaults.
    CHECK(revsearch::expansion_spec(revsearch::ExpansionParams{}) == "docs=3,terms=10,weight=1,scheme=trad,mindocs=1");
}

TEST_CASE("expansion_spec: every setting, in the words --expand-with reads back") {
    revsearch::ExpansionParams params;
    revsearch::apply_expansion_spec(params, "weight=0.25,docs=10,mindocs=2,scheme=bo1,terms=30");
    CHECK(revsearch::expansion_spec(params) == "docs=10,terms=30,weight=0.25,scheme=bo1,mindocs=2");
    revsearch::ExpansionParams again;
    revsearch::apply_expansion_spec(again, revsearch::expansion_spec(params));
    CHECK(revsearch::expansion_spec(again) == revsearch::expansion_spec(params));
}

TEST_CASE("search: a written-out need and pasted text expand with their own settings, and say which") {
    revsearch::Searcher searcher(pusher_index().path());
    const std::string need = "gangster drugs heroin violence copenhagen";  // 5 distinct words
    std::string pasted = need;  // pasted_text_terms distinct words: the need and filler words the index lacks
    for (std::size_t word = 5; word < revsearch::pasted_text_terms; ++word) pasted += fmt::format(" zq{}x", word);
    const auto need_result = searcher.search(request_for(need));
    const auto pasted_result = searcher.search(request_for(pasted));
    REQUIRE(need_result.expanded_with);
    REQUIRE(pasted_result.expanded_with);
    CHECK(pasted_result.terms == revsearch::pasted_text_terms);
    CHECK(need_result.expanded_with->scheme == "bo1");
    CHECK(need_result.expanded_with->terms == 20);
    CHECK(pasted_result.expanded_with->scheme == "trad");
    CHECK(pasted_result.expanded_with->terms == 10);
    auto asked = request_for(need);
    asked.expand = revsearch::ExpandWhen::always;  // --expand: its own settings, whatever the query's length
    const auto asked_result = searcher.search(asked);
    REQUIRE(asked_result.expanded_with);
    CHECK(asked_result.expanded_with->scheme == "trad");
    auto alone = request_for(need);
    alone.expand = revsearch::ExpandWhen::never;
    CHECK(!searcher.search(alone).expanded_with);
}

TEST_CASE("search --like: reviews sharing the review's telling words, the review itself left out") {
    revsearch::Searcher searcher(pusher_index().path());
    const Review source = by_author("UlrikSander");
    auto request = request_for("");
    request.like = source.id;
    const auto result = searcher.search(request);
    REQUIRE(!result.hits.empty());
    CHECK(result.expansion.size() <= request.like_params.terms);
    CHECK(ids_of(result).count(source.id) == 0);
    // Each hit holds at least one of the terms searched.
    Xapian::Database database(pusher_index().path());
    const auto searched = terms_of(result.expansion);
    for (const auto& hit : result.hits) {
        CAPTURE(hit.id);
        auto posting = database.postlist_begin(revsearch::DocumentBuilder::id_term(hit.id));
        const auto document = database.get_document(*posting);
        bool holds = false;
        for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term)
            holds = holds || searched.count(*term);
        CHECK(holds);
    }
    // Filters apply as to any search.
    request.filters.min_votes = 1000000;
    CHECK(searcher.search(request).hits.empty());

    request.like = "no-such-review";
    CHECK(error_kind_of([&] { searcher.search(request); }) == revsearch::ErrorKind::not_found);
}

TEST_CASE("search --like: copies of the review's text (the same body under another id) are left out too") {
    Review copy = by_author("UlrikSander");
    Review original = copy;
    copy.id = "copy-of-" + copy.id;
    TempIndex index({original, copy, by_author("gotchast"), by_author("johanevander")});
    revsearch::Searcher searcher(index.path());
    auto request = request_for("");
    request.like = original.id;
    request.collapse = false;
    const auto ids = ids_of(searcher.search(request));
    CHECK(ids.count(original.id) == 0);
    CHECK(ids.count(copy.id) == 0);
}
