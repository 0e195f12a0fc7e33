#include "revsearch/table_check.hpp"

#include <array>
#include <sstream>
#include <string_view>

#include <xapian.h>

#include "revsearch/generations.hpp"
#include "revsearch/shards.hpp"

namespace revsearch {

namespace fs = std::filesystem;

namespace {

// The glass tables (xapian-core/backends/glass/glass_database.h); the optional ones exist only once used.
constexpr std::array<std::string_view, 6> glass_tables = {"postlist", "docdata", "termlist",
                                                          "position", "spelling", "synonym"};

std::string label_of(const fs::path& file, const fs::path& base) {
    std::error_code ec;
    const fs::path relative = fs::relative(file, base, ec);
    return (ec || relative.empty()) ? file.string() : relative.string();
}

/// Xapian's report ends in a line per problem; the last non-empty one is enough for a one-line message.
std::string last_line(const std::string& text) {
    std::size_t end = text.find_last_not_of('\n');
    if (end == std::string::npos) return {};
    std::size_t start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

}  // namespace

void check_tables(const fs::path& database, const fs::path& label_base) {
    for (const auto& shard : shards::shard_paths(database)) {
        for (std::string_view table : glass_tables) {
            const fs::path file = shard / (std::string(table) + ".glass");
            std::error_code ec;
            if (!fs::exists(file, ec)) continue;
            const std::string label = label_of(file, label_base);
            std::ostringstream report;
            std::size_t errors = 0;
            try {
                // Checking one table file: Xapian checks its B-tree and, for the spelling and synonym tables
                // (no structure check implemented), that every item reads back.
                errors = Xapian::Database::check(file.string(), 0, &report);
            } catch (const Xapian::Error& e) {
                throw CorruptTableError(std::string(table), "table " + label + " is corrupt: " + e.get_description());
            } catch (const std::exception& e) {
                throw CorruptTableError(std::string(table), "table " + label + " is corrupt: " + e.what());
            }
            if (errors > 0)
                throw CorruptTableError(std::string(table), "table " + label + " is corrupt: " +
                                                                std::to_string(errors) + " error(s), " +
                                                                last_line(report.str()));
        }
    }
}

std::string describe_corruption(const std::string& dir, const std::string& fallback) {
    try {
        const auto live = generations::live_database_path(dir);
        if (!live) return fallback;
        check_tables(*live, dir);
    } catch (const CorruptTableError& e) {
        return e.what();
    } catch (const std::exception&) {
        return fallback;
    }
    return fallback;
}

}  // namespace revsearch
