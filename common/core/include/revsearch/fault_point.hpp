#pragma once
// Fault injection for crash tests (as Tantivy's fail points): with REVSEARCH_FAULT_AT=NAME in the environment,
// the process SIGKILLs itself when it reaches the point NAME, so a test can stop a rebuild exactly before its
// switch, in the middle of a legacy move, and so on. Without the variable a point costs one getenv.
// Compiled only under the CMake option REVSEARCH_FAULT_POINTS (scripts/build.sh and scripts/sanitize.sh turn it on
// for the tests); without it both functions are empty and the environment is never read.

#include <string_view>

namespace revsearch {

/// Points used: after-scratch, mid-build, before-check, before-switch, legacy-mid-move, after-switch,
/// between-shard-commits, first-generation-unswitched; and start, before main, by which a test tells whether a
/// binary has fault points.
void fault_point(std::string_view name);

/// A pause for tests that must act while the process is at a point (rewrite a file while it is being read):
/// with REVSEARCH_PAUSE_AT=NAME and REVSEARCH_PAUSE_FILE=PATH, the process creates PATH when it reaches NAME and
/// waits until PATH is removed. No timing: the test waits for PATH, acts, removes it.
/// Points used: input-read (a regular input file read to its end, before it is checked for changes).
void pause_point(std::string_view name);

}  // namespace revsearch
