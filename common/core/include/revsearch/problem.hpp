#pragma once
// How readers report bad input: one message per bad record, naming file, line and what is wrong.

#include <cstddef>
#include <functional>
#include <string>

namespace revsearch {

enum class Severity {
    warning,  ///< the record was kept, a field was dropped or repaired (the message says which)
    error,    ///< the record was rejected
    note,     ///< nothing is wrong: what the reader found (the IMDb page design it reads), counted as no problem
};

struct Problem {
    std::string file;
    std::size_t line = 0;  ///< 1-based line where the bad record starts; 0 when the whole file is at fault
    Severity severity = Severity::error;
    std::string message;
    /// How many records this one line stands for: more than 1 when a reader folds the same problem of many
    /// records into one line (a file whose every record lacks the body: docs/formats.md). Counted as that many
    /// rejected records.
    std::size_t records = 1;
};

/// "file:line: error: message", the shape compilers use so editors can jump to it; control characters of the
/// file name and the message (which may quote the input) shown, not sent to the terminal (terminal_text.hpp).
std::string format_problem(const Problem& problem);

using ProblemSink = std::function<void(const Problem&)>;

}  // namespace revsearch
