#include "revsearch/stub_stamp.hpp"

#include <filesystem>

#include "revsearch/generations.hpp"

namespace revsearch {

StubStamp stub_stamp(const std::string& db_path) {
    std::error_code error;
    const std::filesystem::path stub = std::filesystem::is_directory(db_path, error)
                                           ? std::filesystem::path(db_path) / generations::stub_file
                                           : std::filesystem::path(db_path);
    struct stat status {};
    StubStamp stamp;
    if (::stat(stub.c_str(), &status) != 0) return stamp;
    stamp.present = true;
    stamp.device = status.st_dev;
    stamp.inode = status.st_ino;
    stamp.size = status.st_size;
    stamp.modified = status.st_mtim;
    stamp.changed = status.st_ctim;
    return stamp;
}

}  // namespace revsearch
