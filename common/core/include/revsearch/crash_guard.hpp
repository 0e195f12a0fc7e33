#pragma once
// What a writer does when it dies of a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT): it says so in one
// line and replaces itself (execv, which is async-signal-safe) with a fresh process that can still do work, such
// as checking the index's tables and naming the damaged one.
//
// Why: Xapian 1.4.22 does not validate B-tree blocks before writing into them. A damaged table (flipped bits in
// docdata.glass) makes replace_document overrun a block buffer (valgrind: "Invalid write" in memmove from
// WritableDatabase::replace_document), so the writer aborts or segfaults instead of throwing
// DatabaseCorruptError (docs/reliability.md). Xapian commits atomically, so nothing of the batch in progress
// reaches the disk; what the user lacks is the reason and an exit code of ours.
//
// Not installed under AddressSanitizer, whose own handlers report such faults.

#include <string>
#include <vector>

namespace revsearch {

/// On a fatal signal: writes `message` (a newline is added) to stderr, then execv's `argv` (argv[0] is the program
/// path) with the environment variable `marker`=1 added so the new process knows it follows a crash. If execv
/// fails the signal's default action runs. Call again to replace the guard; everything is copied beforehand, so the
/// handler allocates nothing.
void exec_on_fatal_signal(const std::string& message, const std::vector<std::string>& argv, const std::string& marker);

/// The path of the running executable (/proc/self/exe), for re-executing it.
std::string running_executable();

}  // namespace revsearch
