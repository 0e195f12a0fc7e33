#include "revsearch/shards.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <xxhash.h>

#include "revsearch/generations.hpp"

namespace revsearch::shards {

namespace fs = std::filesystem;

std::string shard_name(unsigned index) { return fmt::format("shard-{}", index); }

unsigned shard_of(std::string_view review_id, unsigned count) {
    if (count <= 1) return 0;
    return static_cast<unsigned>(XXH3_64bits(review_id.data(), review_id.size()) % count);
}

std::string shard_stub_text(unsigned count) {
    std::string text;
    for (unsigned i = 0; i < count; ++i) text += "auto " + shard_name(i) + "\n";
    return text;
}

std::vector<fs::path> shard_paths(const fs::path& database) {
    const fs::path stub = database / generations::stub_file;
    std::error_code ec;
    if (fs::exists(database / "iamglass", ec) || !fs::exists(stub, ec)) return {database};
    std::ifstream in(stub);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<fs::path> paths;
    std::istringstream lines(text.str());
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        if (line != "auto " + shard_name(static_cast<unsigned>(paths.size())))
            throw std::runtime_error(fmt::format("{} does not list shards as revindex writes them (line '{}')",
                                                 stub.string(), line));
        paths.push_back(database / shard_name(static_cast<unsigned>(paths.size())));
    }
    if (paths.empty()) throw std::runtime_error(stub.string() + " lists no shard");
    return paths;
}

void write_shard_stub(const fs::path& path, unsigned count) {
    // Synced: the generation is switched to (a rename of the stub above it) only after this returns.
    const fs::path stub = path / generations::stub_file;
    const std::string text = shard_stub_text(count);
    const int fd = ::open(stub.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const bool written = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                         ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!written) throw std::runtime_error("cannot write " + stub.string());
}

void create_empty(const fs::path& path, unsigned count) {
    if (count <= 1) {
        Xapian::WritableDatabase(path.string(), Xapian::DB_CREATE).commit();
        return;
    }
    fs::create_directories(path);
    for (unsigned i = 0; i < count; ++i)
        Xapian::WritableDatabase((path / shard_name(i)).string(), Xapian::DB_CREATE).commit();
    write_shard_stub(path, count);
}

std::vector<Xapian::WritableDatabase> open_writable(const std::vector<fs::path>& paths, int flags) {
    std::vector<Xapian::WritableDatabase> databases;
    databases.reserve(paths.size());
    for (const auto& path : paths) databases.emplace_back(path.string(), flags);
    return databases;
}

}  // namespace revsearch::shards
