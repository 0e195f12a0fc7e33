#include "generation_job.hpp"

#include <fmt/format.h>
#include <xapian.h>

#include "revsearch/exit_codes.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/table_check.hpp"

namespace revindex {

namespace exit_code = revsearch::exit_code;

std::optional<std::string> check_job_options(double lock_timeout_seconds, unsigned keep) {
    if (!(lock_timeout_seconds >= 0) || lock_timeout_seconds > 86400)
        return "--lock-timeout must be between 0 and 86400 seconds";
    if (keep < 1) return "--keep must be at least 1 (the live generation)";
    return std::nullopt;
}

std::chrono::milliseconds to_milliseconds(double seconds) {
    return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
}

int run_generation_job(revsearch::EventLog& log, const std::string& db_path, double lock_timeout_seconds,
                       const std::function<void()>& job) {
    try {
        job();
        return exit_code::ok;
    } catch (const revsearch::IndexLockedError& e) {
        log.error(fmt::format("{} (waited {} s; see --lock-timeout)", e.what(), lock_timeout_seconds),
                  {{"exit", exit_code::locked}});
        return exit_code::locked;
    } catch (const revsearch::CorruptTableError& e) {
        log.error(e.what(), {{"exit", exit_code::error}, {"table", e.table()}});
        return exit_code::error;
    } catch (const revsearch::GenerationCheckError& e) {
        log.error(std::string("the new index failed its check, the live one is kept: ") + e.what(),
                  {{"exit", exit_code::no_match}});
        return exit_code::no_match;
    } catch (const revsearch::NothingReadError& e) {
        log.error(std::string(e.what()) + "; the live index is kept", {{"exit", exit_code::no_match}});
        return exit_code::no_match;
    } catch (const Xapian::Error& e) {
        log.error(fmt::format("index at {}: {}", db_path, e.get_description()), {{"exit", exit_code::error}});
        return exit_code::error;
    } catch (const std::exception& e) {
        log.error(e.what(), {{"exit", exit_code::error}});
        return exit_code::error;
    }
}

}  // namespace revindex
