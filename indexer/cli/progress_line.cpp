#include "progress_line.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace revindex {

namespace {
// Redrawing more often than this only costs time: a person reads a few updates a second at most.
constexpr std::chrono::milliseconds redraw_interval{250};

std::string clock_time(double seconds) {
    const auto whole = static_cast<long>(seconds + 0.5);
    if (whole >= 3600) return fmt::format("{}:{:02}:{:02}", whole / 3600, (whole / 60) % 60, whole % 60);
    return fmt::format("{}:{:02}", whole / 60, whole % 60);
}
}  // namespace

ProgressLine::ProgressLine(bool enabled, std::size_t total_files, std::uint64_t total_bytes)
    : enabled_(enabled),
      total_files_(total_files),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::update(std::size_t file_index, std::size_t reviews, std::uint64_t bytes_done_before_file,
                          std::uint64_t bytes_in_file) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < redraw_interval) return;
    last_draw_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed <= 0) return;
    const std::uint64_t done = std::min(total_bytes_, bytes_done_before_file + bytes_in_file);
    const double bytes_per_second = static_cast<double>(done) / elapsed;
    std::string eta = "--:--";
    if (bytes_per_second > 0 && total_bytes_ > 0)
        eta = clock_time(static_cast<double>(total_bytes_ - done) / bytes_per_second);
    const std::string line = fmt::format("file {}/{}  {} reviews  {:.0f} reviews/s  {:.2f} MB/s  ETA {}",
                                         file_index + 1, total_files_, reviews,
                                         static_cast<double>(reviews) / elapsed, bytes_per_second / 1e6, eta);
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressLine::clear() {
    if (!drawn_) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

}  // namespace revindex
