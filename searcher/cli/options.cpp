#include "options.hpp"

#include <limits>
#include <sstream>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "revsearch/command_line.hpp"

namespace revsearch_cli {

namespace po = boost::program_options;

namespace {

revsearch::Error usage_error(const std::string& message) { return revsearch::Error(revsearch::ErrorKind::usage, message); }

// Each example must find something in an index of the bundled sample, corpora/ (scripts/demo.sh builds one):
// tests/e2e/test_shell_conventions.py runs every line that starts with "  revsearch ".
constexpr const char* examples = R"(Examples:
  revsearch 'heroin toilet'                        ranked hits, matches marked
  revsearch '"once were warriors"' --json          a phrase; JSON lines for scripts
  revsearch 'great gift rating:80%..' --sort helpful   the most helpful first
  revsearch --item pusher --since 2005 --min-rating 8 drugs   filters
  revsearch --limit 3 -- coffee -decaf             words after --, options before it
  revsearch --proximity weight=0.1,window=4 mads mikkelsen   words typed together, close first
  revsearch mikelsen                               a typo: searches mikkelsen, says so
  revsearch --all --facets -n0                     an overview: every review's rating
)";

bool has_filters(const revsearch::Filters& filters) {
    return filters.min_rating || filters.max_rating || filters.since || filters.until || filters.item ||
           filters.author || filters.no_spoilers || filters.min_votes;
}

}  // namespace

