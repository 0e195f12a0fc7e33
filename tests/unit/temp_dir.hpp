#pragma once
// A fresh directory under the system temp dir for one test, removed with everything in it at the end.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

struct TempDir {
    std::filesystem::path path;

    explicit TempDir(std::string_view name = "test") {
        static std::atomic<int> counter{0};
        path = std::filesystem::temp_directory_path() /
               ("revsearch-" + std::string(name) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// Writes `text` to path/name, creating its directories.
    void write(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories((path / name).parent_path());
        std::ofstream(path / name, std::ios::binary) << text;
    }
};
