#include "revsearch/line_source.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace revsearch {

LineSource::LineSource(std::istream& in, std::size_t max_line_bytes) : in_(in), max_line_bytes_(max_line_bytes) {}

bool LineSource::next(std::string& line) {
    line.clear();
    truncated_ = false;
    if (in_.rdbuf() == nullptr) return false;
    // istream::getline in chunks: libstdc++ finds the line break with memchr over the stream's own buffer, where
    // a byte at a time through sbumpc cost about 32 instructions per byte of input (issue 15). A chunk that fills
    // up ends without the line break: the line goes on in the next one. The stream's state is ours: cleared
    // before each line (a stream handed over in a failed state is read all the same, as the buffer is), and a
    // read that failed in the buffer (which getline turns into badbit) is an error, not the end of the input.
    std::array<char, 16384> chunk;
    bool any = false;
    in_.clear();
    for (;;) {
        in_.getline(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (in_.bad()) throw std::runtime_error("the input could not be read to the end");
        const auto extracted = static_cast<std::size_t>(in_.gcount());
        const bool chunk_full = in_.fail() && !in_.eof() && extracted == chunk.size() - 1;
        const bool ended_by_break = in_.good() && extracted > 0;
        if (chunk_full) in_.clear();
        any = any || extracted > 0;
        bytes_read_ += extracted;
        const std::size_t stored = ended_by_break ? extracted - 1 : extracted;
        const std::size_t room = max_line_bytes_ - std::min(line.size(), max_line_bytes_);
        line.append(chunk.data(), std::min(stored, room));
        if (stored > room) truncated_ = true;
        if (!chunk_full) break;
    }
    if (!any) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++line_number_;
    return true;
}

}  // namespace revsearch
