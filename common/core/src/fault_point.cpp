#include "revsearch/fault_point.hpp"

#ifdef REVSEARCH_FAULT_POINTS
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <unistd.h>
#endif

namespace revsearch {

#ifdef REVSEARCH_FAULT_POINTS

void fault_point(std::string_view name) {
    const char* wanted = std::getenv("REVSEARCH_FAULT_AT");
    if (wanted == nullptr || name != wanted) return;
    // SIGKILL rather than abort(): no handler, no destructor, no flush runs, as with the OOM killer or a reboot.
    ::kill(::getpid(), SIGKILL);
}

void pause_point(std::string_view name) {
    const char* wanted = std::getenv("REVSEARCH_PAUSE_AT");
    const char* file = std::getenv("REVSEARCH_PAUSE_FILE");
    if (wanted == nullptr || file == nullptr || name != wanted) return;
    std::FILE* marker = std::fopen(file, "w");
    if (marker == nullptr) return;
    std::fclose(marker);
    while (::access(file, F_OK) == 0) ::usleep(20000);
}

namespace {
// The point "start", reached before main in every binary that links the fault points: a test asks a binary
// whether it was built with them by running it with REVSEARCH_FAULT_AT=start (tests/e2e/conftest.py).
[[maybe_unused]] const bool start_reached = (fault_point("start"), true);
}  // namespace

#else

void fault_point(std::string_view) {}
void pause_point(std::string_view) {}

#endif

}  // namespace revsearch
