#pragma once
// An index directory this run created, removed again when the run indexed nothing: `revindex add --db new.db
// missing.json` or a folder of unreadable files must not leave an empty index behind that the next command
// takes for a real one. The directory's own lock file goes with it; a process that waited on that lock takes
// the new one instead (index_lock.cpp checks the file it locked is still there).

#include <filesystem>
#include <optional>

namespace revsearch {

class NewIndexCleanup {
public:
    /// Call before anything creates `dir`: notes whether it exists, and which of its parents do not.
    explicit NewIndexCleanup(std::filesystem::path dir);

    /// When `dir` did not exist before and holds no index, or one without a document: takes the index lock
    /// (at once or not at all: another writer may be filling it), removes `dir` and the parents this run
    /// created, and returns true. Otherwise leaves everything as it is and returns false. Never throws.
    bool remove_if_empty() noexcept;

private:
    std::filesystem::path dir_;
    /// The outermost directory that did not exist (dir_ or one of its parents); nullopt when dir_ existed.
    std::optional<std::filesystem::path> first_missing_;
};

}  // namespace revsearch
