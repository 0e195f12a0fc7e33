#pragma once
// What revindex rebuild and compact share: a job's failure becomes one error event in its log (text or JSON
// lines, with the exit code and, for a corrupt table, the table) and the exit code of its kind (error.hpp).

#include <functional>
#include <string>

#include "revsearch/event_log.hpp"

namespace revindex {

/// Runs `job` on the index at `db_path`: locked 3, failed check or nothing read 1, anything else 2.
int run_generation_job(revsearch::EventLog& log, const std::string& db_path, const std::function<void()>& job);

}  // namespace revindex
