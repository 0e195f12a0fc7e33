// revindex compact: Xapian's compaction of the live index into a new generation, switched to atomically like
// a rebuild (docs/rebuild.md).

#include "commands.hpp"
#include "generation_job.hpp"

namespace revindex {

int run_compact(const CompactCommand& command) {
    return run_generation_job("compact", command, revsearch::compact_index);
}

}  // namespace revindex
