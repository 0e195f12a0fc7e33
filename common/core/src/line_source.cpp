#include "revsearch/line_source.hpp"

namespace revsearch {

LineSource::LineSource(std::istream& in, std::size_t max_line_bytes) : in_(in), max_line_bytes_(max_line_bytes) {}

bool LineSource::next(std::string& line) {
    line.clear();
    truncated_ = false;
    std::streambuf* buffer = in_.rdbuf();
    if (buffer == nullptr) return false;
    bool any = false;
    for (;;) {
        int c = buffer->sbumpc();
        if (c == std::char_traits<char>::eof()) {
            if (!any) return false;
            break;
        }
        any = true;
        ++bytes_read_;
        if (c == '\n') break;
        if (line.size() < max_line_bytes_) {
            line.push_back(static_cast<char>(c));
        } else {
            truncated_ = true;
        }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++line_number_;
    return true;
}

}  // namespace revsearch
