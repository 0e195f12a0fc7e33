// revindex add: index review batch files, one Xapian transaction per file (docs/indexing.md).

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
#include <fmt/ranges.h>
#include <xapian.h>

#include "commands.hpp"
#include "crash_check.hpp"
#include "index_errors.hpp"
#include "progress_line.hpp"
#include "revsearch/analyzer.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/bulk_loader.hpp"
#include "revsearch/compaction_policy.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/new_generation.hpp"
#include "revsearch/new_index_cleanup.hpp"
#include "revsearch/rebuild.hpp"

namespace revindex {

namespace exit_code = revsearch::exit_code;
using revsearch::BatchOutcome;

namespace {

struct Totals {
    std::size_t read = 0, added = 0, updated = 0, unchanged = 0, repeated = 0, rejected = 0, skipped_files = 0;
    std::size_t refused_files = 0, unreadable_files = 0, changed_files = 0;
};

std::uint64_t size_of(const std::string& path) {
    std::error_code ec;
    const auto size = path == "-" ? 0 : std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

/// The files to add, and what the terminal shows while they are: the progress line and the problems.
class Batches {
public:
    Batches(std::vector<std::string> files, bool quiet) : files_(std::move(files)), quiet_(quiet) {
        bytes_before_.push_back(0);
        for (const auto& file : files_) bytes_before_.push_back(bytes_before_.back() + size_of(file));
        progress_.emplace(!quiet && ::isatty(STDERR_FILENO) == 1, files_.size(), bytes_before_.back());
    }
    const std::vector<std::string>& files() const { return files_; }
    /// Bytes of the files before the `index`th.
    std::uint64_t bytes_before(std::size_t index) const { return bytes_before_[index]; }
    ProgressLine& progress() { return *progress_; }
    /// --quiet keeps errors: a rejected record or an unreadable file is never silent.
    void print(const revsearch::Problem& problem) {
        if (quiet_ && problem.severity != revsearch::Severity::error) return;
        progress_->clear();
        std::cerr << revsearch::format_problem(problem) << '\n';
    }

private:
    std::vector<std::string> files_;
    bool quiet_;
    std::vector<std::uint64_t> bytes_before_;
    std::optional<ProgressLine> progress_;
};

/// The usual path: one transaction per file, into a new or existing index (revsearch/index_writer.hpp).
Totals add_file_by_file(const std::string& db_path, const AddOptions& options, Batches& batches) {
    Totals totals;
    auto writer = revsearch::IndexWriter::open(db_path, options.lock_timeout, revsearch::OpenMode::create_or_open,
                                               options.language, options.shards.value_or(1));
    const auto& files = batches.files();
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::size_t reviews_before = totals.read;
        if (i + 1 == files.size()) writer.write_spelling_with_next_batch();
        auto outcome = writer.add_batch(
            files[i], options.batch, [&](const revsearch::Problem& problem) { batches.print(problem); },
            [&](const BatchOutcome& so_far) {
                batches.progress().update(i,
                                          reviews_before + so_far.added + so_far.updated + so_far.unchanged +
                                              so_far.repeated,
                                          batches.bytes_before(i), so_far.text_bytes);
            });
        switch (outcome.status) {
            case BatchOutcome::Status::skipped: ++totals.skipped_files; continue;
            case BatchOutcome::Status::refused:
                ++totals.refused_files;
                batches.progress().clear();
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
        totals.repeated += outcome.repeated;
    }
    batches.progress().clear();
    writer.close();
    return totals;
}

/// The --jobs path: every file into a new index at once (revsearch/bulk_loader.hpp), published as the first
/// generation (new_generation.hpp). nullopt when another revindex created the index while this one waited for
/// the lock: the caller adds file by file.
std::optional<Totals> bulk_load(const std::string& db_path, const AddOptions& options, Batches& batches) {
    revsearch::EventLog log("add", /*json=*/false, options.quiet, std::cerr, std::cerr);
    revsearch::NewGeneration generation(db_path, options.lock_timeout, log);
    if (generation.state().layout != revsearch::generations::Layout::missing) return std::nullopt;
    std::filesystem::create_directories(generation.scratch());
    revsearch::BulkLoader loader(options.language.value_or(std::string(revsearch::default_language)),
                                 options.jobs.value_or(0), options.shards.value_or(1));
    const auto built = generation.scratch() / "index";
    const auto stats = loader.load_files(
        built.string(), batches.files(), options.batch, [&](const revsearch::Problem& problem) { batches.print(problem); },
        [&](std::size_t file_index, std::size_t records, std::size_t file_text_bytes) {
            batches.progress().update(file_index, records, batches.bytes_before(file_index), file_text_bytes);
        });
    batches.progress().clear();
    if (stats.added > 0) generation.publish(built, /*keep=*/1);
    if (!options.quiet)
        std::cerr << fmt::format("bulk load: {} parts built in {:.2f} s, merged in {:.2f} s\n", loader.jobs(),
                                 stats.parts_seconds, stats.merge_seconds);
    // Into an empty index every record whose id was read before is a repeat within the input.
    return Totals{stats.records, stats.added, 0, 0, stats.updated + stats.unchanged, stats.rejected,
                  stats.skipped_files, 0, stats.unreadable_files, 0};
}

/// After a file-by-file run: compacts the index into a new generation, as `revindex compact` does (its checks, its
/// atomic switch, its recovery after a kill), when the run wrote a large share of it (compaction_policy.hpp).
/// `new_index`: this run created the index, so the generation it wrote, the same reviews uncompacted, is not
/// kept (nothing older exists); into an existing index the previous generation is kept, as compact's --keep 2.
void compact_if_due(const std::string& db_path, const AddOptions& options, const Totals& totals, bool new_index) {
    const std::size_t written = totals.added + totals.updated;
    if (options.compact == revsearch::CompactAfterAdd::never || written == 0) return;
    const std::size_t documents = Xapian::Database(db_path).get_doccount();
    if (!revsearch::should_compact_after_add(options.compact, written, documents)) return;
    const auto started = std::chrono::steady_clock::now();
    revsearch::EventLog log("add", /*json=*/false, /*quiet=*/true, std::cerr, std::cerr);
    revsearch::CompactOptions compact;
    compact.dir = db_path;
    compact.keep = new_index ? 1 : 2;
    compact.lock_timeout = options.lock_timeout;
    revsearch::JobResult result;
    try {
        result = revsearch::compact_index(compact, log);
    } catch (const revsearch::Error& e) {
        // The run's batches are committed: another writer holding the index, or a compacted copy that failed its
        // check (the live index is kept), is said, not an error of the add. A damaged table is (exit 2).
        if (e.kind() != revsearch::ErrorKind::locked && e.kind() != revsearch::ErrorKind::check_failed) throw;
        std::cerr << "revindex add: warning: the index was not compacted (" << e.what()
                  << "); revindex compact does it later\n";
        return;
    }
    if (!options.quiet)
        std::cerr << fmt::format("revindex add: compacted the index ({} reviews, {} of them written by this run) into "
                                 "{} in {:.2f} s\n",
                                 result.documents, written, revsearch::generations::generation_name(result.to_generation),
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

/// The bulk path builds only a new index, without --strict, and keeps no copy of a stream for a rebuild.
bool can_bulk_load(const std::string& db_path, const AddOptions& options, const std::vector<std::string>& files) {
    return options.jobs && !options.batch.strict && std::none_of(files.begin(), files.end(), revsearch::is_stream_input) &&
           revsearch::shard_count_of(db_path) == 0;
}

Totals add_files(const std::string& db_path, const AddOptions& options, Batches& batches) {
    if (const unsigned existing = revsearch::shard_count_of(db_path);
        options.shards && existing != 0 && existing != *options.shards)
        throw revsearch::Error(revsearch::ErrorKind::refused,
                               fmt::format("the index at {} has {} shard(s), not {}; change that with revindex "
                                           "rebuild --shards {}", db_path, existing, *options.shards, *options.shards));
    if (can_bulk_load(db_path, options, batches.files())) {
        if (auto totals = bulk_load(db_path, options, batches)) return *totals;
    }
    if (options.jobs && !options.quiet)
        std::cerr << "revindex add: --jobs builds only a new index without --strict; adding file by file\n";
    bool new_index = false;
    try {
        new_index = revsearch::generations::inspect(db_path).layout == revsearch::generations::Layout::missing;
    } catch (const revsearch::Error&) {
        // A stub that names no generation: the writer below refuses it with its own message.
    }
    const Totals totals = add_file_by_file(db_path, options, batches);
    compact_if_due(db_path, options, totals, new_index);
    return totals;
}

int exit_code_of(const Totals& totals, bool strict) {
    if (totals.changed_files > 0) {
        std::cerr << "revindex add: " << totals.changed_files
                  << " file(s) changed while they were read and were not indexed; add them again once complete\n";
        return exit_code::error;
    }
    if (totals.refused_files > 0) return exit_code::no_match;
    if (strict && totals.unreadable_files > 0) return exit_code::no_match;
    if (totals.read == 0 && totals.skipped_files == 0) return exit_code::no_match;
    return exit_code::ok;
}

/// "read 444, added 440, updated 0, unchanged 0, repeated 4, rejected 1, skipped files 0, unreadable files 4 in
/// 1.25 s": every record and every file given is counted somewhere (docs/indexing.md, "The summary").
std::string summary_line(const Totals& totals, double seconds) {
    return fmt::format("read {}, added {}, updated {}, unchanged {}, repeated {}, rejected {}, skipped files {}, "
                       "unreadable files {} in {:.2f} s",
                       totals.read, totals.added, totals.updated, totals.unchanged, totals.repeated, totals.rejected,
                       totals.skipped_files, totals.unreadable_files + totals.refused_files + totals.changed_files,
                       seconds);
}

}  // namespace

int run_add(const AddOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const std::string db_path = revsearch::resolve_db_path(options.db);
    check_index_if_writer_crashes("add", db_path);
    bool bad_path = false;
    auto files = revsearch::expand_paths(
        options.paths,
        [&](const revsearch::Problem& problem) {
            if (problem.severity == revsearch::Severity::error) bad_path = true;
            if (problem.severity == revsearch::Severity::error || !options.quiet)
                std::cerr << revsearch::format_problem(problem) << '\n';
        },
        db_path);
    if (files.empty()) {
        // Nothing to read (every PATH missing, or an empty directory): no index is created for it.
        if (!bad_path) std::cerr << "revindex add: no input file in " << fmt::format("{}", fmt::join(options.paths, " "))
                                 << "; nothing was indexed\n";
        if (!options.quiet) std::cerr << summary_line(Totals{}, 0) << '\n';
        return bad_path ? exit_code::error : exit_code::no_match;
    }
    // An add that read nothing into a new index leaves nothing behind (new_index_cleanup.hpp).
    revsearch::NewIndexCleanup cleanup(db_path);
    Batches batches(std::move(files), options.quiet);
    const Totals totals = on_index(db_path, Corruption::name_table, [&] { return add_files(db_path, options, batches); });
    if (totals.added == 0 && cleanup.remove_if_empty() && !options.quiet)
        std::cerr << "revindex add: nothing was indexed; no index was created at " << db_path << '\n';
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!options.quiet) std::cerr << summary_line(totals, seconds) << '\n';
    return bad_path ? exit_code::error : exit_code_of(totals, options.batch.strict);
}

}  // namespace revindex
