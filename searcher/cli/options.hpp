#pragma once
// revsearch's command line -> what to do. Parsing only; main.cpp runs it.

#include <optional>
#include <string>
#include <vector>

#include "revsearch/search.hpp"

namespace revsearch_cli {

struct Options {
    revsearch::SearchRequest request;
    std::optional<std::string> db;
    bool json = false;
    bool explain = false;
    bool allow_partial = false;  ///< answer from the shards that answer (stub_database.hpp)
    std::string color = "auto";
    std::optional<std::string> queries_file;  ///< batch mode
    std::string run_tag = "revsearch";
    std::size_t warm_up = 0;  ///< batch: the first queries, run and printed but left out of the timing summary
    bool all = false;    ///< --all: no query, every review (an overview with --facets -n0)
    bool quiet = false;  ///< batch: no timing summary on stderr
    bool full = false;   ///< whole review bodies instead of snippets
    std::vector<std::string> show_ids;  ///< --show: print these reviews whole, no search
    std::optional<std::size_t> width;   ///< --width: columns to wrap text at (0: none); default the terminal's
};

/// The words after the program's name to Options. Throws revsearch::cli::HelpRequested for --help and
/// revsearch::Error (usage) for a bad option, or for nothing to search.
Options parse_options(const std::vector<std::string>& args);

}  // namespace revsearch_cli
