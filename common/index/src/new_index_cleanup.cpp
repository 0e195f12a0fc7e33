#include "revsearch/new_index_cleanup.hpp"

#include <chrono>
#include <exception>

#include <xapian.h>

#include "revsearch/generations.hpp"
#include "revsearch/index_lock.hpp"

namespace revsearch {

namespace fs = std::filesystem;

NewIndexCleanup::NewIndexCleanup(fs::path dir) : dir_(fs::absolute(dir).lexically_normal()) {
    std::error_code ec;
    for (fs::path path = dir_; !path.empty() && !fs::exists(path, ec); path = path.parent_path()) {
        first_missing_ = path;
        if (path == path.parent_path()) break;
    }
}

bool NewIndexCleanup::remove_if_empty() noexcept {
    if (!first_missing_) return false;
    try {
        // Re-entrant: the add that created it still holds the lock; a bulk add has let it go, and then another
        // writer may hold it now.
        const auto lock = IndexLock::acquire(dir_.string(), std::chrono::milliseconds(0));
        if (!lock) return false;
        const auto state = generations::inspect(dir_);
        if (state.layout == generations::Layout::legacy) return false;
        if (state.layout == generations::Layout::generations && Xapian::Database(dir_.string()).get_doccount() > 0)
            return false;
        std::error_code ec;
        fs::remove_all(dir_, ec);
        if (ec) return false;
        // The parents created for it, innermost first; a parent that holds anything else stays.
        for (fs::path path = dir_.parent_path(); ec == std::error_code() && path != first_missing_->parent_path();
             path = path.parent_path()) {
            if (!fs::remove(path, ec)) break;
        }
        return true;
    } catch (const std::exception&) {
        return false;  // the index stays as it is: harmless, only not tidied
    }
}

}  // namespace revsearch