Options parse_options(const std::vector<std::string>& args) {
    Options options;
    auto& request = options.request;
    std::vector<std::string> words;
    std::string match = "any", sort = "relevance", bm25, weights, field_weights, expand_with, scheme, proximity;
    bool expand = false, no_expand = false;
    std::string min_rating, max_rating;
    long long min_votes = 0;
    long long limit = 10, offset = 0;
    bool no_collapse = false;

    revsearch::cli::CommandLine line(
        "revsearch",
        "Usage: revsearch [OPTIONS] QUERY...\n"
        "  or:  revsearch --queries FILE [--run-tag TAG] [--limit N]   (a TREC run on stdout)\n\n"
        "Searches the review index, best first. Query syntax: docs/query-syntax.md (words, \"phrases\", -word,\n"
        "field:value, rating:8..10, date:2005..2008); ranking: docs/ranking.md; JSON lines: docs/json-output.md.\n"
        "A likely typo is corrected (\"Showing results for ...\"; --as-typed searches the words as typed).\n"
        "Exit status: 0 matches, 1 no match, 2 error (bad option, no index, unreadable index).\n"
        "Each example below finds reviews in the bundled sample, corpora/ (scripts/demo.sh indexes it).\n\n"
        "General");
    // A word starting with "-" is an option wherever it stands: say how to search for its exclusion instead.
    line.on_unknown_option([](const std::string& option) -> std::optional<std::string> {
        if (option.size() > 1 && option[0] == '-' && option[1] != '-')
            return "to exclude a word, quote the query: 'pusher " + option + "', or put it after --";
        return std::nullopt;
    });
    line.add_options("Query")
        ("match", po::value<std::string>(&match)->value_name("MODE")->default_value("any"),
         "bare words: any (OR, ranked) or all (AND)")
        ("plain", po::bool_switch(&request.plain_text),
         "the query is text: words only, no operators, phrases, fields or wildcards (AND, OR, NOT are words)")
        ("as-typed", po::bool_switch(&request.as_typed),
         "search the words as typed: no spelling correction (a likely typo gets a \"did you mean\" hint instead)")
        ("all", po::bool_switch(&options.all),
         "no query: list every review (e.g. --all --facets -n0 for an overview); a query with no word is an error")
        ("show", po::value<std::vector<std::string>>(&options.show_ids)->value_name("ID"),
         "print the review with this id whole (repeatable; ids are in every hit), no search")
        ("like", po::value<std::string>()->value_name("ID"),
         "no query: reviews like the review with this id (its most telling words)");
    line.add_options("Filters")
        ("min-rating", po::value<std::string>(&min_rating)->value_name("R"),
         "rating at least R as shown (4: 4/5, 5/5, 4/10...), or R% of its scale (80%: 4/5, 8/10...)")
        ("max-rating", po::value<std::string>(&max_rating)->value_name("R"), "rating at most R, or R% of its scale")
        ("since", po::value<std::string>()->value_name("DATE"), "written on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD)")
        ("until", po::value<std::string>()->value_name("DATE"), "written on or before DATE")
        ("item", po::value<std::string>()->value_name("ITEM"), "item id (e.g. B00006L9LC) or title words (e.g. pusher)")
        ("author", po::value<std::string>()->value_name("NAME"), "full author name (case and accents ignored)")
        ("no-spoilers", po::bool_switch(&request.filters.no_spoilers), "leave out reviews marked as spoilers")
        ("min-votes", po::value<long long>(&min_votes)->value_name("N"), "at least N helpfulness votes");
    line.add_options("Output")
        ("limit,n", po::value<long long>(&limit)->value_name("N")->default_value(10),
         "hits to show (the count is exact up to 2,000 matches whatever -n)")
        ("offset", po::value<long long>(&offset)->value_name("N")->default_value(0), "hits to skip (paging)")
        ("sort", po::value<std::string>(&sort)->value_name("ORDER")->default_value("relevance"),
         "relevance|helpful|rating|date")
        ("full", po::bool_switch(&options.full), "whole review bodies, matches marked, instead of snippets")
        ("width", po::value<long long>()->value_name("N"),
         "wrap text at N columns (0: never); default: the terminal's width, none in a pipe")
        ("facets", po::bool_switch(&request.facets), "rating histogram of all matches")
        ("no-collapse", po::bool_switch(&no_collapse),
         "show every copy of a text listed several times (same body, e.g. under product variants); default: once")
        ("explain", po::bool_switch(&options.explain), "show the parsed query and each score's parts")
        ("color", po::value<std::string>(&options.color)->value_name("WHEN")->default_value("auto"),
         "auto|always|never (auto honours NO_COLOR)");
    revsearch::cli::add_json_option(line, options.json, "JSON lines: one {\"type\":\"hit\"} per hit, then a summary",
                                    "Output");
    static const std::string expand_help =
        "add the 10 words that best tell the top 3 hits apart (pseudo-relevance feedback, trad; docs/ranking.md) "
        "to any query; default: only long queries, of " + std::to_string(revsearch::long_query_terms) +
        " or more distinct words, 20 words by bo1 below " + std::to_string(revsearch::pasted_text_terms);
    line.add_options("Ranking")
        ("bm25", po::value<std::string>(&bm25)->value_name("SPEC"),
         "BM25 parameters, e.g. k1=1.2,b=0.75 (default b: 0.5 for 1-4 distinct words, else 0.75)")
        ("scheme", po::value<std::string>(&scheme)->value_name("NAME"),
         "weighting: bm25 (default), bm25+, lm, dph or pl2, with parameters, e.g. lm:mu=2000 (docs/ranking.md)")
        ("weights", po::value<std::string>(&weights)->value_name("SPEC"),
         "signal weights, e.g. helpful=0.1,rating=0.02 (0: off)")
        ("field-weights", po::value<std::string>(&field_weights)->value_name("SPEC"),
         "field weights, e.g. headline=0.5: the words again in the headline, weighted apart (0: off)")
        ("proximity", po::value<std::string>(&proximity)->value_name("SPEC"),
         "words typed side by side rank higher where they stand close, e.g. weight=0.1,window=4 (default: off; "
         "docs/ranking.md)")
        ("expand", po::bool_switch(&expand), expand_help.c_str())
        ("no-expand", po::bool_switch(&no_expand), "search the words alone, long queries too")
        ("expand-with", po::value<std::string>(&expand_with)->value_name("SPEC"),
         "expansion settings, the defaults: docs=3,terms=10,weight=1,scheme=trad,mindocs=1 (alone: --expand with them)");
    revsearch::cli::add_db_option(line, options.db,
                                  "index directory, or a stub of shards (default: $REVSEARCH_DB, else "
                                  "$XDG_DATA_HOME/revsearch/index)",
                                  "Index");
    line.add_options("Index")
        ("allow-partial", po::bool_switch(&options.allow_partial),
         "--db is a stub of shards: when some fail, answer from the rest and say so (default: exit 2)");
    line.add_options("Batch runs")
        ("queries", po::value<std::string>()->value_name("FILE"),
         "TSV id<TAB>text or BEIR queries.jsonl; writes a TREC run (no spelling correction)")
        ("run-tag", po::value<std::string>(&options.run_tag)->value_name("TAG")->default_value("revsearch"),
         "the run tag column")
        ("warm-up", po::value<std::size_t>(&options.warm_up)->value_name("N"),
         "run the first N queries of --queries (and print them) but leave them out of the timing summary: a "
         "first search pays for the first reads of the index");
    revsearch::cli::add_quiet_option(line, options.quiet,
                                     "no timing summary on stderr (queries, total seconds, p50/p95/max ms and "
                                     "CPU p50/p99 per query)",
                                     "Batch runs");
    line.epilogue(examples);
    line.positional("query", po::value<std::vector<std::string>>(&words));
    const auto vm = line.parse(args);

    for (const auto& word : words) request.query += (request.query.empty() ? "" : " ") + word;
    if (options.all && !request.query.empty())
        throw usage_error("--all lists every review: give it no query");
    if (vm.count("queries")) options.queries_file = vm["queries"].as<std::string>();
    if (vm.count("warm-up") && !options.queries_file)
        throw usage_error("--warm-up counts queries of a --queries file: give one");
    if (!options.show_ids.empty() && (!request.query.empty() || options.all || options.queries_file))
        throw usage_error("--show prints reviews by id: give it no query, --all or --queries");
    if (vm.count("width")) {
        const long long width = vm["width"].as<long long>();
        if (width < 0 || width > 10000) throw usage_error("--width takes a number of columns, 0 to 10000");
        options.width = static_cast<std::size_t>(width);
    }
    // The snippet of a --full hit is its whole body (make_snippet cuts nothing shorter than its window).
    if (options.full) request.snippet_bytes = std::numeric_limits<std::size_t>::max() / 4;
    if (limit < 0 || offset < 0) throw usage_error("--limit and --offset must be >= 0");
    request.limit = static_cast<Xapian::doccount>(limit);
    request.offset = static_cast<Xapian::doccount>(offset);
    request.collapse = !no_collapse;
    if (match == "any") request.match = revsearch::MatchMode::any;
    else if (match == "all") request.match = revsearch::MatchMode::all;
    else throw usage_error("--match takes any or all");
    auto order = revsearch::parse_sort_order(sort);
    if (!order) throw usage_error("--sort takes relevance, helpful, rating or date");
    request.sort = *order;
    if (options.color != "auto" && options.color != "always" && options.color != "never")
        throw usage_error("--color takes auto, always or never");
    // The ranking's parsers say what is wrong with a setting; which option held it is said here.
    try {
        if (vm.count("bm25")) revsearch::apply_bm25_spec(request.ranking, bm25);
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("--bm25: ") + e.what());
    }
    try {
        if (vm.count("scheme")) revsearch::apply_scheme_spec(request.ranking, scheme);
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("--scheme: ") + e.what());
    }
    if (vm.count("bm25") && !revsearch::uses_bm25_parameters(request.ranking.scheme))
        throw usage_error("--bm25 sets k1 and b of bm25 and bm25+, not of --scheme " + scheme);
    try {
        if (vm.count("weights")) revsearch::apply_weights_spec(request.ranking, weights);
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("--weights: ") + e.what());
    }
    try {
        if (vm.count("field-weights")) revsearch::apply_field_weights_spec(request.ranking, field_weights);
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("--field-weights: ") + e.what());
    }
    try {
        if (vm.count("proximity")) revsearch::apply_proximity_spec(request.proximity, proximity);
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("--proximity: ") + e.what());
    }
    if (no_expand && (expand || vm.count("expand-with")))
        throw usage_error("--no-expand turns off what --expand and --expand-with turn on: give one of them");
    if (no_expand) request.expand = revsearch::ExpandWhen::never;
    if (expand || vm.count("expand-with")) request.expand = revsearch::ExpandWhen::always;
    if (vm.count("expand-with")) {
        try {
            revsearch::apply_expansion_spec(request.expansion, expand_with);
        } catch (const std::invalid_argument& e) {
            throw usage_error(std::string("--expand-with: ") + e.what());
        }
    }
    if (vm.count("like")) {
        request.like = vm["like"].as<std::string>();
        if (!request.query.empty() || options.all || options.queries_file || !options.show_ids.empty())
            throw usage_error("--like finds reviews like one review: give it no query, --all, --queries or --show");
        if (request.expand == revsearch::ExpandWhen::always)
            throw usage_error("--like is an expansion of its own: give it without --expand");
    }
    auto rating_option = [&](const char* name, const std::string& text) {
        auto bound = revsearch::parse_rating_bound(text);
        if (!bound)
            throw usage_error(std::string("--") + name + " takes a rating as shown (4) or a share of its " +
                                        "scale (80%), not \"" + text + "\"");
        return bound;
    };
    if (vm.count("min-rating")) request.filters.min_rating = rating_option("min-rating", min_rating);
    if (vm.count("max-rating")) request.filters.max_rating = rating_option("max-rating", max_rating);
    if (vm.count("since")) request.filters.since = vm["since"].as<std::string>();
    if (vm.count("until")) request.filters.until = vm["until"].as<std::string>();
    if (vm.count("item")) request.filters.item = vm["item"].as<std::string>();
    if (vm.count("author")) request.filters.author = vm["author"].as<std::string>();
    if (vm.count("min-votes")) {
        if (min_votes < 0) throw usage_error("--min-votes must be >= 0");
        request.filters.min_votes = min_votes;
    }
    if (request.query.empty() && !options.queries_file && !options.all && options.show_ids.empty() && !request.like &&
        !has_filters(request.filters))
        throw usage_error("no query given; give words to search, or --all to list every review (revsearch --help)");
    return options;
}

}  // namespace revsearch_cli
