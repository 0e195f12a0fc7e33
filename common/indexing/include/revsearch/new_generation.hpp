#pragma once
// Publishing a new generation of an index directory (generations.hpp): the one protocol that rebuild, compact
// and add --jobs share. Under the index lock, with what a killed run left finished first, a database is built
// in this run's scratch space (never touching the live generation), then renamed to DIR/gen-N and switched to
// in one atomic step: the stub is replaced with rename(), or a legacy DIR's glass files are moved
// (switch_from_legacy). A reader opening DIR sees the old generation or the new one, never a mix. Whatever ends
// the run before the switch (an exception, a failed check) removes what it built; a SIGKILL leaves it to the
// next run's finish_interrupted_work. Fault points: before-switch, after-switch.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "revsearch/event_log.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/index_lock.hpp"

namespace revsearch {

class NewGeneration {
public:
    /// Takes the index lock of `dir` (Error locked after `lock_timeout`), finishes what a killed run left
    /// (each step logged as a "recovered" event) and reads the directory's state.
    NewGeneration(const std::filesystem::path& dir, std::chrono::milliseconds lock_timeout, EventLog& log);
    NewGeneration(const NewGeneration&) = delete;
    NewGeneration& operator=(const NewGeneration&) = delete;
    /// Removes the scratch space, and the promoted generation unless it was switched to.
    ~NewGeneration();

    /// The directory as it was when the lock was taken.
    const generations::DirectoryState& state() const { return state_; }
    /// The live generation's number; nullopt for no index or a legacy one.
    std::optional<unsigned> live_number() const;
    /// The number the new generation gets.
    unsigned number() const { return number_; }
    /// This run's scratch space, DIR/.building-PID-gen-N (not created): build the database in it, or as it.
    const std::filesystem::path& scratch() const { return scratch_; }

    /// Makes `database` (the complete database: scratch() or a directory inside it) the live generation:
    /// renames it to DIR/gen-N, switches to it atomically, calls `on_switched` (a switch is logged before
    /// anything can stop the run after it), then removes the generations older than the `keep` newest
    /// (generations::remove_old_generations). Returns the numbers removed.
    std::vector<unsigned> publish(const std::filesystem::path& database, unsigned keep,
                                  const std::function<void()>& on_switched = {});

private:
    std::filesystem::path dir_;
    IndexLock lock_;
    generations::DirectoryState state_;
    unsigned number_ = 0;
    std::filesystem::path scratch_;
    bool promoted_ = false;  ///< renamed to DIR/gen-N
    bool switched_ = false;  ///< live: kept whatever happens next
};

}  // namespace revsearch
