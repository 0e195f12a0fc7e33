// revsearch's command line (searcher/cli/options.hpp), table-driven (option_rows.hpp).

#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "option_rows.hpp"
#include "options.hpp"
#include "revsearch/command_line.hpp"

using Args = std::vector<std::string>;

namespace {

template <class T>
std::string show(const std::optional<T>& value) {
    return value ? fmt::format("{}", *value) : "-";
}

std::string show(const std::optional<revsearch::RatingBound>& bound) {
    return bound ? fmt::format("{}{}", bound->value, bound->percent ? "%" : "") : "-";
}

std::string show(const revsearch_cli::Options& o) {
    const auto& r = o.request;
    const auto& f = r.filters;
    return fmt::format("query='{}' db={} limit={} offset={} sort={} match={} collapse={} facets={} k1={} b={} "
                       "helpful={} rating={} filters=[{} {} {} {} {} {} {} {}] json={} explain={} partial={} color={} "
                       "queries={} tag={} all={} quiet={} warmup={}",
                       r.query, show(o.db), r.limit, r.offset, static_cast<int>(r.sort), static_cast<int>(r.match),
                       r.collapse, r.facets, r.ranking.k1, r.ranking.b, r.ranking.helpful_weight,
                       r.ranking.rating_weight, show(f.min_rating), show(f.max_rating), show(f.since), show(f.until),
                       show(f.item), show(f.author), f.no_spoilers, show(f.min_votes), o.json, o.explain,
                       o.allow_partial, o.color, show(o.queries_file), o.run_tag, o.all, o.quiet, o.warm_up);
}

const std::string defaults_tail = "json=false explain=false partial=false color=auto queries=- tag=revsearch all=false quiet=false warmup=0";

}  // namespace

TEST_CASE("revsearch: options") {
    const std::vector<OptionRow> rows = {
        {{"heroin", "toilet"},
         "query='heroin toilet' db=- limit=10 offset=0 sort=0 match=0 collapse=true facets=false k1=1.2 b=0.75 "
         "helpful=0.075 rating=0.015 filters=[- - - - - - false -] " + defaults_tail},
        {{"--db", "d", "-n", "3", "--offset", "6", "--sort", "helpful", "--match", "all", "--no-collapse", "--facets",
          "--json", "--explain", "--allow-partial", "--color", "never", "--", "-mikkelsen"},
         "query='-mikkelsen' db=d limit=3 offset=6 sort=1 match=1 collapse=false facets=true k1=1.2 b=0.75 "
         "helpful=0.075 rating=0.015 filters=[- - - - - - false -] json=true explain=true partial=true color=never "
         "queries=- tag=revsearch all=false quiet=false warmup=0"},
        {{"--min-rating", "8", "--max-rating", "10", "--since", "2004", "--until", "2006-12", "--item", "tt0385887",
          "--author", "Ulrik", "--no-spoilers", "--min-votes", "5"},
         "query='' db=- limit=10 offset=0 sort=0 match=0 collapse=true facets=false k1=1.2 b=0.75 helpful=0.075 "
         "rating=0.015 filters=[8 10 2004 2006-12 tt0385887 Ulrik true 5] " + defaults_tail},
        {{"--bm25", "k1=0.9,b=0.4", "--weights", "helpful=0,rating=0.2", "pusher"},
         "query='pusher' db=- limit=10 offset=0 sort=0 match=0 collapse=true facets=false k1=0.9 b=0.4 helpful=0 "
         "rating=0.2 filters=[- - - - - - false -] " + defaults_tail},
        {{"--queries", "q.tsv", "--run-tag", "mine", "-q", "--limit", "100"},
         "query='' db=- limit=100 offset=0 sort=0 match=0 collapse=true facets=false k1=1.2 b=0.75 helpful=0.075 "
         "rating=0.015 filters=[- - - - - - false -] json=false explain=false partial=false color=auto queries=q.tsv "
         "tag=mine all=false quiet=true warmup=0"},
        {{"--all", "--facets", "-n0"},
         "query='' db=- limit=0 offset=0 sort=0 match=0 collapse=true facets=true k1=1.2 b=0.75 helpful=0.075 "
         "rating=0.015 filters=[- - - - - - false -] json=false explain=false partial=false color=auto queries=- "
         "tag=revsearch all=true quiet=false warmup=0"},
        {{"--min-rating", "80%", "--max-rating", "4.5", "x"},
         "query='x' db=- limit=10 offset=0 sort=0 match=0 collapse=true facets=false k1=1.2 b=0.75 helpful=0.075 "
         "rating=0.015 filters=[80% 4.5 - - - - false -] " + defaults_tail},
        {{}, "error: no query given"},
        {{"pusher", "-mikkelsen"}, "error: to exclude a word, quote the query: 'pusher -mikkelsen', or put it after --"},
        {{"--no-such", "x"}, "error: revsearch --help lists the options"},
        {{"--all", "pusher"}, "error: --all lists every review: give it no query"},
        {{"--limit", "-1", "x"}, "error: --limit and --offset must be >= 0"},
        {{"--match", "some", "x"}, "error: --match takes any or all"},
        {{"--sort", "votes", "x"}, "error: --sort takes relevance, helpful, rating or date"},
        {{"--color", "sometimes", "x"}, "error: --color takes auto, always or never"},
        {{"--bm25", "k1=-1", "x"}, "error: --bm25: k1 must be >= 0"},
        {{"--weights", "spelling=1", "x"}, "error: --weights: unknown weight \"spelling\""},
        {{"--field-weights", "body=1", "x"}, "error: --field-weights: unknown field \"body\" (headline)"},
        {{"--field-weights", "headline=-1", "x"}, "error: --field-weights: field weight \"headline\" must be >= 0"},
        {{"--min-votes", "-3", "x"}, "error: --min-votes must be >= 0"},
        {{"--limit", "ten", "x"}, "error: limit"},
        {{"--min-rating", "four", "x"}, "error: --min-rating takes a rating as shown (4) or a share of its scale (80%), not \"four\""},
        {{"--max-rating", "120%", "x"}, "error: --max-rating takes a rating as shown (4) or a share of its scale (80%), not \"120%\""},
        {{"--width", "-1", "x"}, "error: --width takes a number of columns, 0 to 10000"},
        {{"--show", "a", "x"}, "error: --show prints reviews by id: give it no query, --all or --queries"},
        {{"--queries", "q.tsv", "--warm-up", "1"},
         "query='' db=- limit=10 offset=0 sort=0 match=0 collapse=true facets=false k1=1.2 b=0.75 helpful=0.075 "
         "rating=0.015 filters=[- - - - - - false -] json=false explain=false partial=false color=auto queries=q.tsv "
         "tag=revsearch all=false quiet=false warmup=1"},
        {{"--warm-up", "1", "x"}, "error: --warm-up counts queries of a --queries file: give one"},
        {{"--queries", "q.tsv", "--warm-up", "one"}, "error: warm-up"},
    };
    check_option_rows(revsearch_cli::parse_options, [](const revsearch_cli::Options& o) { return show(o); }, rows);
}

