#include "revsearch/file_facts.hpp"

#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include "revsearch/xxhash_inline.hpp"

namespace revsearch {

std::string file_signature(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) return "";
    return fmt::format("{}:{}:{}:{}", static_cast<std::uint64_t>(status.st_dev),
                       static_cast<std::uint64_t>(status.st_ino), static_cast<std::int64_t>(status.st_size),
                       static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec);
}

std::string file_content_hash(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), &XXH3_freeState);
    if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) throw std::runtime_error("xxhash: cannot allocate");
    std::array<char, 1 << 16> buffer{};
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = in.gcount();
        if (got > 0) XXH3_128bits_update(state.get(), buffer.data(), static_cast<std::size_t>(got));
    }
    if (in.bad()) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    const XXH128_hash_t hash = XXH3_128bits_digest(state.get());
    // The same layout as content_hash (review_id.cpp): high half first, as xxhsum -H2 prints it.
    return fmt::format("{:016x}{:016x}", static_cast<std::uint64_t>(hash.high64),
                       static_cast<std::uint64_t>(hash.low64));
}

}  // namespace revsearch
