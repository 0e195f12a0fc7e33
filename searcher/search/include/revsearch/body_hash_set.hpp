#pragma once
// The body hashes the count pass has accepted, in as few memory pages as they fit.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace revsearch {

/// A set of 128-bit keys (body hashes as their 16 bytes, match_count.cpp). Why not std::unordered_set: it
/// allocates a node per key (48 bytes from malloc) beside its bucket array, and on this machine a page touched
/// for the first time costs a fault, which is most of what a small set costs: with 2,000 keys (the count pass
/// of `revsearch great` on 10,000 aclImdb reviews) that set took 28 of the query's 300 page faults. Here the keys
/// sit one after another (16 bytes each, 32 KB for 2,000) and a table of 4-byte positions, open addressing with
/// linear probing, at most half full, finds them (16 KB for 2,000): 12 pages.
class BodyHashSet {
public:
    using Key = std::pair<std::uint64_t, std::uint64_t>;

    /// Room for `expected` keys without growing; it grows beyond.
    explicit BodyHashSet(std::size_t expected) : slots_(table_size_for(expected), 0) {
        keys_.reserve(expected);
    }

    /// Adds `key`; false when it is there already.
    bool insert(const Key& key) {
        std::size_t slot = slot_of(key);
        for (; slots_[slot] != 0; slot = (slot + 1) & (slots_.size() - 1))
            if (keys_[slots_[slot] - 1] == key) return false;
        keys_.push_back(key);
        if (2 * keys_.size() > slots_.size()) rebuild_table(2 * slots_.size());
        else slots_[slot] = static_cast<std::uint32_t>(keys_.size());
        return true;
    }

    std::size_t size() const { return keys_.size(); }

private:
    /// A power of two at least twice `keys`: the table stays at most half full.
    static std::size_t table_size_for(std::size_t keys) {
        std::size_t size = 16;
        while (size < 2 * keys) size *= 2;
        return size;
    }
    std::size_t slot_of(const Key& key) const {
        const std::uint64_t mixed = (key.first ^ (key.second * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
        return static_cast<std::size_t>(mixed >> 32) & (slots_.size() - 1);
    }
    void rebuild_table(std::size_t size) {
        slots_.assign(size, 0);
        for (std::size_t i = 0; i < keys_.size(); ++i) {
            std::size_t slot = slot_of(keys_[i]);
            while (slots_[slot] != 0) slot = (slot + 1) & (slots_.size() - 1);
            slots_[slot] = static_cast<std::uint32_t>(i + 1);
        }
    }

    std::vector<Key> keys_;             ///< in the order they were added
    std::vector<std::uint32_t> slots_;  ///< 0: empty; else a position in keys_ plus one
};

}  // namespace revsearch
