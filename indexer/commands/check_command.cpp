// revindex check: Xapian's structural check of every table of the live index, naming the first damaged one.
// Also what a writer that died of a fatal signal becomes (crash_check.hpp): the process is replaced by this
// command so the user learns which table is damaged, with exit 2.

#include <cstdlib>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "crash_check.hpp"
#include "index_errors.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/table_check.hpp"

namespace revindex {

int run_check(const CheckOptions& options) {
    using revsearch::Error;
    using revsearch::ErrorKind;
    const std::string db_path = revsearch::resolve_db_path(options.db);
    const bool after_crash = std::getenv(std::string(crashed_writer_marker).c_str()) != nullptr;
    on_index(db_path, Corruption::as_reported, [&] {
        const auto live = revsearch::generations::live_database_path(db_path);
        if (!live) throw Error(ErrorKind::not_found, "no index at " + db_path);
        try {
            revsearch::check_tables(*live, db_path);
        } catch (const revsearch::CorruptTableError& e) {
            throw Error(ErrorKind::corrupt, "index at " + db_path + ": " + e.what(), revsearch::Remedy::rebuild_index);
        }
    });
    if (after_crash) {
        // The tables are sound, so the crash was not caused by damage the check can see: still an error.
        throw Error(ErrorKind::io, "every table of " + db_path + " passed Xapian's check; the crash has another cause "
                                   "(please report it)");
    }
    std::cout << "checked every table of " << db_path << ": no errors\n";
    return revsearch::exit_code::ok;
}

}  // namespace revindex
