#include "command_options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "revsearch/analyzer.hpp"
#include "revsearch/command_line.hpp"
#include "revsearch/reader.hpp"
#include "revsearch/shards.hpp"

namespace revindex {

namespace po = boost::program_options;
using revsearch::Error;
using revsearch::ErrorKind;
using revsearch::cli::CommandLine;

namespace {

constexpr const char* parse_usage = R"(usage: revindex parse [--format F] [--strict] [--csv-map SPEC] [--json-map SPEC] [--quiet]
                      PATH...

Prints every review the readers understand as one canonical JSON line on stdout (docs/formats.md), every
problem as "file:line: error|warning: message" on stderr, then a summary line on stderr. Nothing is indexed.
PATH is a file, a directory (read recursively; hidden entries and *.md skipped), or - for standard input.
The layout is detected from each file's content unless --format forces it. JSON lines of your own, with the
text under another key than "body": --json-map body=KEY. --quiet prints errors only.

Exit codes:
  0  success (warnings, rejected records and unreadable files are reported, not fatal)
  1  --strict and some record was rejected or warned about, or some file was unreadable; or nothing at all
     could be read from any PATH
  2  usage error: unknown option or format, bad --csv-map or --json-map, missing PATH, a PATH that does not
     exist or cannot be opened

Options)";

constexpr const char* add_usage =
    R"(usage: revindex add [--db DIR] [--format F] [--strict] [--language L] [--csv-map SPEC] [--json-map SPEC]
                    [--lock-timeout SECONDS] [--jobs N] [--shards N] [--compact WHEN] [--quiet] PATH...

Indexes review batches. PATH is a file, a directory (read recursively, hidden entries and the index's own
directory skipped), - for standard input, or a pipe (<(cmd), /dev/stdin); a stream batch is kept as
DIR/inputs/stdin-NNNNNN so that a rebuild can read it again. Each file is one transaction: the index holds a file's reviews wholly or not at all.
A review already in the index (same id) is updated in place when its data changed and left alone otherwise.
A file indexed before and unchanged since is skipped without being read; one with the same content is skipped. Problems are printed as
"file:line: error|warning: message"; a file that is no review layout (binary, compressed, empty, other
text) is one error line. The last line on stderr is the summary:
  read N, added A, updated U, unchanged C, repeated P, rejected R, skipped files S, unreadable files F in X.XX s
(repeated: records whose id was already read in this run; updated and unchanged count reviews the index held
before it). An add that indexed nothing into a new index leaves no index behind. --quiet prints errors only.
The index is --db, else $REVSEARCH_DB, else $XDG_DATA_HOME/revsearch/index (~/.local/share/revsearch/index).
Memory is bounded by Xapian's XAPIAN_FLUSH_THRESHOLD (documents buffered, default 10000), not by file size.
--jobs N builds a NEW index (no index at --db yet) in N parts in parallel, merged at the end:
several times faster, all or nothing instead of one transaction per file, and without --strict (with
--strict, or into an existing index, files are added one by one as usual). Each part commits every 1000
documents (a smaller XAPIAN_FLUSH_THRESHOLD flushes sooner; docs/benchmarks.md).
--shards N makes a NEW index of N shard databases, each review in the shard its id hashes to, so that each
shard can be served by its own xapian-tcpsrv (docs/scaling.md); an existing index keeps its shard count
(change it with revindex rebuild --shards N).
--compact auto (the default) compacts the index after a run that added or replaced at least half of its
reviews, and at least 5000 (a first load, a run that doubles it): file-by-file commits leave Xapian's blocks
part empty, about twice the size. Like revindex compact, into a new generation switched to atomically
(docs/indexing.md); "always" after any run that wrote a review, "never" leaves it to revindex compact.

Exit codes:
  0  success (rejected records and unreadable files are reported and counted, not fatal)
  1  --strict refused a file with a rejected record (nothing of that file was indexed) or met an unreadable
     file, or no review could be read from any PATH (a new index is then not created)
  2  error: bad option, unknown format or language, a PATH that does not exist or is a device, a file that
     changed while it was read (not indexed), a --language other than the index's, an index that cannot be
     opened or written
  3  another revindex held the index longer than --lock-timeout

Options)";

