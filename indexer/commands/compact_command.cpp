// revindex compact: Xapian's compaction of the live index into a new generation, switched to atomically like
// a rebuild (docs/rebuild.md).

#include <iostream>

#include "commands.hpp"
#include "generation_job.hpp"
#include "revsearch/db_location.hpp"

namespace revindex {

int run_compact(const CompactCommand& command) {
    revsearch::CompactOptions job = command.job;
    job.dir = revsearch::resolve_db_path(command.db);
    revsearch::EventLog log("compact", command.log_json, command.quiet, std::cout, std::cerr);
    return run_generation_job(log, job.dir, [&] { revsearch::compact_index(job, log); });
}

}  // namespace revindex
