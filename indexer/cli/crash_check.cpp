#include "crash_check.hpp"

#include <fmt/format.h>

#include "revsearch/crash_guard.hpp"

namespace revindex {

void check_index_if_writer_crashes(std::string_view command, const std::string& db_path) {
    revsearch::exec_on_fatal_signal(
        fmt::format("revindex {}: crashed (a fatal signal, most likely inside Xapian on a damaged table) while "
                    "writing the index at {}; nothing of the batch in progress was committed. Checking its tables:",
                    command, db_path),
        {revsearch::running_executable(), "check", "--db", db_path}, std::string(crashed_writer_marker));
}

}  // namespace revindex
