#include "revsearch/fault_point.hpp"

#include <csignal>
#include <cstdlib>

#include <unistd.h>

namespace revsearch {

void fault_point(std::string_view name) {
    const char* wanted = std::getenv("REVSEARCH_FAULT_AT");
    if (wanted == nullptr || name != wanted) return;
    // SIGKILL rather than abort(): no handler, no destructor, no flush runs, as with the OOM killer or a reboot.
    ::kill(::getpid(), SIGKILL);
}

}  // namespace revsearch
