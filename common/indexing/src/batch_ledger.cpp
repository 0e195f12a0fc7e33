#include "revsearch/batch_ledger.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xxhash.h>

#include "revsearch/schema.hpp"

namespace revsearch {

std::string ledger_key(std::string_view absolute_path) {
    std::string key(schema::meta_batch_prefix);
    key += absolute_path;
    return key;
}

std::string to_ledger_json(const BatchLedgerEntry& entry) {
    const nlohmann::json object = {{"path", entry.path},
                                   {"hash", entry.hash},
                                   {"records", entry.records},
                                   {"rejected", entry.rejected},
                                   {"time", entry.time},
                                   {"format", entry.format},
                                   {"csv_map", entry.csv_map}};
    // Paths are bytes, not always UTF-8: replace rather than throw.
    return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<BatchLedgerEntry> parse_ledger_json(std::string_view text) {
    const auto object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) return std::nullopt;
    try {
        BatchLedgerEntry entry;
        entry.path = object.at("path").get<std::string>();
        entry.hash = object.at("hash").get<std::string>();
        entry.records = object.at("records").get<std::size_t>();
        entry.rejected = object.at("rejected").get<std::size_t>();
        entry.time = object.at("time").get<std::string>();
        entry.format = object.value("format", "");
        entry.csv_map = object.value("csv_map", "");
        return entry;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::optional<BatchLedgerEntry> read_ledger_entry(const Xapian::Database& db, std::string_view absolute_path) {
    const std::string value = db.get_metadata(ledger_key(absolute_path));
    if (value.empty()) return std::nullopt;
    return parse_ledger_json(value);
}

std::vector<BatchLedgerEntry> read_ledger(const Xapian::Database& db) {
    std::vector<BatchLedgerEntry> entries;
    const std::string prefix(schema::meta_batch_prefix);
    for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) {
        if (auto entry = parse_ledger_json(db.get_metadata(*key))) entries.push_back(std::move(*entry));
    }
    return entries;
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

std::string utc_timestamp_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::array<char, 32> text{};
    std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text.data();
}

}  // namespace revsearch
