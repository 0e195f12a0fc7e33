#include "revsearch/stub_codec.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace revsearch::stub_codec {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view blanks = " \t\r";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

std::vector<Line> parse(std::string_view text) {
    std::vector<Line> lines;
    std::size_t number = 0;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trim(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
        if (line.empty() || line.front() == '#') continue;
        // Xapian splits at the first space only (open_stub), so "auto\tX" is no database line.
        const std::size_t space = line.find(' ');
        const std::string_view type = line.substr(0, space);
        const std::string_view target =
            space == std::string_view::npos ? std::string_view() : trim(line.substr(space + 1));
        lines.push_back(Line{number, std::string(line), std::string(type), std::string(target)});
    }
    return lines;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string local_stub_text(const std::vector<std::string>& targets) {
    std::string text;
    for (const auto& target : targets) text += "auto " + target + "\n";
    return text;
}

void sync_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("cannot open " + path.string());
    const int result = ::fsync(fd);
    ::close(fd);
    if (result != 0) throw_errno("cannot fsync " + path.string());
}

void replace_durably(const fs::path& path, std::string_view text) {
    const fs::path temp = path.string() + std::string(temp_infix) + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw_errno("cannot create " + temp.string());
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const bool synced = written && ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
        const int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        throw_errno("cannot write " + temp.string());
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        throw_errno("cannot rename " + temp.string() + " to " + path.string());
    }
    sync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

}  // namespace revsearch::stub_codec
