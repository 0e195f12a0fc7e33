#include "revsearch/fault_point.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <unistd.h>

namespace revsearch {

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

}  // namespace revsearch
