#pragma once
// What revindex rebuild and compact share: the job runs on the index at --db with its event log (text or JSON
// lines), and a failure becomes one error event (with the exit code and, for a corrupt table, the table) and the
// exit code of its kind (error.hpp).

#include <functional>
#include <iostream>
#include <string>

#include "command_options.hpp"
#include "crash_check.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/event_log.hpp"

namespace revindex {

/// Runs `job`, logging a failure: locked 3, failed check or nothing read 1, anything else 2.
int report_job_failure(revsearch::EventLog& log, const std::string& db_path, const std::function<void()>& job);

/// `revindex COMMAND`: `work` (rebuild_index, compact_index) on the index the command names.
template <class JobOptions>
int run_generation_job(std::string command, const JobCommand<JobOptions>& parsed,
                       revsearch::JobResult (*work)(const JobOptions&, revsearch::EventLog&)) {
    JobOptions job = parsed.job;
    job.dir = revsearch::resolve_db_path(parsed.db);
    check_index_if_writer_crashes(command, job.dir);
    revsearch::EventLog log(std::move(command), parsed.log_json, parsed.quiet, std::cout, std::cerr);
    return report_job_failure(log, job.dir, [&] { work(job, log); });
}

}  // namespace revindex
