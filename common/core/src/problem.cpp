#include "revsearch/problem.hpp"

#include "revsearch/terminal_text.hpp"

namespace revsearch {

std::string format_problem(const Problem& problem) {
    std::string out = for_terminal(problem.file);
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive: GCC bug 105651) on
    // `":" + std::to_string(...)`, which CI's -Werror builds would turn into an error at that level.
    if (problem.line > 0) {
        out += ':';
        out += std::to_string(problem.line);
    }
    switch (problem.severity) {
        case Severity::error: out += ": error: "; break;
        case Severity::warning: out += ": warning: "; break;
        case Severity::note: out += ": note: "; break;
    }
    // A message may quote the input (a bad line's first bytes, a field's value): shown, not obeyed, on a terminal.
    append_for_terminal(out, problem.message);
    return out;
}

}  // namespace revsearch
