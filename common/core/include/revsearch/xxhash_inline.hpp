#pragma once

// xxHash, compiled into each file that hashes (the header's own XXH_INLINE_ALL mode) rather than called in
// libxxhash.so: nothing then refers to the shared library, which --as-needed leaves out of both tools, one
// library fewer for the dynamic loader to map at every start of revsearch (docs/benchmarks.md, "Start-up of a
// shell query"). Debian's libxxhash-dev ships the header this needs.
#define XXH_INLINE_ALL
#include <xxhash.h>
