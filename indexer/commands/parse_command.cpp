// revindex parse: what the readers understood, as canonical JSON lines, without touching an index.

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/reader.hpp"

namespace revindex {

namespace exit_code = revsearch::exit_code;

namespace {

struct Totals {
    std::size_t files = 0, records = 0, warnings = 0, rejected = 0, file_errors = 0;
};

}  // namespace

int run_parse(const ParseOptions& options) {
    const auto& forced = options.batch.format;
    const auto& reader_options = options.batch.reader;
    const bool strict = options.batch.strict;
    const bool quiet = options.quiet;

    bool bad_path = false;
    // --quiet keeps errors: a rejected record or an unreadable file is never silent.
    auto print_problem = [&](const revsearch::Problem& problem) {
        if (!quiet || problem.severity == revsearch::Severity::error)
            std::cerr << revsearch::format_problem(problem) << '\n';
    };
    auto files = revsearch::expand_paths(options.paths, [&](const revsearch::Problem& problem) {
        bad_path = true;
        std::cerr << revsearch::format_problem(problem) << '\n';
    });

    Totals totals;
    for (const auto& file : files) {
        auto stats = revsearch::read_input(file, forced, reader_options, print_problem, [](revsearch::Review&& review) {
            std::cout << revsearch::to_json_line(review) << '\n';
        });
        ++totals.files;
        totals.records += stats.records;
        totals.warnings += stats.warnings;
        totals.rejected += stats.rejected;
        if (stats.unreadable) ++totals.file_errors;
    }
    std::cout.flush();
    if (!quiet) {
        std::cerr << "revindex parse: " << totals.files << (totals.files == 1 ? " file, " : " files, ")
                  << totals.records << " read, " << totals.warnings << " with warnings, " << totals.rejected
                  << " rejected";
        if (totals.file_errors > 0) std::cerr << ", " << totals.file_errors << " unreadable";
        std::cerr << '\n';
    }

    if (bad_path) return exit_code::error;
    if (totals.records == 0) return exit_code::no_match;
    if (strict && (totals.rejected > 0 || totals.warnings > 0 || totals.file_errors > 0)) return exit_code::no_match;
    return exit_code::ok;
}

}  // namespace revindex
