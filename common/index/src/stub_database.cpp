#include "revsearch/stub_database.hpp"


#include <fmt/format.h>

#include "revsearch/stub_codec.hpp"

namespace revsearch {

namespace fs = std::filesystem;

namespace {

/// A probe must not hang on a dead host for Xapian's default 10 s.
constexpr unsigned probe_connect_timeout_ms = 2000;

}  // namespace

std::vector<StubEntry> read_stub_entries(const std::string& path) {
    std::vector<StubEntry> entries;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return entries;
    for (auto& line : stub_codec::parse(stub_codec::read_text(path)))
        entries.push_back(StubEntry{entries.size(), line.number, std::move(line.text), std::move(line.type),
                                    std::move(line.target)});
    return entries;
}

Xapian::Database open_stub_entry(const StubEntry& entry, const fs::path& stub_dir, unsigned connect_timeout_ms) {
    const std::string& kind = entry.type;
    const std::string& rest = entry.target;
    if ((kind == "auto" || kind == "glass" || kind == "chert") && !rest.empty()) {
        const fs::path path = fs::path(rest).is_absolute() ? fs::path(rest) : stub_dir / rest;
        return Xapian::Database(path.string());
    }
    if (kind == "remote" && !rest.empty()) {
        if (rest[0] == ':') {
            const std::string command = rest.substr(1);
            const auto blank = command.find(' ');
            return Xapian::Remote::open(command.substr(0, blank),
                                        blank == std::string::npos ? std::string() : command.substr(blank + 1));
        }
        const auto colon = rest.rfind(':');
        if (colon != std::string::npos && colon + 1 < rest.size()) {
            const std::string host = colon == 0 ? std::string("127.0.0.1") : rest.substr(0, colon);
            const unsigned port = static_cast<unsigned>(std::stoul(rest.substr(colon + 1)));
            return Xapian::Remote::open(host, port, 10000, connect_timeout_ms);
        }
    }
    throw Xapian::InvalidArgumentError(fmt::format("line {}: '{}' is no stub entry revsearch knows", entry.line_number,
                                                   entry.line));
}

std::vector<ShardFailure> probe_stub_entries(const std::string& stub_path, const std::vector<StubEntry>& entries) {
    std::vector<ShardFailure> failures;
    const fs::path stub_dir = fs::path(stub_path).parent_path();
    for (const auto& entry : entries) {
        try {
            Xapian::Database shard = open_stub_entry(entry, stub_dir, probe_connect_timeout_ms);
            (void)shard.get_doccount();
            shard.keep_alive();  // a remote answers over the connection, not only at connect time
        } catch (const Xapian::Error& error) {
            failures.push_back(ShardFailure{entry, error.get_description()});
        } catch (const std::exception& error) {
            failures.push_back(ShardFailure{entry, error.what()});
        }
    }
    return failures;
}

std::string describe_failures(const std::vector<ShardFailure>& failures, std::size_t shard_count) {
    std::string text;
    for (const auto& failure : failures) {
        if (!text.empty()) text += "; ";
        text += fmt::format("shard {} of {} (line {}: {}) failed: {}", failure.shard.index + 1, shard_count,
                            failure.shard.line_number, failure.shard.line, failure.error);
    }
    return text;
}

}  // namespace revsearch
