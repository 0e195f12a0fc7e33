#pragma once
// One self-overwriting status line on a terminal while revindex add works: files, reviews/s, MB/s, ETA.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace revindex {

class ProgressLine {
public:
    /// Shows nothing unless `enabled` (the caller checks isatty(stderr) and --quiet).
    ProgressLine(bool enabled, std::size_t total_files, std::uint64_t total_bytes);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    /// `file_index` is 0-based; `bytes_in_file` an estimate of how far into the current file reading is.
    void update(std::size_t file_index, std::size_t reviews, std::uint64_t bytes_done_before_file,
                std::uint64_t bytes_in_file);
    /// Erases the line, so that the summary and problems print on a clean line.
    void clear();

private:
    bool enabled_;
    std::size_t total_files_;
    std::uint64_t total_bytes_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
    bool drawn_ = false;
};

}  // namespace revindex