constexpr const char* delete_usage =
    R"(usage: revindex delete [--db DIR] [--lock-timeout SECONDS] (--id ID... | --source PATH)

Removes reviews from the index in one transaction. --id takes review ids as revsearch --json prints them;
--source removes every review that was last written from that batch file (a kept stream batch by its ledger
name, inputs/stdin-NNNNNN), and its ledger entry, so that
adding the file again reads it anew. Prints "deleted N" on stderr.
Each deleted review leaves a tombstone in the index: no rebuild or compaction brings it back from a batch
applied before the deletion; a batch added after it (a new or changed file, standard input) brings it back.

Exit codes:
  0  something was deleted (or, with --source, the batch's ledger entry)
  1  nothing matched
  2  error: bad options, no index at the path, an index that cannot be written
  3  another revindex held the index longer than --lock-timeout

Options)";

constexpr const char* stats_usage = R"(usage: revindex stats [--db DIR] [--json]

Describes the index: documents, distinct terms, bytes on disk, language, schema version, revision, and each
batch file in the ledger with its document count and when it was indexed, and each shard (docs/scaling.md)
with its documents and bytes. Bytes count the live generation only; the disk line says what the whole
directory takes as du counts it: the live generation, the generations a rebuild or compact kept (--keep), and
the kept copies of stream batches.
--json prints one JSON object with the keys documents, terms, bytes, batches, language, schema, revision,
last_change, sources, generation, shards ([{"shard", "path", "documents", "bytes", "revision"}], one
for an unsharded index) and disk ({"total", "live", "kept_generations", "kept_generation_count", "inputs"}).

Exit codes:
  0  success
  2  error: bad option, no index at the path, an unreadable index

Options)";

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

constexpr const char* check_usage = R"(usage: revindex check [--db DIR]

Runs Xapian's structural check (Database::check) on every table of the live index and names the first
damaged one. Reads every block: about 0.4 CPU-seconds per 10,000 reviews. Rebuild and compact run the same
check on a new generation before they switch to it.

Exit codes:
  0  every table is sound
  2  a table is damaged (named; `revindex rebuild` makes a clean generation from the ledger), no index, or
     another error

Options)";

// The options more than one command takes, each declared once.

void add_lock_timeout_option(CommandLine& line, std::chrono::milliseconds& timeout) {
    line.add_options()("lock-timeout",
                       po::value<double>()
                           ->value_name("SECONDS")
                           ->default_value(static_cast<double>(default_lock_timeout.count()) / 1000,
                                           fmt::format("{}", static_cast<double>(default_lock_timeout.count()) / 1000))
                           ->notifier([&timeout](double seconds) {
                               if (!(seconds >= 0) || seconds > 86400)
                                   throw Error(ErrorKind::usage, "--lock-timeout must be between 0 and 86400 seconds");
                               timeout = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
                           }),
                       "seconds to wait for another revindex to release the index, then exit 3");
}

/// The names come from the readers' format table (reader.hpp), never typed here.
void add_format_option(CommandLine& line, std::optional<revsearch::Format>& format, const char* what) {
    const std::string names = fmt::format("{}", fmt::join(revsearch::known_formats(), ", "));
    line.add_options()("format,f",
                       po::value<std::string>()->value_name("F")->notifier([&format, names](const std::string& name) {
                           format = revsearch::parse_format(name);
                           if (!format)
                               throw Error(ErrorKind::usage,
                                           "unknown format '" + name + "' (known: " + names + ")");
                       }),
                       fmt::format("{}: {}", what, names).c_str());
}

void add_csv_map_option(CommandLine& line, revsearch::BatchOptions& batch) {
    line.add_options()("csv-map",
                       po::value<std::string>()->value_name("SPEC")->notifier([&batch](const std::string& spec) {
                           try {
                               batch.reader.csv = revsearch::CsvMapping::parse(spec);
                           } catch (const std::invalid_argument& e) {
                               throw Error(ErrorKind::usage, std::string("--csv-map: ") + e.what());
                           }
                           batch.csv_map = spec;
                       }),
                       "CSV columns, KEY=COLUMN,... over the Fine Food default, e.g. body=review_text,rating_max=10 "
                       "(docs/formats.md)");
}