TEST_CASE("revsearch: --scheme picks Xapian's weighting scheme and its parameters") {
    const std::vector<OptionRow> rows = {
        {{"x"}, "bm25:k1=1.2,b=0.75"},
        {{"--scheme", "bm25", "x"}, "bm25:k1=1.2,b=0.75"},
        {{"--scheme", "bm25:b=1", "x"}, "bm25:k1=1.2,b=1"},
        {{"--bm25", "k1=2", "--scheme", "bm25+:delta=0.5", "x"}, "bm25+:k1=2,b=0.75,delta=0.5"},
        {{"--scheme", "lm", "x"}, "lm:mu=2000"},
        {{"--scheme", "lm:mu=500", "x"}, "lm:mu=500"},
        {{"--scheme", "dph", "x"}, "dph"},
        {{"--scheme", "pl2:c=4", "x"}, "pl2:c=4"},
        {{"--scheme", "tfidf", "x"}, "error: --scheme: unknown scheme \"tfidf\" (bm25, bm25+, lm, dph, pl2)"},
        {{"--scheme", "lm:k1=1", "x"}, "error: --scheme: unknown parameter \"k1\" for lm (mu)"},
        {{"--scheme", "dph:c=1", "x"}, "error: --scheme: unknown parameter \"c\" for dph (none)"},
        {{"--scheme", "lm:mu=0", "x"}, "error: --scheme: mu must be > 0"},
        {{"--scheme", "pl2:c=x", "x"}, "error: --scheme: \"c\" needs a number"},
        {{"--scheme", "bm25:b=2", "x"}, "error: --scheme: b must be between 0 and 1"},
        {{"--scheme", "lm:", "x"}, "error: --scheme: empty setting"},
        {{"--bm25", "k1=2", "--scheme", "dph", "x"}, "error: --bm25 sets k1 and b of bm25 and bm25+, not of --scheme dph"},
    };
    check_option_rows(revsearch_cli::parse_options,
                      [](const revsearch_cli::Options& o) { return revsearch::scheme_spec(o.request.ranking); }, rows);
}

