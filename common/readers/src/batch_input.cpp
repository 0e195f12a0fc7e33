#include "revsearch/batch_input.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <set>
#include <streambuf>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include "revsearch/xxhash_inline.hpp"

#include "revsearch/fault_point.hpp"
#include "revsearch/file_facts.hpp"

namespace revsearch {

namespace fs = std::filesystem;

namespace {

// Enough for every layout to show its signature (a CSV header, a few JSON lines, a <review> block, an IMDb
// page header) and small enough to hold for every file.
constexpr std::size_t head_bytes = 64 * 1024;

bool is_hidden(const fs::path& path) {
    auto name = path.filename().string();
    return name.size() > 1 && name.front() == '.' && name != "..";
}

void report(const ProblemSink& sink, const std::string& file, std::string message) {
    if (sink) sink(Problem{file, 0, Severity::error, std::move(message)});
}

// Markdown beside the data (README.md, the corpora's PROVENANCE.md) documents a batch and is none: a directory
// walk leaves it out. A .md file named on the command line is still read.
bool is_documentation(const fs::path& path) {
    auto extension = path.extension().string();
    return extension == ".md" || extension == ".MD";
}

bool can_open(const fs::path& path) {
    std::ifstream probe(path, std::ios::binary);
    return probe.is_open();
}

bool is_inside(const fs::path& canonical, const fs::path& dir) {
    if (dir.empty()) return false;
    auto [end, _] = std::mismatch(dir.begin(), dir.end(), canonical.begin(), canonical.end());
    return end == dir.end();
}

fs::path canonical_or_empty(const std::string& path) {
    std::error_code ec;
    if (path.empty()) return {};
    fs::path canonical = fs::weakly_canonical(path, ec);
    return ec ? fs::path() : canonical;
}

void expand_directory(const fs::path& root, const ProblemSink& sink, std::vector<std::string>& out,
                      const fs::path& exclude) {
    std::vector<fs::path> files;
    std::set<fs::path> visited;  // canonical directories: a symlink pointing up is entered once
    std::vector<fs::path> pending = {root};
    while (!pending.empty()) {
        fs::path dir = pending.back();
        pending.pop_back();
        std::error_code ec;
        fs::path canonical = fs::canonical(dir, ec);
        if (ec || !visited.insert(canonical).second) continue;
        if (is_inside(canonical, exclude)) {
            // `revindex add --db ./index .`: the index's own files are no batch (and its lock is held).
            if (sink) sink(Problem{dir.string(), 0, Severity::warning, "the index's own directory, not read"});
            continue;
        }
        fs::directory_iterator it(dir, ec), end;
        if (ec) {
            report(sink, dir.string(), "cannot read directory: " + ec.message());
            continue;
        }
        for (; it != end; it.increment(ec)) {
            if (ec) break;
            const fs::path& path = it->path();
            if (is_hidden(path)) continue;
            std::error_code type_ec;
            if (it->is_directory(type_ec)) {
                pending.push_back(path);
            } else if (it->is_regular_file(type_ec) && !is_documentation(path) &&
                       !is_inside(canonical_or_empty(path.string()), exclude)) {
                files.push_back(path);
            }
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        if (can_open(file)) {
            out.push_back(file.string());
        } else {
            report(sink, file.string(), "cannot open file");
        }
    }
}

// Serves the head that was read for detection, then the rest of the underlying stream: stdin cannot be
// rewound, so the bytes detection looked at are handed to the reader from memory. Every byte is hashed (and
// copied) as it is fetched, so the hash is of exactly the bytes parsed: a file rewritten between a hash pass
// and a parse pass once left a ledger hash of bytes never indexed.
class ChainedBuffer final : public std::streambuf {
public:
    ChainedBuffer(std::string head, std::streambuf* rest, std::ostream* copy)
        : head_(std::move(head)), rest_(rest), copy_(copy), state_(XXH3_createState(), &XXH3_freeState) {
        if (!state_ || XXH3_128bits_reset(state_.get()) != XXH_OK) throw std::runtime_error("xxhash: cannot allocate");
        if (!head_.empty()) setg(head_.data(), head_.data(), head_.data() + head_.size());
        bytes_ = head_.size();
        take(head_.data(), head_.size());
    }
    std::size_t bytes() const { return bytes_; }

    /// Reads what the reader left (it may stop early), so that the hash and the copy cover the whole input.
    void drain() {
        while (underflow() != traits_type::eof()) setg(eback(), egptr(), egptr());
    }

    std::string hash() const {
        const XXH128_hash_t hash = XXH3_128bits_digest(state_.get());
        // The layout of file_content_hash: high half first, as xxhsum -H2 prints it.
        return fmt::format("{:016x}{:016x}", static_cast<std::uint64_t>(hash.high64),
                           static_cast<std::uint64_t>(hash.low64));
    }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (rest_ == nullptr) return traits_type::eof();
        std::streamsize got = rest_->sgetn(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
        if (got <= 0) return traits_type::eof();
        bytes_ += static_cast<std::size_t>(got);
        take(chunk_.data(), static_cast<std::size_t>(got));
        setg(chunk_.data(), chunk_.data(), chunk_.data() + got);
        return traits_type::to_int_type(*gptr());
    }

private:
    void take(const char* data, std::size_t size) {
        if (size == 0) return;
        XXH3_128bits_update(state_.get(), data, size);
        if (copy_ != nullptr) copy_->write(data, static_cast<std::streamsize>(size));
    }

    std::string head_;
    std::streambuf* rest_;
    std::ostream* copy_;
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state_;
    std::array<char, 64 * 1024> chunk_{};
    std::size_t bytes_ = 0;
};

// What a file is when it is no text at all, from its first bytes: the magic numbers of what lands in a folder of
// downloads (compressed archives, executables), else any NUL byte (never in UTF-8 text). nullopt: text.
std::optional<std::string> binary_kind(std::string_view head) {
    struct Magic {
        std::string_view bytes, what;
    };
    static constexpr std::array<Magic, 6> magics = {{
        {"\x1f\x8b", "gzip-compressed file: decompress it first (zcat FILE | revindex add -)"},
        {"BZh", "bzip2-compressed file: decompress it first (bzcat FILE | revindex add -)"},
        {std::string_view("\xfd" "7zXZ\0", 6), "xz-compressed file: decompress it first (xzcat FILE | revindex add -)"},
        {"\x28\xb5\x2f\xfd", "zstd-compressed file: decompress it first (zstdcat FILE | revindex add -)"},
        {"PK\x03\x04", "zip archive: extract it first (unzip) and add the files"},
        {"\x7f" "ELF", "executable (ELF), not a review layout"},
    }};
    for (const auto& magic : magics) {
        // bzip2's "BZh" is text-like: only with the block size digit and NUL bytes that follow.
        if (head.starts_with(magic.bytes) && (magic.bytes != "BZh" || head.find('\0') != std::string_view::npos))
            return std::string(magic.what);
    }
    if (head.find('\0') != std::string_view::npos) return "binary file (NUL bytes), not a review layout";
    return std::nullopt;
}

bool starts_json_object(std::string_view head) {
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    const auto first = head.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && head[first] == '{';
}

// The keys of the head's first JSON object, for a hint: "the keys "id", "query"" (at most 8), "no keys", or
// "no complete JSON object" when the first line does not parse.
std::string first_record_keys(std::string_view head) {
    const auto start = head.find('{');
    const auto end = head.find('\n', start);
    const auto object = nlohmann::json::parse(head.substr(start, end == std::string_view::npos ? end : end - start),
                                              nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) return "no complete JSON object";
    if (object.empty()) return "no keys";
    std::string keys = "the keys ";
    std::size_t listed = 0;
    for (auto it = object.begin(); it != object.end(); ++it, ++listed) {
        if (listed == 8) return keys + fmt::format(" and {} more", object.size() - listed);
        keys += (listed ? ", \"" : "\"") + it.key() + "\"";
    }
    return keys;
}

std::string read_head(std::streambuf* buffer) {
    std::string head(head_bytes, '\0');
    std::size_t got = 0;
    while (got < head.size()) {
        std::streamsize n = buffer->sgetn(head.data() + got, static_cast<std::streamsize>(head.size() - got));
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    head.resize(got);
    return head;
}

}  // namespace

namespace {

// The names a shell gives a stream: whatever they are connected to (a pipe, a file, a terminal), what is read
// through them is gone once read, and the name means something else in the next process.
bool is_stream_name(const std::string& path) {
    return path == "-" || path == "/dev/stdin" || path.starts_with("/dev/fd/") || path.starts_with("/proc/self/fd/") ||
           (path.starts_with("/proc/") && path.find("/fd/") != std::string::npos);
}

}  // namespace

bool is_stream_input(const std::string& path) {
    if (is_stream_name(path)) return true;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    return !ec && (fs::is_fifo(status) || fs::is_socket(status) || fs::is_character_file(status));
}

std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const ProblemSink& sink,
                                      const std::string& exclude) {
    std::vector<std::string> out;
    const fs::path excluded = canonical_or_empty(exclude);
    for (const auto& path : paths) {
        if (path == "-") {
            out.push_back(path);
            continue;
        }
        std::error_code ec;
        auto status = fs::status(path, ec);
        // /dev/stdin and /dev/fd/N are whatever the shell connected: a pipe, a file, a terminal. Any other
        // device is refused: /dev/zero or /dev/urandom would be read forever with the index lock held.
        const bool named_stream = is_stream_name(path);
        if (ec || !fs::exists(status)) {
            report(sink, path, "no such file or directory");
        } else if (fs::is_directory(status)) {
            expand_directory(path, sink, out, excluded);
        } else if (!named_stream && (fs::is_character_file(status) || fs::is_block_file(status))) {
            report(sink, path, "a device, not a batch file (give - or a pipe for a stream)");
        } else if (!named_stream && is_inside(canonical_or_empty(path), excluded)) {
            report(sink, path, "inside the index's own directory, not a batch file");
        } else if (!can_open(path)) {
            report(sink, path, "cannot open file");
        } else {
            out.push_back(path);
        }
    }
    return out;
}

InputStats read_input(const std::string& path, std::optional<Format> forced, const ReaderOptions& options,
                      const ProblemSink& sink, const std::function<void(Review&&)>& on_review,
                      std::ostream* copy_to) {
    InputStats stats;
    const bool is_stdin = path == "-";
    const bool regular = !is_stream_input(path);
    if (regular) stats.signature = file_signature(path);
    const std::string name = is_stdin ? "<stdin>" : path;
    std::ifstream file;
    std::streambuf* source = nullptr;
    if (is_stdin) {
        source = std::cin.rdbuf();
    } else {
        file.open(path, std::ios::binary);
        if (!file.is_open()) {
            report(sink, name, "cannot open file");
            stats.unreadable = true;
            return stats;
        }
        source = file.rdbuf();
    }

    std::string head = read_head(source);
    auto unreadable = [&](std::string message) {
        report(sink, name, std::move(message));
        stats.bytes = head.size();
        stats.unreadable = true;
        return stats;
    };
    if (auto kind = binary_kind(head)) return unreadable(*kind);
    std::optional<Format> format = forced;
    if (!format) {
        if (head.find_first_not_of(" \t\r\n") == std::string::npos)
            return unreadable(head.empty() ? "empty file" : "blank file");
        format = detect_format(head, name);
        // JSON lines of your own: with --json-map they are read as canonical JSON lines.
        if (!format && !options.json.empty() && starts_json_object(head)) format = Format::jsonl;
        if (!format && starts_json_object(head)) {
            return unreadable("JSON lines without a \"body\" key (the first record has " + first_record_keys(head) +
                              "): name the body's key with --json-map body=KEY, or force a layout with --format");
        }
        if (!format) {
            return unreadable("not a review layout this tool knows (imdb, jsonl, mcauley, blitzer, csv); "
                              "use --format to force one");
        }
    }
    stats.format = format;

    // Each reader reports a record once: an error when it is rejected, or its warnings when it is kept.
    std::size_t last_warning_line = 0;
    ProblemSink counting_sink = [&](const Problem& problem) {
        if (problem.severity == Severity::note) {
            // not a problem: passed on, not counted
        } else if (problem.severity == Severity::error) {
            if (problem.line > 0) stats.rejected += problem.records;
        } else if (problem.line == 0 || problem.line != last_warning_line) {
            ++stats.warnings;
            last_warning_line = problem.line;
        }
        if (sink) sink(problem);
    };

    ChainedBuffer chained(std::move(head), source, copy_to);
    std::istream in(&chained);
    auto reader = make_reader(*format, in, name, counting_sink, options);
    Review review;
    for (;;) {
        try {
            if (!reader->next(review)) break;
        } catch (const std::exception& e) {
            // Readers report bad records themselves; what reaches here is an I/O failure (or a bug): the file
            // stops here and the batch goes on. What on_review throws is the caller's and passes through.
            report(sink, name, std::string("reading stopped: ") + e.what());
            break;
        }
        ++stats.records;
        on_review(std::move(review));
        review = Review{};
    }
    chained.drain();
    stats.bytes = chained.bytes();
    stats.hash = chained.hash();
    if (regular) {
        pause_point("input-read");
        // A file rewritten in place while it was read (curl -o, a log rotated, an editor saving) yields records
        // of two versions: whatever was parsed, the batch is not a whole file.
        const std::string after = file_signature(path);
        const auto size_in = [](const std::string& signature) {
            const auto last = signature.rfind(':');
            const auto before_last = signature.rfind(':', last - 1);
            return signature.substr(before_last + 1, last - before_last - 1);
        };
        if (after != stats.signature || stats.signature.empty()) {
            stats.changed = true;
            report(sink, name, "changed while it was read (size " + size_in(stats.signature) + " -> " +
                                   size_in(after) + " bytes, or a new mtime or inode); not recorded, add it again");
        } else if (size_in(after) != std::to_string(stats.bytes)) {
            stats.changed = true;
            report(sink, name, fmt::format("changed while it was read ({} bytes read of {}); not recorded, add it again",
                                           stats.bytes, size_in(after)));
        }
    }
    return stats;
}

}  // namespace revsearch
