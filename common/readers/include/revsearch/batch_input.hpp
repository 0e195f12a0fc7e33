#pragma once
// Turning PATH arguments into review records: files, directories (read recursively), or "-" for stdin.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "revsearch/problem.hpp"
#include "revsearch/reader.hpp"
#include "revsearch/review.hpp"

namespace revsearch {

/// Expands PATH arguments into input files: a file as is, a directory recursively in name order (hidden entries,
/// symlink loops and *.md documentation such as README.md or PROVENANCE.md skipped), "-" as stdin. A path that
/// does not exist or cannot be opened is reported to `sink` (line 0) and left out.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const ProblemSink& sink);

struct InputStats {
    std::size_t records = 0;   ///< good records delivered
    std::size_t rejected = 0;  ///< records refused (error problems)
    std::size_t warnings = 0;  ///< records kept with a field dropped or repaired
    std::size_t bytes = 0;     ///< bytes read
    std::optional<Format> format;  ///< the layout used; nullopt when the file could not be read at all
    bool unreadable = false;   ///< could not open, not a review layout, binary: reported with line 0
};

/// Reads one input file (or "-"): detects its layout unless `forced` says it, streams every good record to
/// `on_review`, reports every problem to `sink` and counts them. Never throws for bad input.
InputStats read_input(const std::string& path, std::optional<Format> forced, const ReaderOptions& options,
                      const ProblemSink& sink, const std::function<void(Review&&)>& on_review);

}  // namespace revsearch
