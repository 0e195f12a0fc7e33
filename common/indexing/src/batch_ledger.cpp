#include "revsearch/batch_ledger.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
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
#include "revsearch/xxhash_inline.hpp"

#include "revsearch/schema.hpp"

namespace revsearch {

std::string ledger_key(std::string_view absolute_path) {
    std::string key(schema::meta_batch_prefix);
    key += absolute_path;
    return key;
}

std::string to_ledger_json(const BatchLedgerEntry& entry) {
    nlohmann::json object = {{"path", entry.path},
                                   {"hash", entry.hash},
                                   {"records", entry.records},
                                   {"rejected", entry.rejected},
                                   {"time", entry.time},
                                   {"format", entry.format},
                                   {"csv_map", entry.csv_map},
                                   {"seq", entry.seq}};
    if (!entry.origin.empty()) object["origin"] = entry.origin;
    if (!entry.signature.empty()) object["signature"] = entry.signature;
    if (!entry.json_map.empty()) object["json_map"] = entry.json_map;
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
        entry.seq = object.value("seq", std::uint64_t{0});
        entry.origin = object.value("origin", "");
        entry.signature = object.value("signature", "");
        entry.json_map = object.value("json_map", "");
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
    // ISO 8601 UTC times sort as text. Entries of one second keep path order, the best guess left for an index
    // written before seq existed.
    std::stable_sort(entries.begin(), entries.end(), [](const BatchLedgerEntry& a, const BatchLedgerEntry& b) {
        if (a.seq != b.seq) return a.seq < b.seq;
        return a.seq == 0 && a.time < b.time;
    });
    return entries;
}

std::uint64_t last_sequence(const Xapian::Database& db) {
    const std::string text = db.get_metadata(std::string(schema::meta_sequence));
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? value : 0;
}

void set_last_sequence(Xapian::WritableDatabase& db, std::uint64_t seq) {
    db.set_metadata(std::string(schema::meta_sequence), std::to_string(seq));
}

std::string tombstone_key(std::string_view review_id) {
    std::string key(schema::meta_tombstone_prefix);
    key += review_id;
    return key;
}

std::string to_tombstone_json(const Tombstone& tombstone) {
    const nlohmann::json object = {{"seq", tombstone.seq}, {"time", tombstone.time}, {"reason", tombstone.reason}};
    return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Tombstone> parse_tombstone_json(std::string_view text) {
    const auto object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) return std::nullopt;
    try {
        return Tombstone{object.at("seq").get<std::uint64_t>(), object.value("time", ""), object.value("reason", "")};
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

void write_tombstone(Xapian::WritableDatabase& db, std::string_view review_id, const Tombstone& tombstone) {
    db.set_metadata(tombstone_key(review_id), to_tombstone_json(tombstone));
}

std::map<std::string, Tombstone> read_tombstones(const Xapian::Database& db) {
    std::map<std::string, Tombstone> tombstones;
    const std::string prefix(schema::meta_tombstone_prefix);
    for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) {
        if (auto tombstone = parse_tombstone_json(db.get_metadata(*key)))
            tombstones.emplace((*key).substr(prefix.size()), std::move(*tombstone));
    }
    return tombstones;
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
