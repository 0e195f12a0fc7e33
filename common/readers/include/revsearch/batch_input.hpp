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
/// symlink loops and *.md documentation such as README.md or PROVENANCE.md skipped), "-" as stdin, a pipe
/// (`<(cmd)`, /dev/stdin, a FIFO) as a stream. A path that does not exist or cannot be opened, and a device
/// (/dev/zero never ends), is reported to `sink` (line 0) and left out. Nothing inside `exclude` (the index's
/// own directory) is taken from a directory walk; a file inside it named on its own is refused.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const ProblemSink& sink,
                                      const std::string& exclude = {});

/// True for "-" and for inputs that can be read only once (pipes, FIFOs, /dev/stdin, /dev/fd/N, /proc/PID/fd/N):
/// such a path names no batch a rebuild could read again.
bool is_stream_input(const std::string& path);

struct InputStats {
    std::size_t records = 0;   ///< good records delivered
    std::size_t rejected = 0;  ///< records refused (error problems)
    std::size_t warnings = 0;  ///< records kept with a field dropped or repaired
    std::size_t bytes = 0;     ///< bytes read
    std::optional<Format> format;  ///< the layout used; nullopt when the file could not be read at all
    bool unreadable = false;   ///< could not open, not a review layout, binary: reported with line 0
    /// content_hash of every byte read (the bytes the records were parsed from; the input is read to its end),
    /// "" when unreadable.
    std::string hash;
    /// A regular file that changed while it was read (device, inode, size or mtime before and after differ, or
    /// the bytes read are not its size): reported, and the caller must not record it as complete.
    bool changed = false;
    std::string signature;     ///< file_signature before reading ("" for streams)
};

/// Reads one input file (or "-"): detects its layout unless `forced` says it, streams every good record to
/// `on_review`, reports every problem to `sink` and counts them. Never throws for bad input. The input is read
/// once: its hash comes from the same bytes, and `copy_to` (when given) receives them too.
InputStats read_input(const std::string& path, std::optional<Format> forced, const ReaderOptions& options,
                      const ProblemSink& sink, const std::function<void(Review&&)>& on_review,
                      std::ostream* copy_to = nullptr);

}  // namespace revsearch
