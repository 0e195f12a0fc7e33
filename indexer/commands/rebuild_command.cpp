// revindex rebuild: a complete new index beside the live one, checked, then switched to atomically
// (common/indexing/src/rebuild.cpp, docs/rebuild.md). Safe to run from cron or a systemd timer.

#include <boost/program_options.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "commands.hpp"
#include "crash_check.hpp"
#include "generation_job.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/rebuild.hpp"
#include "revsearch/shards.hpp"

namespace revindex {

namespace po = boost::program_options;
namespace exit_code = revsearch::exit_code;

namespace {

constexpr const char* rebuild_usage =
    R"(usage: revindex rebuild [--db DIR] [--from PATH...] [--keep N] [--if-changed] [--expect-documents N]
                        [--jobs N] [--shards N] [--format F] [--allow-loss] [--lock-timeout SECONDS]
                        [--log-json] [--quiet]

Builds a complete new index beside the live one (DIR/.building-*), from --from PATH... or, without it, from
the batches recorded in the live index's ledger, replayed in the order they were applied (stream batches
from their copies in DIR/inputs, reviews deleted since left out: docs/indexing.md); checks it (documents > 0, or exactly --expect-documents,
and a probe query); then switches to it in one atomic step (the stub DIR/XAPIANDB is replaced with rename()),
so a search sees the old index or the new one, never part of one. Generations older than the last --keep are
removed. The live index is never written: a failed or killed rebuild leaves it as it was, and the next run
removes what it left. The lock DIR/.revindex.lock is held throughout; add and delete take it too.
--shards N builds the new index as N shard databases (docs/scaling.md), whatever the live index has:
the way to shard an index, or to change its shard count. Without it the live index's count is kept.
One log line per event (start, built, checked, switched, removed, done); --log-json makes them JSON lines.

Exit codes:
  0  switched to the new index, or --if-changed found no source changed ("skipped")
  1  the new index failed its check, or no review could be read: the live index is kept
  2  error: bad option, no index (and no --from), a ledger source that no longer exists, a new index that
     would lose documents of the live one without a reason (see --allow-loss), I/O or Xapian error
  3  another revindex (add, delete, rebuild, compact) held the index longer than --lock-timeout

Options)";

}  // namespace

int run_rebuild(const std::vector<std::string>& args) {
    std::optional<std::string> db_flag;
    revsearch::RebuildOptions options;
    double lock_timeout_seconds = 0;
    unsigned keep = 2;
    std::size_t expect_documents = 0;
    unsigned shard_count = 0;
    std::string format_name;
    po::options_description described(rebuild_usage);
    described.add_options()
        ("help,h", "print this help")
        ("db", po::value<std::string>()->notifier([&](const std::string& v) { db_flag = v; }), "the index directory")
        ("from", po::value(&options.from)->multitoken(),
         "batch files or directories to build from (default: the sources in the index's ledger)")
        ("keep", po::value(&keep)->default_value(2),
         "generations to keep, the live one included (2: the previous one stays until the next switch)")
        ("if-changed", "skip (exit 0) when no source changed since the last build (the ledger's content hashes)")
        ("expect-documents", po::value(&expect_documents), "refuse the new index unless it holds exactly N documents")
        ("jobs,j", po::value(&options.jobs),
         "build in N parts in parallel, merged at the end (as add --jobs); default: one writer")
        ("shards", po::value(&shard_count), "build N shard databases (1 to 256; default: as the live index)")
        ("format,f", po::value(&format_name), "force the layout of every source: imdb, jsonl, mcauley, blitzer, csv")
        ("lock-timeout", po::value(&lock_timeout_seconds)->default_value(0.0, "0"),
         "seconds to wait for another revindex to release the index, then exit 3")
        ("allow-loss", "switch even when the new index lacks documents of the live one that no deletion and no "
         "source left out of --from explains")
        ("log-json", "log JSON lines (time, command, event, message, fields) instead of text")
        ("quiet,q", "log errors only");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(described).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "revindex rebuild: " << e.what() << "\n" << described;
        return exit_code::error;
    }
    if (vm.count("help")) {
        std::cout << described;
        return exit_code::ok;
    }
    if (auto problem = check_job_options(lock_timeout_seconds, keep)) {
        std::cerr << "revindex rebuild: " << *problem << "\n";
        return exit_code::error;
    }
    if (vm.count("format")) {
        options.format = revsearch::parse_format(format_name);
        if (!options.format) {
            std::cerr << "revindex rebuild: unknown format '" << format_name
                      << "' (known: imdb, jsonl, mcauley, blitzer, csv)\n";
            return exit_code::error;
        }
    }
    if (vm.count("shards")) {
        if (shard_count < 1 || shard_count > revsearch::shards::max_shards) {
            std::cerr << "revindex rebuild: --shards must be between 1 and " << revsearch::shards::max_shards << "\n";
            return exit_code::error;
        }
        options.shards = shard_count;
    }
    if (vm.count("expect-documents")) options.expect_documents = expect_documents;
    options.dir = revsearch::resolve_db_path(db_flag);
    check_index_if_writer_crashes("rebuild", options.dir);
    options.keep = keep;
    options.if_changed = vm.count("if-changed") > 0;
    options.allow_loss = vm.count("allow-loss") > 0;
    options.lock_timeout = to_milliseconds(lock_timeout_seconds);

    revsearch::EventLog log("rebuild", vm.count("log-json") > 0, vm.count("quiet") > 0, std::cout, std::cerr);
    return run_generation_job(log, options.dir, lock_timeout_seconds,
                              [&] { revsearch::rebuild_index(options, log); });
}

}  // namespace revindex
