// revindex add: index review batch files, one Xapian transaction per file (docs/indexing.md).

#include <boost/program_options.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "crash_check.hpp"
#include "progress_line.hpp"
#include "revsearch/analyzer.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/bulk_loader.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/index_lock.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/table_check.hpp"
#include "revsearch/reader.hpp"
#include "revsearch/shards.hpp"

namespace revindex {

namespace po = boost::program_options;
namespace exit_code = revsearch::exit_code;
using revsearch::BatchOutcome;

namespace {

constexpr const char* add_usage =
    R"(usage: revindex add [--db DIR] [--format F] [--strict] [--language L] [--csv-map SPEC]
                    [--lock-timeout SECONDS] [--jobs N] [--shards N] [--quiet] PATH...

Indexes review batches. PATH is a file, a directory (read recursively, hidden entries and the index's own
directory skipped), - for standard input, or a pipe (<(cmd), /dev/stdin); a stream batch is kept as
DIR/inputs/stdin-NNNNNN so that a rebuild can read it again. Each file is one transaction: the index holds a file's reviews wholly or not at all.
A review already in the index (same id) is updated in place when its data changed and left alone otherwise.
A file indexed before and unchanged since is skipped without being read; one with the same content is skipped. Problems are printed as
"file:line: error|warning: message"; the last line on stderr is the summary:
  read N, added A, updated U, unchanged C, rejected R, skipped files S in X.XX s
The index is --db, else $REVSEARCH_DB, else $XDG_DATA_HOME/revsearch/index (~/.local/share/revsearch/index).
Memory is bounded by Xapian's XAPIAN_FLUSH_THRESHOLD (documents buffered, default 10000), not by file size.
--jobs N builds a NEW index (no index at --db yet) in N parts in parallel, merged at the end:
several times faster, all or nothing instead of one transaction per file, and without --strict (with
--strict, or into an existing index, files are added one by one as usual). XAPIAN_FLUSH_THRESHOLD bounds
each part's memory (docs/benchmarks.md).
--shards N makes a NEW index of N shard databases, each review in the shard its id hashes to, so that each
shard can be served by its own xapian-tcpsrv (docs/scaling.md); an existing index keeps its shard count
(change it with revindex rebuild --shards N).

Exit codes:
  0  success (rejected records are reported, not fatal)
  1  --strict refused a file with a rejected record (nothing of that file was indexed), or no review could
     be read from any PATH
  2  error: bad option, unknown format or language, a PATH that does not exist or is a device, a file that
     changed while it was read (not indexed), a --language other than the index's, an index that cannot be
     opened or written
  3  another revindex held the index longer than --lock-timeout

Options)";

struct Totals {
    std::size_t read = 0, added = 0, updated = 0, unchanged = 0, rejected = 0, skipped_files = 0;
    std::size_t refused_files = 0, unreadable_files = 0, changed_files = 0;
};

std::uint64_t size_of(const std::string& path) {
    std::error_code ec;
    const auto size = path == "-" ? 0 : std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

/// The usual path: one transaction per file, into a new or existing index (revsearch/index_writer.hpp).
Totals add_file_by_file(const std::string& db_path, const std::vector<std::string>& files,
                        std::chrono::milliseconds lock_timeout, const std::optional<std::string>& language,
                        unsigned shard_count, const revsearch::BatchOptions& batch_options, bool quiet,
                        std::uint64_t total_bytes) {
    Totals totals;
    auto shards = revsearch::open_shards_for_writing(db_path, lock_timeout, revsearch::OpenMode::create_or_open,
                                                     shard_count);
    std::string index_language = revsearch::settle_index_language(shards.front(), language);
    for (auto& shard : shards) revsearch::settle_index_language(shard, index_language);
    revsearch::IndexWriter writer(shards, index_language);
    writer.keep_stream_copies_in(db_path);

    ProgressLine progress(!quiet && ::isatty(STDERR_FILENO) == 1, files.size(), total_bytes);
    auto print_problem = [&](const revsearch::Problem& problem) {
        if (quiet) return;
        progress.clear();
        std::cerr << revsearch::format_problem(problem) << '\n';
    };
    std::uint64_t bytes_before = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::size_t reviews_before = totals.read;
        auto outcome = writer.add_batch(files[i], batch_options, print_problem, [&](const BatchOutcome& so_far) {
            progress.update(i, reviews_before + so_far.added + so_far.updated + so_far.unchanged, bytes_before,
                            so_far.text_bytes);
        });
        bytes_before += size_of(files[i]);
        switch (outcome.status) {
            case BatchOutcome::Status::skipped: ++totals.skipped_files; continue;
            case BatchOutcome::Status::refused:
                ++totals.refused_files;
                progress.clear();
                std::cerr << files[i] << ": refused (--strict): " << outcome.input.rejected
                          << " rejected record(s); nothing of this file was indexed\n";
                break;
            case BatchOutcome::Status::unreadable: ++totals.unreadable_files; break;
            case BatchOutcome::Status::changed: ++totals.changed_files; break;
            case BatchOutcome::Status::indexed: break;
        }
        totals.read += outcome.input.records;
        totals.rejected += outcome.input.rejected;
        totals.added += outcome.added;
        totals.updated += outcome.updated;
        totals.unchanged += outcome.unchanged;
    }
    progress.clear();
    for (auto& shard : shards) shard.close();  // commits nothing new (every batch committed or cancelled)
    return totals;
}

/// The --jobs path: every file into a new index at once (revsearch/bulk_loader.hpp), built in scratch space
/// under the index lock and published as generation 1, as a rebuild would (generations.hpp). nullopt when
/// another revindex created the index while this one waited for the lock: the caller adds file by file.
std::optional<Totals> bulk_load(const std::string& db_path, const std::vector<std::string>& files, unsigned jobs,
                                unsigned shard_count, std::chrono::milliseconds lock_timeout,
                                const std::optional<std::string>& language,
                                const revsearch::BatchOptions& batch_options, bool quiet, std::uint64_t total_bytes) {
    namespace gen = revsearch::generations;
    auto lock = revsearch::IndexLock::acquire(db_path, lock_timeout);
    if (!lock) throw revsearch::IndexLockedError("another revindex holds the index at " + db_path);
    for (const auto& line : gen::finish_interrupted_work(db_path))
        if (!quiet) std::cerr << "revindex add: " << line << '\n';
    const auto state = gen::inspect(db_path);
    if (state.layout != gen::Layout::missing) return std::nullopt;
    const unsigned number = gen::next_generation_number(state);
    const std::filesystem::path scratch = gen::scratch_path(db_path, number);
    struct RemoveScratch {
        std::filesystem::path path;
        ~RemoveScratch() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } remove_scratch{scratch};
    std::filesystem::create_directories(scratch);

    ProgressLine progress(!quiet && ::isatty(STDERR_FILENO) == 1, files.size(), total_bytes);
    auto print_problem = [&](const revsearch::Problem& problem) {
        if (quiet) return;
        progress.clear();
        std::cerr << revsearch::format_problem(problem) << '\n';
    };
    std::vector<std::uint64_t> bytes_before(files.size() + 1, 0);
    for (std::size_t i = 0; i < files.size(); ++i) bytes_before[i + 1] = bytes_before[i] + size_of(files[i]);
    revsearch::BulkLoader loader(language.value_or(std::string(revsearch::default_language)), jobs, shard_count);
    const auto stats = loader.load_files(
        (scratch / "index").string(), files, batch_options, print_problem,
        [&](std::size_t file_index, std::size_t records, std::size_t file_text_bytes) {
            progress.update(file_index, records, bytes_before[file_index], file_text_bytes);
        });
    progress.clear();
    if (stats.added > 0) {
        gen::promote_scratch(db_path, scratch / "index", number);
        gen::point_stub_at(db_path, number);
    }
    if (!quiet)
        std::cerr << fmt::format("bulk load: {} parts built in {:.2f} s, merged in {:.2f} s\n", loader.jobs(),
                                 stats.parts_seconds, stats.merge_seconds);
    Totals totals;
    totals.read = stats.records;
    totals.added = stats.added;
    totals.updated = stats.updated;
    totals.unchanged = stats.unchanged;
    totals.rejected = stats.rejected;
    totals.skipped_files = stats.skipped_files;
    totals.unreadable_files = stats.unreadable_files;
    return totals;
}

}  // namespace