TEST_CASE("revsearch: --help lists the options") {
    try {
        revsearch_cli::parse_options({"--help"});
        FAIL("no help");
    } catch (const revsearch::cli::HelpRequested& help) {
        CHECK(help.text.find("Usage: revsearch") == 0);
        CHECK(help.text.find("--allow-partial") != std::string::npos);
        CHECK(help.text.find("--db") != std::string::npos);
    }
}

TEST_CASE("revsearch: --expand, --expand-with and --like") {
    auto show_expansion = [](const revsearch_cli::Options& o) {
        const auto& r = o.request;
        const std::string expand =
            fmt::format("{} docs={} terms={} weight={} scheme={} mindocs={}", revsearch::expand_when_name(r.expand),
                        r.expansion.documents, r.expansion.terms, r.expansion.weight, r.expansion.scheme,
                        r.expansion.min_feedback_documents);
        return fmt::format("query='{}' expand=[{}] like={}", r.query, expand, show(r.like));
    };
    const std::vector<OptionRow> rows = {
        {{"heroin"}, "query='heroin' expand=[long docs=3 terms=10 weight=1 scheme=trad mindocs=1] like=-"},
        {{"--expand", "heroin"}, "query='heroin' expand=[on docs=3 terms=10 weight=1 scheme=trad mindocs=1] like=-"},
        {{"--no-expand", "heroin"}, "query='heroin' expand=[off docs=3 terms=10 weight=1 scheme=trad mindocs=1] like=-"},
        {{"--expand-with", "docs=5,terms=20,mindocs=2", "heroin"},
         "query='heroin' expand=[on docs=5 terms=20 weight=1 scheme=trad mindocs=2] like=-"},
        {{"--expand", "--expand-with", "weight=0.25,scheme=bo1", "heroin"},
         "query='heroin' expand=[on docs=3 terms=10 weight=0.25 scheme=bo1 mindocs=1] like=-"},
        {{"--like", "abc123", "--min-rating", "8"},
         "query='' expand=[long docs=3 terms=10 weight=1 scheme=trad mindocs=1] like=abc123"},
        {{"--expand-with", "mindocs=0", "x"}, "error: --expand-with: mindocs takes a whole number from 1 to 1000"},
        {{"--no-expand", "--expand", "x"}, "error: --no-expand turns off what --expand and --expand-with turn on"},
        {{"--no-expand", "--expand-with", "docs=5", "x"},
         "error: --no-expand turns off what --expand and --expand-with turn on"},
        {{"--expand-with", "docs=0", "x"}, "error: --expand-with: docs takes a whole number from 1 to 1000"},
        {{"--expand-with", "terms=2.5", "x"}, "error: --expand-with: terms takes a whole number from 1 to 1000"},
        {{"--expand-with", "weight=-1", "x"}, "error: --expand-with: weight must be between 0 and 10"},
        {{"--expand-with", "scheme=rm3", "x"}, "error: --expand-with: scheme takes bo1 or trad, not \"rm3\""},
        {{"--expand-with", "fb=3", "x"}, "error: --expand-with: unknown setting \"fb\" (docs, terms, weight, scheme, mindocs)"},
        {{"--expand-with", "docs", "x"}, "error: --expand-with: expected key=value, got \"docs\""},
        {{"--like", "abc", "heroin"}, "error: --like finds reviews like one review: give it no query"},
        {{"--like", "abc", "--expand"}, "error: --like is an expansion of its own"},
    };
    check_option_rows(revsearch_cli::parse_options, show_expansion, rows);
}

TEST_CASE("revsearch: --proximity") {
    auto show_proximity = [](const revsearch_cli::Options& o) {
        return fmt::format("query='{}' proximity={}", o.request.query, revsearch::proximity_spec(o.request.proximity));
    };
    const std::vector<OptionRow> rows = {
        {{"heroin", "toilet"}, "query='heroin toilet' proximity=off"},  // off by default (docs/ranking.md)
        {{"--proximity", "weight=0.1,window=4", "heroin"}, "query='heroin' proximity=weight=0.1,window=4,order=any,common=0.5"},
        {{"--proximity", "weight=1,order=typed,common=0.2", "x"}, "query='x' proximity=weight=1,window=2,order=typed,common=0.2"},
        {{"--proximity", "off", "x"}, "query='x' proximity=off"},
        {{"--proximity", "weight=11", "x"}, "error: --proximity: weight must be between 0 and 10"},
        {{"--proximity", "window=0", "x"}, "error: --proximity: window takes a whole number of positions from 2 to 50"},
        {{"--proximity", "on", "x"}, "error: --proximity: expected key=value, got \"on\""},
        {{"--proximity", "gap=2", "x"}, "error: --proximity: unknown setting \"gap\" (weight, window, order, common; or off)"},
    };
    check_option_rows(revsearch_cli::parse_options, show_proximity, rows);
}
