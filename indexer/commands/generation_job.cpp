#include "generation_job.hpp"

#include "index_errors.hpp"
#include "revsearch/command_line.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/table_check.hpp"

namespace revindex {

int report_job_failure(revsearch::EventLog& log, const std::string& db_path, const std::function<void()>& job) {
    try {
        on_index(db_path, Corruption::as_reported, job);
        return revsearch::exit_code::ok;
    } catch (const revsearch::CorruptTableError& e) {
        const int code = revsearch::exit_code_of(e.kind());
        log.error(e.what(), {{"exit", code}, {"table", e.table()}});
        return code;
    } catch (...) {
        const revsearch::Error error = revsearch::cli::current_error();
        const int code = revsearch::exit_code_of(error.kind());
        log.error(revsearch::cli::describe(error), {{"exit", code}});
        return code;
    }
}

}  // namespace revindex
