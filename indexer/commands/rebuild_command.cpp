// revindex rebuild: a complete new index beside the live one, checked, then switched to atomically
// (common/indexing/src/rebuild.cpp, docs/rebuild.md). Safe to run from cron or a systemd timer.

#include "commands.hpp"
#include "generation_job.hpp"

namespace revindex {

int run_rebuild(const RebuildCommand& command) {
    return run_generation_job("rebuild", command, revsearch::rebuild_index);
}

}  // namespace revindex
