#pragma once
// Xapian stub files, read and written in one place: the generation stub DIR/XAPIANDB (generations.hpp), the shard
// stub of a generation (shards.hpp) and the shard lists revsearch --db accepts (stub_database.hpp).
//
// The syntax is Xapian's (xapian-core/backends/dbfactory.cc, open_stub): one database per line, "TYPE TARGET"
// with TYPE auto, glass, chert or remote, a relative TARGET taken from the stub's directory, blank lines and
// "#" comments ignored.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace revsearch::stub_codec {

/// A stub is replaced by writing PATH + temp_infix + PID beside it and renaming that over it.
inline constexpr std::string_view temp_infix = ".tmp-";

struct Line {
    std::size_t number = 0;  ///< 1-based, in the stub
    std::string text;        ///< the line without surrounding blanks, e.g. "remote 127.0.0.1:33333"
    std::string type;        ///< up to the first space: "auto", "glass", "remote", ...
    std::string target;      ///< after it, without leading blanks; empty when the line has one word
};

/// The database lines of a stub's text, in order: blanks around a line (and a CR before its LF) trimmed, blank
/// lines and "#" comments skipped.
std::vector<Line> parse(std::string_view text);

/// The whole file at `path`; empty when it cannot be read.
std::string read_text(const std::filesystem::path& path);

/// "auto TARGET\n" for each target: a stub of local databases, relative to the stub's directory.
std::string local_stub_text(const std::vector<std::string>& targets);

/// fsync of a file or directory (a rename is durable only once its directory is synced); throws on failure.
void sync_path(const std::filesystem::path& path);

/// Writes `text` to PATH.tmp-PID, fsyncs it, rename()s it over `path` (readers see the old stub or the new one,
/// never neither) and fsyncs the directory. Throws std::runtime_error, removing the temporary file, on failure.
void replace_durably(const std::filesystem::path& path, std::string_view text);

}  // namespace revsearch::stub_codec
