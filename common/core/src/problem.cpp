#include "revsearch/problem.hpp"

namespace revsearch {

std::string format_problem(const Problem& problem) {
    std::string out = problem.file;
    if (problem.line > 0) out += ":" + std::to_string(problem.line);
    switch (problem.severity) {
        case Severity::error: out += ": error: "; break;
        case Severity::warning: out += ": warning: "; break;
        case Severity::note: out += ": note: "; break;
    }
    out += problem.message;
    return out;
}

}  // namespace revsearch
