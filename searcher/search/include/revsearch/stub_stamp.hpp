#pragma once
// Whether the index a path names is still the one opened a moment ago: the stub that names it, unchanged.

#include <sys/stat.h>

#include <string>

namespace revsearch {

/// The stub a fresh open of `db_path` reads first, as stat(2) sees it: DIR/XAPIANDB for an index directory (the
/// live generation, generations.hpp), the path itself for a stub file of shards; absent for an index directory
/// of the layout before generations (its commits are what reopen() follows). A switch renames a new stub over
/// the old one, which gives it another inode and change time, so two equal stamps mean that an open made
/// between them still names the live generation and shards.
struct StubStamp {
    bool present = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified{};
    timespec changed{};

    bool operator==(const StubStamp& other) const {
        return present == other.present && device == other.device && inode == other.inode && size == other.size &&
               modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec &&
               changed.tv_sec == other.changed.tv_sec && changed.tv_nsec == other.changed.tv_nsec;
    }
};

StubStamp stub_stamp(const std::string& db_path);

}  // namespace revsearch
