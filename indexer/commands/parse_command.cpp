// revindex parse: what the readers understood, as canonical JSON lines, without touching an index.

#include <boost/program_options.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/reader.hpp"

namespace revindex {

namespace po = boost::program_options;
namespace exit_code = revsearch::exit_code;

namespace {

constexpr const char* parse_usage = R"(usage: revindex parse [--format F] [--strict] [--csv-map SPEC] [--quiet] PATH...

Prints every review the readers understand as one canonical JSON line on stdout (docs/formats.md), every
problem as "file:line: error|warning: message" on stderr, then a summary line on stderr. Nothing is indexed.
PATH is a file, a directory (read recursively; hidden entries and *.md skipped), or - for standard input.
The layout is detected from each file's content unless --format forces it.

Exit codes:
  0  success (warnings and rejected records are reported, not fatal)
  1  --strict and some record was rejected or warned about; or nothing at all could be read from any PATH
  2  usage error: unknown option or format, bad --csv-map, missing PATH, a PATH that does not exist or
     cannot be opened

Options)";

struct Totals {
    std::size_t files = 0, records = 0, warnings = 0, rejected = 0, file_errors = 0;
};

}  // namespace

int run_parse(const std::vector<std::string>& args) {
    std::string format_name;
    std::string csv_spec;
    std::vector<std::string> paths;
    po::options_description options(parse_usage, 100, 50);
    options.add_options()
        ("help,h", "print this help")
        ("format,f", po::value(&format_name)->value_name("F"), "force the layout: imdb, jsonl, mcauley, blitzer or csv")
        ("strict", "exit 1 when any record is rejected or warned about")
        ("csv-map", po::value(&csv_spec)->value_name("SPEC"),
         "CSV columns, KEY=COLUMN,... over the Fine Food default, e.g. body=review_text,rating_max=10")
        ("quiet,q", "print no problems, only the summary line");
    po::options_description hidden;
    hidden.add_options()("path", po::value(&paths));
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("path", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "revindex parse: " << e.what() << "\n" << options;
        return exit_code::error;
    }
    if (vm.count("help")) {
        std::cout << options;
        return exit_code::ok;
    }
    if (paths.empty()) {
        std::cerr << "revindex parse: missing PATH (a file, a directory, or - for standard input)\n";
        return exit_code::error;
    }
    std::optional<revsearch::Format> forced;
    if (vm.count("format")) {
        forced = revsearch::parse_format(format_name);
        if (!forced) {
            std::cerr << "revindex parse: unknown format '" << format_name
                      << "' (known: imdb, jsonl, mcauley, blitzer, csv)\n";
            return exit_code::error;
        }
    }
    revsearch::ReaderOptions reader_options;
    if (vm.count("csv-map")) {
        try {
            reader_options.csv = revsearch::CsvMapping::parse(csv_spec);
        } catch (const std::invalid_argument& e) {
            std::cerr << "revindex parse: " << e.what() << "\n";
            return exit_code::error;
        }
    }
    const bool strict = vm.count("strict") > 0;
    const bool quiet = vm.count("quiet") > 0;

    bool bad_path = false;
    auto print_problem = [&](const revsearch::Problem& problem) {
        if (!quiet) std::cerr << revsearch::format_problem(problem) << '\n';
    };
    auto files = revsearch::expand_paths(paths, [&](const revsearch::Problem& problem) {
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
    std::cerr << "revindex parse: " << totals.files << (totals.files == 1 ? " file, " : " files, ") << totals.records
              << " read, " << totals.warnings << " with warnings, " << totals.rejected << " rejected";
    if (totals.file_errors > 0) std::cerr << ", " << totals.file_errors << " unreadable";
    std::cerr << '\n';

    if (bad_path) return exit_code::error;
    if (totals.records == 0) return exit_code::no_match;
    if (strict && (totals.rejected > 0 || totals.warnings > 0 || totals.file_errors > 0)) return exit_code::no_match;
    return exit_code::ok;
}

}  // namespace revindex
