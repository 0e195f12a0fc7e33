// revsearch: search the review index. Everything but the wiring lives in the library (common/).

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "options.hpp"
#include "revsearch/batch_queries.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/output.hpp"

namespace {

namespace exit_code = revsearch::exit_code;
using Clock = std::chrono::steady_clock;

bool has_filters(const revsearch::Filters& filters) {
    return filters.min_rating || filters.max_rating || filters.since || filters.until || filters.item ||
           filters.author || filters.no_spoilers || filters.min_votes;
}

/// A partial answer says so on stderr, whatever the output format (docs/scaling.md).
void warn_if_partial(const revsearch::SearchResult& result) {
    if (result.failed_shards.empty()) return;
    std::cerr << "revsearch: warning: partial answer from " << result.shard_count - result.failed_shards.size()
              << " of " << result.shard_count << " shards\n";
    for (const auto& failure : result.failed_shards) std::cerr << "revsearch: " << failure << '\n';
}

/// A query over the term limit says so on stderr, whatever the output format (docs/query-syntax.md).
void warn_if_capped(const revsearch::SearchResult& result, const std::string& query_id = {}) {
    if (!result.capped) return;
    std::cerr << "revsearch: warning: " << (query_id.empty() ? "" : "query " + query_id + ": ")
              << revsearch::capped_warning(result) << '\n';
}

int run_batch(revsearch::Searcher& searcher, const revsearch_cli::Options& options) {
    std::ifstream in(*options.queries_file);
    if (!in) {
        std::cerr << "revsearch: cannot read " << *options.queries_file << '\n';
        return exit_code::error;
    }
    auto queries = revsearch::read_batch_queries(in, *options.queries_file, [](const revsearch::Problem& problem) {
        std::cerr << revsearch::format_problem(problem) << '\n';
    });
    revsearch::SearchRequest request = options.request;
    request.suggest = false;
    request.snippets = false;
    request.count = false;  // a TREC run prints no count: the ranked pass alone
    bool any_hit = false;
    bool warned_partial = false;
    revsearch::BatchTiming timing;
    const auto batch_started = Clock::now();
    for (const auto& query : queries) {
        request.query = query.text;
        const auto started = Clock::now();
        revsearch::SearchResult result;
        try {
            result = searcher.search(request);
        } catch (const revsearch::QueryError& error) {
            // One query the user must fix (no word, an unknown field) is named; the run goes on without it.
            std::cerr << "revsearch: query " << query.id << ": " << error.what() << '\n';
            continue;
        }
        timing.milliseconds.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        if (!warned_partial) warn_if_partial(result);  // once: the failed shard stays left out
        warned_partial = warned_partial || !result.failed_shards.empty();
        warn_if_capped(result, query.id);
        any_hit = any_hit || !result.hits.empty();
        revsearch::write_trec_run(std::cout, query.id, result, options.run_tag);
    }
    std::cout.flush();
    timing.seconds = std::chrono::duration<double>(Clock::now() - batch_started).count();
    // stdout stays a pure TREC run; the timing goes to stderr.
    if (!options.quiet) std::cerr << "revsearch: " << revsearch::format_batch_timing(timing) << '\n';
    return any_hit ? exit_code::ok : exit_code::no_match;
}

int run(const revsearch_cli::Options& options) {
    revsearch::Searcher searcher(revsearch::resolve_db_path(options.db), options.allow_partial);
    if (options.queries_file) return run_batch(searcher, options);

    auto result = searcher.search(options.request);
    warn_if_partial(result);
    warn_if_capped(result);
    if (options.json) {
        revsearch::write_json_lines(std::cout, options.request, result);
    } else {
        revsearch::TextStyle style;
        style.color = revsearch::use_color(options.color, isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR") != nullptr);
        style.explain = options.explain;
        revsearch::write_text(std::cout, result, style);
    }
    return result.estimated > 0 || !result.hits.empty() ? exit_code::ok : exit_code::no_match;
}

}  // namespace

int main(int argc, char* argv[]) {
    revsearch_cli::Options options;
    try {
        options = revsearch_cli::parse_options(argc, argv);
        if (options.help) {
            std::cout << options.help_text;
            return exit_code::ok;
        }
        revsearch::use_color(options.color, false, false);  // validates the mode before any search
        if (options.request.query.empty() && !options.queries_file && !options.all &&
            !has_filters(options.request.filters))
            throw std::invalid_argument("no query given; give words to search, or --all to list every review "
                                        "(revsearch --help)");
    } catch (const std::exception& error) {
        std::cerr << "revsearch: " << error.what() << '\n';
        return exit_code::error;
    }
    try {
        return run(options);
    } catch (const revsearch::NoIndexError& error) {
        std::cerr << "revsearch: " << error.what() << '\n';
    } catch (const Xapian::Error& error) {
        std::cerr << "revsearch: cannot read the index: " << error.get_description() << '\n';
    } catch (const std::exception& error) {
        std::cerr << "revsearch: " << error.what() << '\n';
    }
    return exit_code::error;
}
