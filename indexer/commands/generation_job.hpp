#pragma once
// What revindex rebuild and compact share on the command line: option checks and the mapping of a job's
// failure to a log line and an exit code (exit_codes.hpp).

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "revsearch/rebuild.hpp"

namespace revindex {

/// A message for an out-of-range --lock-timeout or --keep, nullopt when both are fine.
std::optional<std::string> check_job_options(double lock_timeout_seconds, unsigned keep);

std::chrono::milliseconds to_milliseconds(double seconds);

/// Runs `job`, logging a failure as one error event: locked 3, failed check or nothing read 1, anything else 2.
int run_generation_job(revsearch::EventLog& log, const std::string& db_path, double lock_timeout_seconds,
                       const std::function<void()>& job);

}  // namespace revindex
