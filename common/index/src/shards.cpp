#include "revsearch/shards.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include "revsearch/xxhash_inline.hpp"

#include "revsearch/generations.hpp"
#include "revsearch/stub_codec.hpp"

namespace revsearch::shards {

namespace fs = std::filesystem;

std::string shard_name(unsigned index) { return fmt::format("shard-{}", index); }

unsigned shard_of(std::string_view review_id, unsigned count) {
    if (count <= 1) return 0;
    return static_cast<unsigned>(XXH3_64bits(review_id.data(), review_id.size()) % count);
}

std::string shard_stub_text(unsigned count) {
    std::vector<std::string> names;
    for (unsigned i = 0; i < count; ++i) names.push_back(shard_name(i));
    return stub_codec::local_stub_text(names);
}

std::vector<fs::path> shard_paths(const fs::path& database) {
    const fs::path stub = database / generations::stub_file;
    std::error_code ec;
    if (fs::exists(database / "iamglass", ec) || !fs::exists(stub, ec)) return {database};
    std::vector<fs::path> paths;
    for (const auto& line : stub_codec::parse(stub_codec::read_text(stub))) {
        if (line.type != "auto" || line.target != shard_name(static_cast<unsigned>(paths.size())))
            throw std::runtime_error(fmt::format("{} does not list shards as revindex writes them (line '{}')",
                                                 stub.string(), line.text));
        paths.push_back(database / shard_name(static_cast<unsigned>(paths.size())));
    }
    if (paths.empty()) throw std::runtime_error(stub.string() + " lists no shard");
    return paths;
}

void write_shard_stub(const fs::path& path, unsigned count) {
    // Synced: the generation is switched to (a rename of the stub above it) only after this returns.
    stub_codec::replace_durably(path / generations::stub_file, shard_stub_text(count));
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