int run_add(const std::vector<std::string>& args) {
    const auto started = std::chrono::steady_clock::now();
    std::optional<std::string> db_flag;
    std::string format_name;
    std::optional<std::string> language;
    std::string csv_spec;
    double lock_timeout_seconds = 5;
    unsigned jobs = 0;
    unsigned shard_count = 1;
    std::vector<std::string> paths;
    po::options_description options(add_usage);
    options.add_options()
        ("help,h", "print this help")
        ("db", po::value<std::string>()->notifier([&](const std::string& v) { db_flag = v; }),
         "the index directory (created with its parents when missing)")
        ("format,f", po::value(&format_name), "force the layout: imdb, jsonl, mcauley, blitzer or csv")
        ("strict", "refuse a whole file when any of its records is rejected; exit 1")
        ("language", po::value<std::string>()->notifier([&](const std::string& v) { language = v; }),
         "Snowball stemming language of a new index (default english); an existing index keeps its own")
        ("csv-map", po::value(&csv_spec),
         "CSV column mapping, KEY=COLUMN,... on top of the Fine Food default (docs/formats.md)")
        ("lock-timeout", po::value(&lock_timeout_seconds)->default_value(5.0, "5"),
         "seconds to wait for another revindex to release the index, then exit 3")
        ("jobs,j", po::value(&jobs),
         "build a new, empty index in N parallel parts (0: one per core), merged at the end")
        ("shards", po::value(&shard_count),
         "a new index of N shard databases (1 to 256; default 1); an existing index keeps its own")
        ("quiet,q", "no progress line and no problems, only the summary line");
    po::options_description hidden;
    hidden.add_options()("path", po::value(&paths));
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("path", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "revindex add: " << e.what() << "\n" << options;
        return exit_code::error;
    }
    if (vm.count("help")) {
        std::cout << options;
        return exit_code::ok;
    }
    if (paths.empty()) {
        std::cerr << "revindex add: missing PATH (a file, a directory, or - for standard input)\n";
        return exit_code::error;
    }
    if (!(lock_timeout_seconds >= 0) || lock_timeout_seconds > 86400) {
        std::cerr << "revindex add: --lock-timeout must be between 0 and 86400 seconds\n";
        return exit_code::error;
    }
    if (shard_count < 1 || shard_count > revsearch::shards::max_shards) {
        std::cerr << "revindex add: --shards must be between 1 and " << revsearch::shards::max_shards << "\n";
        return exit_code::error;
    }
    revsearch::BatchOptions batch_options;
    batch_options.strict = vm.count("strict") > 0;
    if (vm.count("format")) {
        batch_options.format = revsearch::parse_format(format_name);
        if (!batch_options.format) {
            std::cerr << "revindex add: unknown format '" << format_name
                      << "' (known: imdb, jsonl, mcauley, blitzer, csv)\n";
            return exit_code::error;
        }
    }
    if (vm.count("csv-map")) {
        try {
            batch_options.reader.csv = revsearch::CsvMapping::parse(csv_spec);
            batch_options.csv_map = csv_spec;
        } catch (const std::invalid_argument& e) {
            std::cerr << "revindex add: " << e.what() << "\n";
            return exit_code::error;
        }
    }
    if (language) {
        try {
            revsearch::make_snowball_stem(*language);
        } catch (const std::invalid_argument& e) {
            std::cerr << "revindex add: " << e.what() << "\n";
            return exit_code::error;
        }
    }
    const bool quiet = vm.count("quiet") > 0;

    bool bad_path = false;
    const std::string db_path = revsearch::resolve_db_path(db_flag);
    check_index_if_writer_crashes("add", db_path);
    auto files = revsearch::expand_paths(
        paths,
        [&](const revsearch::Problem& problem) {
            if (problem.severity == revsearch::Severity::error) bad_path = true;
            std::cerr << revsearch::format_problem(problem) << '\n';
        },
        db_path);
    std::uint64_t total_bytes = 0;
    for (const auto& file : files) total_bytes += size_of(file);

    Totals totals;
    try {
        if (const unsigned existing = revsearch::shard_count_of(db_path);
            vm.count("shards") && existing != 0 && existing != shard_count) {
            std::cerr << "revindex add: the index at " << db_path << " has " << existing << " shard(s), not "
                      << shard_count << "; change that with revindex rebuild --shards " << shard_count << "\n";
            return exit_code::error;
        }
        const auto lock_timeout = std::chrono::milliseconds(static_cast<long>(lock_timeout_seconds * 1000));
        std::optional<Totals> bulk_totals;
        // Streams go file by file: the bulk path keeps no copy of them for a rebuild to read.
        const bool has_stream = std::any_of(files.begin(), files.end(), revsearch::is_stream_input);
        if (vm.count("jobs") && !batch_options.strict && !has_stream && revsearch::shard_count_of(db_path) == 0)
            bulk_totals = bulk_load(db_path, files, jobs, shard_count, lock_timeout, language, batch_options, quiet,
                                    total_bytes);
        if (bulk_totals) {
            totals = *bulk_totals;
        } else {
            if (vm.count("jobs") && !quiet)
                std::cerr << "revindex add: --jobs builds only a new index without --strict; adding file by file\n";
            totals = add_file_by_file(db_path, files, lock_timeout, language, shard_count, batch_options, quiet,
                                      total_bytes);
        }
    } catch (const revsearch::BulkTargetNotEmptyError& e) {
        std::cerr << "revindex add: " << e.what() << "\n";
        return exit_code::error;
    } catch (const revsearch::IndexLockedError& e) {
        std::cerr << "revindex add: " << e.what() << " (waited " << lock_timeout_seconds
                  << " s; see --lock-timeout)\n";
        return exit_code::locked;
    } catch (const revsearch::LanguageMismatchError& e) {
        std::cerr << "revindex add: index at " << db_path << ": " << e.what() << "\n";
        return exit_code::error;
    } catch (const Xapian::DatabaseError& e) {
        // Stop, and say which table: nothing more is written into a damaged index. Not only DatabaseCorruptError:
        // a damaged compressed item fails as a plain DatabaseError ("inflate failed"); the check runs on failure
        // only, and says nothing more when every table is sound.
        std::cerr << "revindex add: index at " << db_path << ": "
                  << revsearch::describe_corruption(db_path, e.get_description()) << "\n";
        return exit_code::error;
    } catch (const Xapian::Error& e) {
        std::cerr << "revindex add: index at " << db_path << ": " << e.get_description() << "\n";
        return exit_code::error;
    } catch (const std::exception& e) {
        std::cerr << "revindex add: " << e.what() << "\n";
        return exit_code::error;
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << fmt::format("read {}, added {}, updated {}, unchanged {}, rejected {}, skipped files {} in {:.2f} s\n",
                             totals.read, totals.added, totals.updated, totals.unchanged, totals.rejected,
                             totals.skipped_files, seconds);
    if (bad_path) return exit_code::error;
    if (totals.changed_files > 0) {
        std::cerr << "revindex add: " << totals.changed_files
                  << " file(s) changed while they were read and were not indexed; add them again once complete\n";
        return exit_code::error;
    }
    if (totals.refused_files > 0) return exit_code::no_match;
    if (totals.read == 0 && totals.skipped_files == 0) return exit_code::no_match;
    return exit_code::ok;
}

}  // namespace revindex
