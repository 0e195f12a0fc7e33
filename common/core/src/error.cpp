#include "revsearch/error.hpp"

#include "revsearch/exit_codes.hpp"

namespace revsearch {

int exit_code_of(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::locked: return exit_code::locked;
        // The live index is kept: nothing was published, as when --strict refuses a batch.
        case ErrorKind::check_failed: return exit_code::no_match;
        case ErrorKind::usage:
        case ErrorKind::input:
        case ErrorKind::not_found:
        case ErrorKind::corrupt:
        case ErrorKind::io:
        case ErrorKind::refused:
        case ErrorKind::unavailable: return exit_code::error;
    }
    return exit_code::error;
}

}  // namespace revsearch
