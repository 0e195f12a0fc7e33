#include "revsearch/problem.hpp"

namespace revsearch {

std::string format_problem(const Problem& problem) {
    std::string out = problem.file;
    if (problem.line > 0) out += ":" + std::to_string(problem.line);
    out += problem.severity == Severity::error ? ": error: " : ": warning: ";
    out += problem.message;
    return out;
}

}  // namespace revsearch
