// revindex compact: Xapian's compaction of the live index into a new generation, switched to atomically like
// a rebuild (docs/rebuild.md).

#include <boost/program_options.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "crash_check.hpp"
#include "generation_job.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/rebuild.hpp"

namespace revindex {

namespace po = boost::program_options;
namespace exit_code = revsearch::exit_code;

namespace {

constexpr const char* compact_usage =
    R"(usage: revindex compact [--db DIR] [--keep N] [--lock-timeout SECONDS] [--log-json] [--quiet]

Compacts the live index (Xapian's Database::compact: full B-tree blocks, no free space) into a new
generation beside it, checks that it holds the same number of documents and answers a probe query, and
switches to it atomically, like revindex rebuild. Useful after many adds and deletes.

Exit codes:
  0  switched to the compacted index
  1  the compacted index failed its check: the live index is kept
  2  error: bad option, no index, I/O or Xapian error
  3  another revindex held the index longer than --lock-timeout

Options)";

}  // namespace

int run_compact(const std::vector<std::string>& args) {
    std::optional<std::string> db_flag;
    revsearch::CompactOptions options;
    double lock_timeout_seconds = 0;
    unsigned keep = 2;
    po::options_description described(compact_usage);
    described.add_options()
        ("help,h", "print this help")
        ("db", po::value<std::string>()->notifier([&](const std::string& v) { db_flag = v; }), "the index directory")
        ("keep", po::value(&keep)->default_value(2), "generations to keep, the live one included")
        ("lock-timeout", po::value(&lock_timeout_seconds)->default_value(0.0, "0"),
         "seconds to wait for another revindex to release the index, then exit 3")
        ("log-json", "log JSON lines instead of text")
        ("quiet,q", "log errors only");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(described).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "revindex compact: " << e.what() << "\n" << described;
        return exit_code::error;
    }
    if (vm.count("help")) {
        std::cout << described;
        return exit_code::ok;
    }
    if (auto problem = check_job_options(lock_timeout_seconds, keep)) {
        std::cerr << "revindex compact: " << *problem << "\n";
        return exit_code::error;
    }
    options.dir = revsearch::resolve_db_path(db_flag);
    check_index_if_writer_crashes("compact", options.dir);
    options.keep = keep;
    options.lock_timeout = to_milliseconds(lock_timeout_seconds);
    revsearch::EventLog log("compact", vm.count("log-json") > 0, vm.count("quiet") > 0, std::cout, std::cerr);
    return run_generation_job(log, options.dir, lock_timeout_seconds, [&] { revsearch::compact_index(options, log); });
}

}  // namespace revindex
