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

bool has_filters(const revsearch::Filters& filters) {
    return filters.min_rating || filters.max_rating || filters.since || filters.until || filters.item ||
           filters.author || filters.no_spoilers || filters.min_votes;
}

}  // namespace

Options parse_options(const std::vector<std::string>& args) {
    Options options;
    auto& request = options.request;
    std::vector<std::string> words;
    std::string match = "any", sort = "relevance", bm25, weights, scheme;
    std::string min_rating, max_rating;
    long long min_votes = 0;
    long long limit = 10, offset = 0;
    bool no_collapse = false;

    revsearch::cli::CommandLine line(
        "revsearch",
        "Usage: revsearch [OPTIONS] QUERY...\n"
        "       revsearch --queries FILE [--run-tag TAG] [--limit N]   (TREC run on stdout)\n\n"
        "Searches the review index. Query syntax: docs/query-syntax.md; ranking: docs/ranking.md;\n"
        "JSON lines: docs/json-output.md. Exit status: 0 matches, 1 no match, 2 error.\n\nOptions");
    // A word starting with "-" is an option wherever it stands: say how to search for its exclusion instead.
    line.on_unknown_option([](const std::string& option) -> std::optional<std::string> {
        if (option.size() > 1 && option[0] == '-' && option[1] != '-')
            return "to exclude a word, quote the query: 'pusher " + option + "', or put it after --";
        return std::nullopt;
    });
    revsearch::cli::add_db_option(line, options.db,
                                  "index directory (default: $REVSEARCH_DB, else $XDG_DATA_HOME/revsearch/index)");
    line.add_options()
        ("limit,n", po::value<long long>(&limit)->default_value(10), "hits to show (the count is exact up to 2,000 matches whatever -n)")
        ("offset", po::value<long long>(&offset)->default_value(0), "hits to skip (paging)")
        ("sort", po::value<std::string>(&sort)->default_value("relevance"), "relevance|helpful|rating|date")
        ("match", po::value<std::string>(&match)->default_value("any"), "bare words: any (OR, ranked) or all (AND)")
        ("all", po::bool_switch(&options.all),
         "no query: list every review (e.g. --all --facets -n0 for an overview); a query with no word is an error")
        ("min-rating", po::value<std::string>(&min_rating),
         "rating at least R as shown (4: 4/5, 5/5, 4/10...), or R% of its scale (80%: 4/5, 8/10...)")
        ("max-rating", po::value<std::string>(&max_rating), "rating at most R, or R% of its scale")
        ("since", po::value<std::string>(), "written on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD)")
        ("until", po::value<std::string>(), "written on or before DATE")
        ("item", po::value<std::string>(), "item id (e.g. tt0385887) or title words")
        ("author", po::value<std::string>(), "full author name (case and accents ignored)")
        ("no-spoilers", po::bool_switch(&request.filters.no_spoilers), "leave out reviews marked as spoilers")
        ("min-votes", po::value<long long>(&min_votes), "at least N helpfulness votes")
        ("bm25", po::value<std::string>(&bm25), "BM25 parameters, e.g. k1=1.2,b=0.75")
        ("scheme", po::value<std::string>(&scheme),
         "weighting: bm25 (default), bm25+, lm, dph or pl2, with parameters, e.g. lm:mu=2000 (docs/ranking.md)")
        ("weights", po::value<std::string>(&weights), "signal weights, e.g. helpful=0.1,rating=0.02 (0: off)")
        ("explain", po::bool_switch(&options.explain), "show the parsed query and each score's parts")
        ("full", po::bool_switch(&options.full), "whole review bodies, matches marked, instead of snippets")
        ("show", po::value<std::vector<std::string>>(&options.show_ids),
         "print the review with this id whole (repeatable; ids are in every hit), no search")
        ("width", po::value<long long>(), "wrap text at N columns (0: never); default: the terminal's width, none "
         "in a pipe")
        ("facets", po::bool_switch(&request.facets), "rating histogram of all matches")
        ("no-collapse", po::bool_switch(&no_collapse),
         "show every copy of a text listed several times (same body, e.g. under product variants); "
         "default: once")
        ("allow-partial", po::bool_switch(&options.allow_partial),
         "--db is a stub of shards: when some fail, answer from the rest and say so (default: exit 2)")
        ("color", po::value<std::string>(&options.color)->default_value("auto"), "auto|always|never (auto honours NO_COLOR)")
        ("queries", po::value<std::string>(), "batch: TSV id<TAB>text or BEIR queries.jsonl; writes a TREC run")
        ("run-tag", po::value<std::string>(&options.run_tag)->default_value("revsearch"), "batch: run tag column")
        ;
    revsearch::cli::add_json_option(line, options.json, "JSON lines: one {\"type\":\"hit\"} per hit, then a summary");
    revsearch::cli::add_quiet_option(line, options.quiet,
                                     "batch: no timing summary on stderr (queries, total seconds, p50/p95/max ms per query)");
    line.positional("query", po::value<std::vector<std::string>>(&words));
    const auto vm = line.parse(args);

    for (const auto& word : words) request.query += (request.query.empty() ? "" : " ") + word;
    if (options.all && !request.query.empty())
        throw usage_error("--all lists every review: give it no query");
    if (vm.count("queries")) options.queries_file = vm["queries"].as<std::string>();
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
    if (request.query.empty() && !options.queries_file && !options.all && options.show_ids.empty() && !has_filters(request.filters))
        throw usage_error("no query given; give words to search, or --all to list every review (revsearch --help)");
    return options;
}

}  // namespace revsearch_cli
