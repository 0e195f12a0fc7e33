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
    bool all = false;    ///< --all: no query, every review (an overview with --facets -n0)
    bool quiet = false;  ///< batch: no timing summary on stderr
    bool full = false;   ///< whole review bodies instead of snippets
    std::vector<std::string> show_ids;  ///< --show: print these reviews whole, no search
    std::optional<std::size_t> width;   ///< --width: columns to wrap text at (0: none); default the terminal's
    bool help = false;
    std::string help_text;
};

/// Throws std::invalid_argument (or a boost::program_options error, which is a std::exception) on a bad option.
Options parse_options(int argc, const char* const argv[]);

}  // namespace revsearch_cli
