#pragma once
// The index directory's own lock, DIR/.revindex.lock, held with flock(2) by every command that changes the
// index (add, delete, rebuild, compact) for as long as it works. Xapian's write lock guards one generation's
// files; this one guards the directory, so that an add cannot interleave with a rebuild's switch to a new
// generation. The kernel drops a flock when its holder dies, even by SIGKILL: no stale lock to clean up.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "revsearch/error.hpp"

namespace revsearch {

class IndexLock {
public:
    /// Takes the lock on `index_dir` (created with its parents), polling every 50 ms until `timeout`; nullopt
    /// when another process still holds it then. Re-entrant within a process: a second acquire of a directory
    /// this process already holds shares the first lock (flock would otherwise deadlock on itself).
    /// Throws Error (io) when the directory or lock file cannot be created.
    static std::optional<IndexLock> acquire(const std::string& index_dir, std::chrono::milliseconds timeout);
    /// The same, throwing locked_error when another process still holds it after `timeout`.
    static IndexLock take(const std::string& index_dir, std::chrono::milliseconds timeout);

    /// Keeps this lock until the process exits (for commands whose Xapian handle outlives the call that opened it).
    void hold_until_exit() const;

    struct Held;  ///< the locked file descriptor, shared by every IndexLock of one directory in this process

private:
    explicit IndexLock(std::shared_ptr<Held> held) : held_(std::move(held)) {}
    std::shared_ptr<Held> held_;
};

/// Another process held the index at `index_dir` (this lock, or a Xapian write lock) for all of `waited`.
Error locked_error(const std::string& index_dir, std::chrono::milliseconds waited);

/// DIR/.revindex.lock
std::string index_lock_path(const std::string& index_dir);

}  // namespace revsearch
