#pragma once
// revindex's command line: one Options struct per command and the parse() that fills it from the words after
// the command's name. Parsing only: the commands (commands/) run what is parsed. The options more than one
// command takes (--lock-timeout, --format, --csv-map, --jobs, --shards, --keep, --log-json) are declared once
// in command_options.cpp, beside --db, --json and --quiet (revsearch/command_line.hpp). parse() throws
// revsearch::cli::HelpRequested for --help and revsearch::Error (usage) for a bad command line.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "revsearch/compaction_policy.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/rebuild.hpp"

namespace revindex {

/// What every command that changes the index waits for another revindex, by default.
inline constexpr std::chrono::milliseconds default_lock_timeout{5000};

struct ParseOptions {
    std::vector<std::string> paths;
    revsearch::BatchOptions batch;  ///< --format, --csv-map, --strict
    bool quiet = false;
};

struct AddOptions {
    std::optional<std::string> db;
    std::vector<std::string> paths;
    revsearch::BatchOptions batch;  ///< --format, --csv-map, --strict
    std::optional<std::string> language;
    std::chrono::milliseconds lock_timeout = default_lock_timeout;
    std::optional<unsigned> jobs;    ///< given: build a new index in parts (0: one per core)
    std::optional<unsigned> shards;  ///< given: the shard count a new index gets (an existing one must match)
    /// --compact: whether the index is compacted after the run (revsearch/compaction_policy.hpp)
    revsearch::CompactAfterAdd compact = revsearch::CompactAfterAdd::automatic;
    bool quiet = false;
};

struct DeleteOptions {
    std::optional<std::string> db;
    std::vector<std::string> ids;
    std::optional<std::string> source;
    std::chrono::milliseconds lock_timeout = default_lock_timeout;
};

struct StatsOptions {
    std::optional<std::string> db;
    bool json = false;
};

/// rebuild and compact: the job's own options (dir left empty: run() resolves --db) and how it logs.
template <class JobOptions>
struct JobCommand {
    std::optional<std::string> db;
    JobOptions job;
    bool log_json = false;
    bool quiet = false;
};
using RebuildCommand = JobCommand<revsearch::RebuildOptions>;
using CompactCommand = JobCommand<revsearch::CompactOptions>;

struct CheckOptions {
    std::optional<std::string> db;
};

ParseOptions parse_parse(const std::vector<std::string>& args);
AddOptions parse_add(const std::vector<std::string>& args);
DeleteOptions parse_delete(const std::vector<std::string>& args);
StatsOptions parse_stats(const std::vector<std::string>& args);
RebuildCommand parse_rebuild(const std::vector<std::string>& args);
CompactCommand parse_compact(const std::vector<std::string>& args);
CheckOptions parse_check(const std::vector<std::string>& args);

}  // namespace revindex
