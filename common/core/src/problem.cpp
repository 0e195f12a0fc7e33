#include "revsearch/problem.hpp"

namespace revsearch {

std::string format_problem(const Problem& problem) {
    std::string out = problem.file;
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
    out += problem.message;
    return out;
}

}  // namespace revsearch
