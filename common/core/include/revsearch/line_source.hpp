#pragma once
// Bounded line reading: a reader never holds more than one line of at most `max_line_bytes`,
// however long the line in the file is (a 50 MB line is skipped, not buffered).

#include <cstddef>
#include <istream>
#include <string>

namespace revsearch {

inline constexpr std::size_t default_max_record_bytes = 8u << 20;  // 8 MiB: far above any real review

class LineSource {
public:
    explicit LineSource(std::istream& in, std::size_t max_line_bytes = default_max_record_bytes);

    /// Reads the next line without its "\n" (and "\r" of CRLF). Returns false at end of input.
    /// When the line is longer than the limit, `line` holds its first max_line_bytes and truncated() is true;
    /// the rest of the line is consumed and dropped.
    bool next(std::string& line);

    bool truncated() const { return truncated_; }
    std::size_t line_number() const { return line_number_; }  ///< 1-based number of the line last returned
    std::size_t bytes_read() const { return bytes_read_; }

private:
    std::istream& in_;
    std::size_t max_line_bytes_;
    std::size_t line_number_ = 0;
    std::size_t bytes_read_ = 0;
    bool truncated_ = false;
};

}  // namespace revsearch
