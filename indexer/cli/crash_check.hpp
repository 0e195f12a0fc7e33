#pragma once
// A writer that dies of a fatal signal becomes `revindex check` on its index (crash_guard.hpp says why).

#include <string>
#include <string_view>

namespace revindex {

/// Set in the environment of the `revindex check` that replaced a crashed writer.
inline constexpr std::string_view crashed_writer_marker = "REVINDEX_CRASHED_WRITER";

/// From here on, a fatal signal in this process prints "revindex COMMAND: crashed (...) while writing the index
/// at DB_PATH; nothing of the batch in progress was committed" and runs `revindex check --db DB_PATH` in its
/// place, which names the damaged table and exits 2.
void check_index_if_writer_crashes(std::string_view command, const std::string& db_path);

}  // namespace revindex
