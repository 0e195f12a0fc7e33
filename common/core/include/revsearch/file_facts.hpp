#pragma once
// What a batch file is, as the ledger records it: its identity on disk (to skip an unchanged file with one stat)
// and the hash of its bytes (to know a changed one).

#include <string>

namespace revsearch {

/// "dev:inode:size:mtime_ns" of a path (following symlinks); "" when it cannot be stat'ed.
std::string file_signature(const std::string& path);

/// content_hash of a file's bytes, streamed (constant memory whatever the size). Throws std::runtime_error
/// when the file cannot be read.
std::string file_content_hash(const std::string& path);

}  // namespace revsearch