void add_json_map_option(CommandLine& line, revsearch::BatchOptions& batch) {
    line.add_options()("json-map",
                       po::value<std::string>()->value_name("SPEC")->notifier([&batch](const std::string& spec) {
                           try {
                               batch.reader.json = revsearch::JsonMapping::parse(spec);
                           } catch (const std::invalid_argument& e) {
                               throw Error(ErrorKind::usage, std::string("--json-map: ") + e.what());
                           }
                           batch.json_map = spec;
                       }),
                       "keys of your own JSON lines, KEY=SOURCE_KEY,... e.g. body=text,headline=title "
                       "(docs/formats.md)");
}

void add_jobs_option(CommandLine& line, std::optional<unsigned>& jobs, const char* description) {
    line.add_options()("jobs,j", po::value<unsigned>()->value_name("N")->notifier([&jobs](unsigned n) { jobs = n; }),
                       description);
}

void add_shards_option(CommandLine& line, std::optional<unsigned>& shards, const char* description) {
    line.add_options()("shards", po::value<unsigned>()->value_name("N")->notifier([&shards](unsigned n) {
        if (n < 1 || n > revsearch::shards::max_shards)
            throw Error(ErrorKind::usage,
                        fmt::format("--shards must be between 1 and {}", revsearch::shards::max_shards));
        shards = n;
    }),
                       description);
}

void add_keep_option(CommandLine& line, unsigned& keep, const char* description) {
    line.add_options()("keep", po::value<unsigned>()->value_name("N")->default_value(2)->notifier([&keep](unsigned n) {
        if (n < 1) throw Error(ErrorKind::usage, "--keep must be at least 1 (the live generation)");
        keep = n;
    }),
                       description);
}

void add_log_options(CommandLine& line, bool& log_json, bool& quiet) {
    line.add_options()("log-json", po::bool_switch(&log_json),
                       "log JSON lines (time, command, event, message, fields) instead of text");
    revsearch::cli::add_quiet_option(line, quiet, "log errors only");
}

void require_paths(const std::vector<std::string>& paths) {
    if (paths.empty())
        throw Error(ErrorKind::usage, "missing PATH (a file, a directory, or - for standard input)");
}

}  // namespace

ParseOptions parse_parse(const std::vector<std::string>& args) {
    ParseOptions options;
    CommandLine line("revindex parse", parse_usage);
    add_format_option(line, options.batch.format, "force the layout");
    line.add_options()("strict", po::bool_switch(&options.batch.strict),
                       "exit 1 when any record is rejected or warned about");
    add_csv_map_option(line, options.batch);
    add_json_map_option(line, options.batch);
    revsearch::cli::add_quiet_option(line, options.quiet, "print errors only: no warnings, notes or summary");
    line.positional("path", po::value(&options.paths));
    line.parse(args);
    require_paths(options.paths);
    return options;
}

AddOptions parse_add(const std::vector<std::string>& args) {
    AddOptions options;
    CommandLine line("revindex add", add_usage);
    revsearch::cli::add_db_option(line, options.db, "the index directory (created with its parents when missing)");
    add_format_option(line, options.batch.format, "force the layout");
    line.add_options()("strict", po::bool_switch(&options.batch.strict),
                       "refuse a whole file when any of its records is rejected; exit 1")(
        "language", po::value<std::string>()->value_name("L")->notifier([&](const std::string& language) {
            try {
                revsearch::make_snowball_stem(language);
            } catch (const std::invalid_argument& e) {
                throw Error(ErrorKind::usage, e.what());
            }
            options.language = language;
        }),
        "Snowball stemming language of a new index (default english); an existing index keeps its own");
    add_csv_map_option(line, options.batch);
    add_json_map_option(line, options.batch);
    add_lock_timeout_option(line, options.lock_timeout);
    add_jobs_option(line, options.jobs, "build a new, empty index in N parallel parts (0: one per core), merged at the end");
    add_shards_option(line, options.shards, "a new index of N shard databases (1 to 256; default 1); an existing index keeps its own");
    line.add_options()("compact", po::value<std::string>()->value_name("WHEN")->notifier([&](const std::string& when) {
        if (when == "auto") options.compact = revsearch::CompactAfterAdd::automatic;
        else if (when == "always") options.compact = revsearch::CompactAfterAdd::always;
        else if (when == "never") options.compact = revsearch::CompactAfterAdd::never;
        else throw Error(ErrorKind::usage, "--compact takes auto, always or never, not '" + when + "'");
    }), "compact the index after the run: auto (after a run that wrote half of it; default), always, never");
    revsearch::cli::add_quiet_option(line, options.quiet, "print errors only: no progress, warnings or summary");
    line.positional("path", po::value(&options.paths));
    line.parse(args);
    require_paths(options.paths);
    return options;
}

