// revsearch: search the review index. Everything but the wiring lives in the library (common/).

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"
#include "revsearch/batch_queries.hpp"
#include "revsearch/command_line.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/output.hpp"

namespace {

namespace exit_code = revsearch::exit_code;
using Clock = std::chrono::steady_clock;

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

/// The calling thread's CPU time (user + system) so far: a query's CPU time is what scripts/bench compares on a
/// machine whose cores are shared, where the wall time includes waiting for one (docs/scaling.md).
double thread_cpu_milliseconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
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
    request.details = false;  // a TREC line has the id and the score: no record, no score parts
    request.count = false;  // a TREC run prints no count: the ranked pass alone
    bool any_hit = false;
    bool warned_partial = false;
    revsearch::BatchTiming timing;
    timing.warm_up = options.warm_up;
    const auto batch_started = Clock::now();
    for (const auto& query : queries) {
        request.query = query.text;
        const auto started = Clock::now();
        const double cpu_started = thread_cpu_milliseconds();
        revsearch::SearchResult result;
        try {
            result = searcher.search(request);
        } catch (const revsearch::QueryError& error) {
            // One query the user must fix (no word, an unknown field) is named; the run goes on without it.
            std::cerr << "revsearch: query " << query.id << ": " << error.what() << '\n';
            continue;
        }
        timing.milliseconds.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        timing.cpu_milliseconds.push_back(thread_cpu_milliseconds() - cpu_started);
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

revsearch::TextStyle text_style(const revsearch_cli::Options& options) {
    const bool terminal = isatty(STDOUT_FILENO) == 1;
    revsearch::TextStyle style;
    style.color = revsearch::use_color(options.color, terminal, std::getenv("NO_COLOR") != nullptr);
    style.explain = options.explain;
    style.width = revsearch::output_width(options.width, terminal);
    return style;
}

/// --show: whole reviews by id. Exit 0 when every id was found, 1 when one was not (each named on stderr).
int run_show(revsearch::Searcher& searcher, const revsearch_cli::Options& options) {
    const auto reviews = searcher.lookup(options.show_ids);
    if (options.json) revsearch::write_reviews_json_lines(std::cout, reviews);
    else revsearch::write_reviews_text(std::cout, reviews, text_style(options));
    bool all_found = true;
    for (const auto& id : options.show_ids) {
        const bool found = std::any_of(reviews.begin(), reviews.end(), [&](const auto& hit) { return hit.id == id; });
        if (!found) std::cerr << "revsearch: no review with id " << id << " in the index\n";
        all_found = all_found && found;
    }
    return all_found ? exit_code::ok : exit_code::no_match;
}

int run(const revsearch_cli::Options& options) {
    revsearch::Searcher searcher(revsearch::resolve_db_path(options.db), options.allow_partial);
    if (options.queries_file) return run_batch(searcher, options);
    if (!options.show_ids.empty()) return run_show(searcher, options);

    revsearch::SearchRequest request = options.request;
    request.score_parts = options.json || options.explain;  // what prints them
    auto result = searcher.search(request);
    warn_if_partial(result);
    warn_if_capped(result);
    if (options.json) {
        revsearch::write_json_lines(std::cout, request, result);
    } else {
        revsearch::write_text(std::cout, result, text_style(options));
    }
    return result.estimated > 0 || !result.hits.empty() ? exit_code::ok : exit_code::no_match;
}


/// Xapian's own errors, met on the index: a damaged or unreadable index (exit 2).
std::optional<revsearch::Error> index_error() {
    try {
        throw;
    } catch (const Xapian::Error& error) {
        return revsearch::Error(revsearch::ErrorKind::io, "cannot read the index: " + error.get_description());
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace

int main(int argc, char* argv[]) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    return revsearch::cli::run_command(
        "revsearch", [&] { return run(revsearch_cli::parse_options(args)); }, index_error);
}
