// revindex rebuild: a complete new index beside the live one, checked, then switched to atomically
// (common/indexing/src/rebuild.cpp, docs/rebuild.md). Safe to run from cron or a systemd timer.

#include <iostream>

#include "commands.hpp"
#include "generation_job.hpp"
#include "revsearch/db_location.hpp"

namespace revindex {

int run_rebuild(const RebuildCommand& command) {
    revsearch::RebuildOptions job = command.job;
    job.dir = revsearch::resolve_db_path(command.db);
    revsearch::EventLog log("rebuild", command.log_json, command.quiet, std::cout, std::cerr);
    return run_generation_job(log, job.dir, [&] { revsearch::rebuild_index(job, log); });
}

}  // namespace revindex