DeleteOptions parse_delete(const std::vector<std::string>& args) {
    DeleteOptions options;
    CommandLine line("revindex delete", delete_usage);
    revsearch::cli::add_db_option(line, options.db);
    line.add_options()("id", po::value(&options.ids)->multitoken()->value_name("ID..."), "review ids to delete")(
        "source", po::value<std::string>()->value_name("PATH")->notifier([&](const std::string& source) {
            if (!source.empty()) options.source = source;
        }),
        "a batch file: delete every review indexed from it");
    add_lock_timeout_option(line, options.lock_timeout);
    line.parse(args);
    if (options.ids.empty() == !options.source)
        throw Error(ErrorKind::usage, "give either --id ID... or --source PATH");
    return options;
}

StatsOptions parse_stats(const std::vector<std::string>& args) {
    StatsOptions options;
    CommandLine line("revindex stats", stats_usage);
    revsearch::cli::add_db_option(line, options.db);
    revsearch::cli::add_json_option(line, options.json, "one JSON object on stdout");
    line.parse(args);
    return options;
}

RebuildCommand parse_rebuild(const std::vector<std::string>& args) {
    RebuildCommand command;
    auto& job = command.job;
    job.lock_timeout = default_lock_timeout;
    std::optional<unsigned> jobs;
    std::size_t expect_documents = 0;
    CommandLine line("revindex rebuild", rebuild_usage);
    revsearch::cli::add_db_option(line, command.db);
    line.add_options()("from", po::value(&job.from)->multitoken()->value_name("PATH..."),
                       "batch files or directories to build from (default: the sources in the index's ledger)");
    add_keep_option(line, job.keep,
                    "generations to keep, the live one included (2: the previous one stays until the next switch)");
    line.add_options()("if-changed", po::bool_switch(&job.if_changed),
                       "skip (exit 0) when no source changed since the last build (the ledger's content hashes)")(
        "expect-documents", po::value(&expect_documents)->value_name("N"),
        "refuse the new index unless it holds exactly N documents");
    add_jobs_option(line, jobs, "build in N parts in parallel, merged at the end (as add --jobs); default: one writer");
    add_shards_option(line, job.shards, "build N shard databases (1 to 256; default: as the live index)");
    add_format_option(line, job.format, "force the layout of every source");
    add_lock_timeout_option(line, job.lock_timeout);
    line.add_options()("allow-loss", po::bool_switch(&job.allow_loss),
                       "switch even when the new index lacks documents of the live one that no deletion and no "
                       "source left out of --from explains");
    add_log_options(line, command.log_json, command.quiet);
    const auto vm = line.parse(args);
    if (vm.count("expect-documents")) job.expect_documents = expect_documents;
    job.jobs = jobs.value_or(0);
    return command;
}

CompactCommand parse_compact(const std::vector<std::string>& args) {
    CompactCommand command;
    command.job.lock_timeout = default_lock_timeout;
    CommandLine line("revindex compact", compact_usage);
    revsearch::cli::add_db_option(line, command.db);
    add_keep_option(line, command.job.keep, "generations to keep, the live one included");
    add_lock_timeout_option(line, command.job.lock_timeout);
    add_log_options(line, command.log_json, command.quiet);
    line.parse(args);
    return command;
}

CheckOptions parse_check(const std::vector<std::string>& args) {
    CheckOptions options;
    CommandLine line("revindex check", check_usage);
    revsearch::cli::add_db_option(line, options.db);
    line.parse(args);
    return options;
}

}  // namespace revindex
