#include "revsearch/index_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace revsearch {

namespace fs = std::filesystem;

struct IndexLock::Held {
    int fd = -1;
    ~Held() {
        if (fd >= 0) ::close(fd);  // closing the last descriptor releases the flock
    }
};

namespace {

constexpr std::chrono::milliseconds poll_interval{50};

std::mutex registry_mutex;
/// The locks this process holds, by canonical directory: what makes acquire re-entrant.
std::map<std::string, std::weak_ptr<IndexLock::Held>>& registry() {
    static std::map<std::string, std::weak_ptr<IndexLock::Held>> held;
    return held;
}

}  // namespace

std::string index_lock_path(const std::string& index_dir) { return (fs::path(index_dir) / ".revindex.lock").string(); }

Error locked_error(const std::string& index_dir, std::chrono::milliseconds waited) {
    return Error(ErrorKind::locked,
                 fmt::format("another revindex holds the index at {} (waited {} s)", index_dir,
                             std::chrono::duration<double>(waited).count()),
                 Remedy::wait_longer);
}

IndexLock IndexLock::take(const std::string& index_dir, std::chrono::milliseconds timeout) {
    auto lock = acquire(index_dir, timeout);
    if (!lock) throw locked_error(index_dir, timeout);
    return std::move(*lock);
}

namespace {

/// Whether `fd` is still the file at `path`: an add that read nothing into a new index removes the directory
/// with its lock file (new_index_cleanup.hpp), and a process that waited on that file must not hold it.
bool still_the_file_at(int fd, const std::string& path) {
    struct stat held {}, named {};
    return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
           held.st_ino == named.st_ino;
}

}  // namespace

std::optional<IndexLock> IndexLock::acquire(const std::string& index_dir, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::error_code ec;
        fs::create_directories(index_dir, ec);
        if (ec) throw Error(ErrorKind::io, "cannot create " + index_dir + ": " + ec.message());
        const std::string key = fs::weakly_canonical(index_dir).string();
        {
            std::lock_guard guard(registry_mutex);
            if (auto existing = registry()[key].lock()) return IndexLock(existing);
        }
        auto held = std::make_shared<Held>();
        const std::string path = index_lock_path(index_dir);
        held->fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        // flock(2) needs no write access: on a read-only index the lock still excludes, and the write that
        // follows fails with the index's own, clearer permission error.
        if (held->fd < 0 && (errno == EACCES || errno == EROFS)) held->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (held->fd < 0 && errno == ENOENT) continue;  // the directory was removed meanwhile: create it again
        if (held->fd < 0) throw Error(ErrorKind::io, "cannot open " + path + ": " + std::strerror(errno));
        bool locked = false;
        while (!(locked = ::flock(held->fd, LOCK_EX | LOCK_NB) == 0)) {
            if (errno != EWOULDBLOCK && errno != EINTR)
                throw Error(ErrorKind::io, "cannot lock " + path + ": " + std::strerror(errno));
            if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
            std::this_thread::sleep_for(poll_interval);
        }
        if (!still_the_file_at(held->fd, path)) continue;  // removed while we waited: lock the new one
        std::lock_guard guard(registry_mutex);
        registry()[key] = held;
        return IndexLock(held);
    }
}

void IndexLock::hold_until_exit() const {
    static std::mutex mutex;
    static std::vector<std::shared_ptr<Held>> kept;
    std::lock_guard guard(mutex);
    kept.push_back(held_);
}

}  // namespace revsearch
