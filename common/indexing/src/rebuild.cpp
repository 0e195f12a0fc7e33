#include "revsearch/rebuild.hpp"

#include <filesystem>
#include <algorithm>
#include <cstdint>
#include <set>

#include <fmt/format.h>
#include <xapian.h>

#include "revsearch/analyzer.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/bulk_loader.hpp"
#include "revsearch/fault_point.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/index_lock.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/new_generation.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/shards.hpp"
#include "revsearch/table_check.hpp"

namespace revsearch {

namespace fs = std::filesystem;
namespace gen = generations;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string generation_label(std::optional<unsigned> number) {
    return number ? gen::generation_name(*number) : "legacy";
}

/// Xapian's structural check of every table of the new generation: the count and the probe above do not read
/// every block, and Xapian can write an item it cannot read back (spelling_table.hpp). A failure refuses the switch.
void check_structure(const fs::path& scratch, unsigned number, EventLog& log) {
    const auto started = Clock::now();
    try {
        check_tables(scratch, scratch.parent_path());
    } catch (const CorruptTableError& e) {
        throw CorruptTableError(e.table(), "the new " + gen::generation_name(number) +
                                               " failed Xapian's check, the live index is kept: " + e.what());
    }
    log.info("checked-tables", fmt::format("checked every table of {} in {:.2f} s", gen::generation_name(number),
                                           seconds_since(started)),
             {{"generation", gen::generation_name(number)}, {"seconds", seconds_since(started)}});
}

/// Steps shared by rebuild and compact once the new database is complete: check it, then publish it.
void check_and_publish(NewGeneration& generation, const fs::path& built, std::optional<std::size_t> expected,
                       unsigned keep, JobResult& result, EventLog& log) {
    const unsigned number = generation.number();
    fault_point("before-check");
    const auto check_started = Clock::now();
    try {
        result.documents = check_generation(built.string(), expected);
    } catch (const Error& e) {
        throw Error(e.kind(), std::string("the new index failed its check, the live one is kept: ") + e.what());
    }
    log.info("checked", fmt::format("checked {}: {} documents, probe query found a match in {:.2f} s",
                                    gen::generation_name(number), result.documents, seconds_since(check_started)),
             {{"generation", gen::generation_name(number)}, {"documents", result.documents}});
    check_structure(built, number, log);

    result.removed = generation.publish(built, keep, [&] {
        result.to_generation = number;
        log.info("switched", fmt::format("switched {} -> {}", generation_label(result.from_generation),
                                         gen::generation_name(number)),
                 {{"from", generation_label(result.from_generation)}, {"to", gen::generation_name(number)}});
    });
    for (unsigned removed : result.removed)
        log.info("removed", "removed " + gen::generation_name(removed), {{"generation", gen::generation_name(removed)}});
}

/// One batch to read into the new generation: the file, and the ledger entry it replays (identity, seq, origin).
struct PlannedBatch {
    std::string file;
    BatchLedgerEntry entry;
};

/// The batches to build from, in the order they are to be applied: the ledger's, in the order they were applied
/// (read_ledger), with stream batches read from their kept copies; or --from expanded, in path order. A recorded
/// file that is gone is an error rather than a silent loss of its reviews; a ledger entry of a stream batch
/// written before copies were kept ("<stdin>", "/dev/fd/63") cannot be replayed and is refused by name.
std::vector<PlannedBatch> plan_batches(const RebuildOptions& options, const std::vector<BatchLedgerEntry>& ledger) {
    std::vector<PlannedBatch> plan;
    if (options.from.empty()) {
        for (const auto& entry : ledger) {
            const std::string file = entry.origin.empty() ? entry.path : (fs::path(options.dir) / entry.path).string();
            if (entry.origin.empty() && is_stream_input(entry.path))
                throw Error(ErrorKind::input,
                            "the ledger records " + entry.path +
                                ", a stream read before stream batches were kept, which cannot be read again",
                            Remedy::name_sources);
            if (!fs::is_regular_file(file))
                throw Error(ErrorKind::input, "source " + file + " recorded in the index no longer exists",
                            Remedy::name_sources);
            plan.push_back({file, entry});
        }
        if (plan.empty())
            throw Error(ErrorKind::input, "the index records no batch file to rebuild from", Remedy::name_sources);
    } else {
        std::string bad;
        auto files = expand_paths(options.from, [&](const Problem& problem) {
            if (problem.severity == Severity::error) bad = format_problem(problem);
        }, options.dir);
        if (!bad.empty()) throw Error(ErrorKind::input, bad);
        std::erase_if(files, [](const std::string& file) { return is_stream_input(file); });
        if (files.empty()) throw Error(ErrorKind::usage, "the sources to build from name no file");
        for (std::size_t i = 0; i < files.size(); ++i) {
            BatchLedgerEntry entry;
            entry.path = batch_identity(files[i]);
            entry.seq = i + 1;
            plan.push_back({files[i], entry});
        }
    }
    return plan;
}

/// The tombstones the new generation carries and the sequence it continues from. Replaying the ledger keeps
/// both as they are. With --from the batches are numbered 1..N and every tombstone is renumbered after them, in
/// its order: a deletion outlives a rebuild from any files, and only a batch added later brings the review back.
std::pair<std::map<std::string, Tombstone>, std::uint64_t> carried_tombstones(
    const RebuildOptions& options, std::map<std::string, Tombstone> tombstones, std::uint64_t last,
    std::size_t batches) {
    if (options.from.empty()) {
        for (const auto& [id, tombstone] : tombstones) last = std::max(last, tombstone.seq);
        return {std::move(tombstones), last};
    }
    std::vector<std::uint64_t> seqs;
    for (const auto& [id, tombstone] : tombstones) seqs.push_back(tombstone.seq);
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    for (auto& [id, tombstone] : tombstones) {
        const auto rank = std::lower_bound(seqs.begin(), seqs.end(), tombstone.seq) - seqs.begin();
        tombstone.seq = batches + 1 + static_cast<std::uint64_t>(rank);
    }
    return {std::move(tombstones), batches + seqs.size()};
}

/// Documents of the live generation the new one lacks, and which of them no reason explains. A document whose
/// source (XF term) is a ledger batch left out of --from is explained (the user chose the sources); any other
/// loss (a source that changed or shrank since it was added, a review the replay dropped) is not.
struct Loss {
    std::size_t live = 0, lost = 0, explained = 0;
    std::string example;  ///< an unexplained loss: "id X from SOURCE"
};

Loss compare_with_live(const fs::path& live, const fs::path& built, const std::vector<BatchLedgerEntry>& ledger,
                       const std::vector<PlannedBatch>& plan) {
    Loss loss;
    Xapian::Database old_db(live.string());
    Xapian::Database new_db(built.string());
    loss.live = old_db.get_doccount();
    std::map<std::string, std::string> source_of_term;  // XF term -> ledger path
    for (const auto& entry : ledger) source_of_term[schema::source_term(entry.path)] = entry.path;
    std::set<std::string> planned;
    for (const auto& batch : plan) planned.insert(schema::source_term(batch.entry.path));
    const std::string id_prefix(schema::id_prefix);
    const std::string source_prefix(schema::source_prefix);
    for (auto term = old_db.allterms_begin(id_prefix); term != old_db.allterms_end(id_prefix); ++term) {
        if (new_db.term_exists(*term)) continue;
        ++loss.lost;
        std::string source_term;
        auto posting = old_db.postlist_begin(*term);
        if (posting != old_db.postlist_end(*term)) {
            auto source = old_db.termlist_begin(*posting);
            source.skip_to(source_prefix);
            if (source != old_db.termlist_end(*posting) && (*source).starts_with(source_prefix)) source_term = *source;
        }
        if (!source_term.empty() && !planned.contains(source_term)) {
            ++loss.explained;
            continue;
        }
        if (loss.example.empty()) {
            auto found = source_of_term.find(source_term);
            loss.example = "id " + (*term).substr(id_prefix.size()) + " from " +
                           (found != source_of_term.end() ? found->second : std::string("an unrecorded source"));
        }
    }
    return loss;
}

/// Writes the tombstones and the sequence into the new generation's ledger shard (shard 0).
void write_ledger_state(const fs::path& built, const std::map<std::string, Tombstone>& tombstones,
                        std::uint64_t last) {
    Xapian::WritableDatabase db(shards::shard_paths(built).front().string(), Xapian::DB_OPEN);
    for (const auto& [id, tombstone] : tombstones) write_tombstone(db, id, tombstone);
    if (last > 0) set_last_sequence(db, last);
    db.commit();
    db.close();
}

/// A rebuild never silently publishes fewer reviews than the live generation holds (docs/rebuild.md).
void refuse_unexplained_loss(const RebuildOptions& options, const fs::path& dir, const fs::path& built,
                             const std::vector<BatchLedgerEntry>& ledger, const std::vector<PlannedBatch>& plan,
                             EventLog& log) {
    const auto live = gen::live_database_path(dir);
    if (!live) return;
    const Loss loss = compare_with_live(*live, built, ledger, plan);
    if (loss.lost == 0) return;
    const std::size_t unexplained = loss.lost - loss.explained;
    const std::string figures = fmt::format("the new index lacks {} of the live index's {} documents ({} from "
                                            "sources left out of --from, {} unexplained",
                                            loss.lost, loss.live, loss.explained, unexplained);
    if (unexplained == 0 || options.allow_loss) {
        log.info("loss", figures + (unexplained > 0 ? "; switching anyway (--allow-loss))" : ")"),
                 {{"lost", loss.lost}, {"explained", loss.explained}, {"unexplained", unexplained}});
        return;
    }
    throw Error(ErrorKind::refused,
                figures + ", e.g. " + loss.example + "); the live index is kept. A source changed or shrank since it "
                "was added?", Remedy::accept_loss);
}

}  // namespace

std::optional<std::string> change_since_ledger(const std::vector<BatchLedgerEntry>& ledger,
                                               const std::map<std::string, std::string>& current_hashes) {
    std::map<std::string, std::string> recorded;
    for (const auto& entry : ledger) recorded[entry.path] = entry.hash;
    for (const auto& [path, hash] : current_hashes) {
        auto found = recorded.find(path);
        if (found == recorded.end()) return "new source " + path;
        if (hash.empty()) return path + " cannot be read";
        if (found->second != hash) return path + " changed";
    }
    for (const auto& [path, hash] : recorded)
        if (!current_hashes.contains(path)) return "source " + path + " is no longer among the sources";
    return std::nullopt;
}

std::size_t check_generation(const std::string& path, std::optional<std::size_t> expected) {
    Xapian::Database database(path);
    const std::size_t documents = database.get_doccount();
    if (documents == 0) throw Error(ErrorKind::check_failed, "the new index holds no document");
    if (expected && documents != *expected)
        throw Error(ErrorKind::check_failed, fmt::format("the new index holds {} documents, {} expected", documents, *expected));
    // Probe: an unprefixed stem (schema::TermKind::stem) of the first document must find a document, through the
    // postings, not only the termlist, and the match must carry the stored review.
    const Xapian::docid first = *database.postlist_begin("");
    std::string probe;
    const Xapian::Document document = database.get_document(first);
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
        const std::string word = *term;
        if (schema::classify_term(word).kind == schema::TermKind::stem) {
            probe = word;
            break;
        }
    }
    if (probe.empty()) throw Error(ErrorKind::check_failed, fmt::format("document {} has no word to probe with", first));
    Xapian::Enquire enquire(database);
    enquire.set_query(Xapian::Query(probe));
    const Xapian::MSet matches = enquire.get_mset(0, 1);
    if (matches.empty()) throw Error(ErrorKind::check_failed, "the probe query '" + probe + "' found nothing");
    const auto data = nlohmann::json::parse(matches.begin().get_document().get_data(), nullptr, false);
    if (!data.is_object()) throw Error(ErrorKind::check_failed, "the probe query's match holds no stored review");
    return documents;
}

JobResult rebuild_index(const RebuildOptions& options, EventLog& log) {
    const auto started = Clock::now();
    const fs::path dir = options.dir;
    if (!fs::exists(dir) && options.from.empty())  // checked before the lock, which would create DIR
        throw Error(ErrorKind::not_found, "no index at " + options.dir + " to rebuild", Remedy::name_sources);
    NewGeneration generation(dir, options.lock_timeout, log);
    const gen::DirectoryState& state = generation.state();
    JobResult result;
    result.from_generation = generation.live_number();

    std::string language(default_language);
    std::vector<BatchLedgerEntry> ledger;
    std::map<std::string, Tombstone> live_tombstones;
    std::uint64_t live_last = 0;
    std::string schema_version;
    unsigned live_shard_count = 0;
    if (auto live = gen::live_database_path(dir)) {
        live_shard_count = static_cast<unsigned>(shards::shard_paths(*live).size());
        // Read through the shard stub: Xapian gives the first shard's metadata, shard 0's, where the ledger is.
        Xapian::Database database(live->string());
        if (auto recorded = database.get_metadata(std::string(schema::meta_language)); !recorded.empty())
            language = recorded;
        schema_version = database.get_metadata(std::string(schema::meta_schema_version));
        ledger = read_ledger(database);
        live_tombstones = read_tombstones(database);
        live_last = last_sequence(database);
    } else if (options.from.empty()) {
        throw Error(ErrorKind::not_found, "no index at " + options.dir + " to rebuild", Remedy::name_sources);
    }

    const std::vector<PlannedBatch> plan = plan_batches(options, ledger);
    std::vector<std::string> files;
    for (const auto& batch : plan) files.push_back(batch.file);
    const auto carried = carried_tombstones(options, live_tombstones, live_last, plan.size());
    const std::map<std::string, Tombstone>& tombstones = carried.first;
    const std::uint64_t last = carried.second;
    log.info("start", fmt::format("start: {} source file(s) from {}, live {}", files.size(),
                                  options.from.empty() ? "the ledger" : "--from",
                                  state.layout == gen::Layout::missing ? "none" : generation_label(result.from_generation)),
             {{"db", options.dir}, {"sources", files.size()}, {"live", generation_label(result.from_generation)}});

    // A new shard count is a change: --if-changed does not skip it.
    const unsigned shard_count = options.shards.value_or(std::max(1u, live_shard_count));
    if (options.if_changed && state.layout != gen::Layout::missing && live_shard_count == shard_count) {
        std::map<std::string, std::string> hashes;
        for (const auto& batch : plan) {
            std::string hash;
            try {
                hash = file_content_hash(batch.file);
            } catch (const std::exception&) {
            }
            hashes[batch.entry.path] = hash;
        }
        std::optional<std::string> reason = change_since_ledger(ledger, hashes);
        if (!reason && schema_version != std::to_string(schema::version))
            reason = "schema version " + schema_version + ", this revindex writes " + std::to_string(schema::version);
        if (!reason) {
            result.skipped = true;
            log.info("skipped", fmt::format("skipped: no source changed since the last build ({:.2f} s)",
                                            seconds_since(started)),
                     {{"reason", "unchanged"}, {"seconds", seconds_since(started)}});
            return result;
        }
        log.info("changed", "rebuilding: " + *reason, {{"reason", *reason}});
    }

    const unsigned number = generation.number();
    const fs::path& scratch = generation.scratch();
    const auto build_started = Clock::now();
    // Each file is read as it was added (its format and CSV mapping in the ledger), unless --format says else,
    // under the identity and sequence number it was applied with, leaving out what was deleted after it.
    std::map<std::string, BatchLedgerEntry> recorded;
    for (const auto& entry : ledger) recorded.emplace(entry.path, entry);
    std::map<std::string, const PlannedBatch*> planned;
    for (const auto& batch : plan) planned.emplace(batch.file, &batch);
    auto options_for = [&](const std::string& file) {
        const PlannedBatch& batch = *planned.at(file);
        auto found = recorded.find(batch.entry.path);
        BatchOptions batch_options = found != recorded.end() ? options_from_ledger(found->second) : BatchOptions{};
        if (options.format) batch_options.format = options.format;
        batch_options.replay = batch.entry;
        batch_options.tombstones = &tombstones;
        return batch_options;
    };
    std::size_t read = 0, rejected = 0;
    if (options.jobs > 0) {
        // Parts built in parallel and merged (bulk_loader.hpp). Its work directory goes beside its target,
        // so the target is inside the scratch directory: a killed run leaves nothing outside .building-*.
        fs::create_directories(scratch);
        fault_point("after-scratch");
        BulkLoader loader(language, options.jobs, shard_count);
        std::string unreadable;
        const BulkLoadStats stats = loader.load_files((scratch / "index").string(), files, options_for,
                                                      [&](const Problem& problem) {
                                                          if (problem.line == 0) unreadable = format_problem(problem);
                                                      });
        if (stats.unreadable_files > 0) throw Error(ErrorKind::input, "cannot read source: " + unreadable);
        read = stats.records;
        rejected = stats.rejected;
    } else {
        shards::create_empty(scratch, shard_count);
        auto databases = shards::open_writable(shards::shard_paths(scratch), Xapian::DB_OPEN);
        fault_point("after-scratch");
        for (auto& database : databases) settle_index_language(database, language);
        IndexWriter writer(databases, language);
        for (const auto& file : files) {
            const BatchOutcome outcome = writer.add_batch(file, options_for(file), {});
            if (outcome.status == BatchOutcome::Status::unreadable)
                throw Error(ErrorKind::input, "cannot read source " + file);
            if (outcome.status == BatchOutcome::Status::changed)
                throw Error(ErrorKind::input, "source " + file + " changed while it was read; run the rebuild again");
            read += outcome.input.records;
            rejected += outcome.input.rejected;
            fault_point("mid-build");
        }
        writer.write_staged_spelling();
        for (auto& database : databases) {
            database.commit();
            database.close();
        }
    }
    if (read == 0) throw Error(ErrorKind::check_failed, "no review could be read from the sources; the live index is kept");
    log.info("built", fmt::format("built {}: {} reviews read, {} rejected, from {} file(s), {} shard(s) in {:.2f} s",
                                  gen::generation_name(number), read, rejected, files.size(), shard_count,
                                  seconds_since(build_started)),
             {{"generation", gen::generation_name(number)}, {"reviews", read}, {"rejected", rejected},
              {"shards", shard_count}, {"seconds", seconds_since(build_started)}});

    const fs::path built = options.jobs > 0 ? scratch / "index" : scratch;
    write_ledger_state(built, tombstones, last);
    refuse_unexplained_loss(options, dir, built, ledger, plan, log);
    check_and_publish(generation, built, options.expect_documents, options.keep, result, log);
    log.info("done", fmt::format("done in {:.2f} s: {} with {} documents", seconds_since(started),
                                 gen::generation_name(number), result.documents),
             {{"seconds", seconds_since(started)}, {"generation", gen::generation_name(number)},
              {"documents", result.documents}});
    return result;
}

JobResult compact_index(const CompactOptions& options, EventLog& log) {
    const auto started = Clock::now();
    const fs::path dir = options.dir;
    if (!fs::exists(dir)) throw Error(ErrorKind::not_found, "no index at " + options.dir + " to compact");
    NewGeneration generation(dir, options.lock_timeout, log);
    JobResult result;
    result.from_generation = generation.live_number();
    const auto live = gen::live_database_path(dir);
    if (!live) throw Error(ErrorKind::not_found, "no index at " + options.dir + " to compact");
    log.info("start", "start: compacting " + generation_label(result.from_generation),
             {{"db", options.dir}, {"live", generation_label(result.from_generation)}});

    const unsigned number = generation.number();
    const fs::path& scratch = generation.scratch();
    std::size_t documents = 0;
    {
        // Shard by shard: compacting the shards read together would merge them into one database.
        const auto paths = shards::shard_paths(*live);
        const bool sharded = paths.size() > 1;
        if (sharded) fs::create_directories(scratch);
        fault_point("after-scratch");
        // A corrupt live table is named and refused here, before Xapian's compactor meets it (bit flips made
        // it fail with "basic_string::append").
        try {
            check_tables(*live, dir);
        } catch (const CorruptTableError& e) {
            throw CorruptTableError(e.table(), std::string("the live index cannot be compacted: ") + e.what());
        }
        for (std::size_t i = 0; i < paths.size(); ++i) {
            Xapian::Database database(paths[i].string());
            documents += database.get_doccount();
            database.compact((sharded ? scratch / shards::shard_name(static_cast<unsigned>(i)) : scratch).string());
        }
        if (sharded) shards::write_shard_stub(scratch, static_cast<unsigned>(paths.size()));
    }
    log.info("built", fmt::format("compacted into {}: {} documents in {:.2f} s", gen::generation_name(number),
                                  documents, seconds_since(started)),
             {{"generation", gen::generation_name(number)}, {"documents", documents}});
    check_and_publish(generation, scratch, documents, options.keep, result, log);
    log.info("done", fmt::format("done in {:.2f} s: {} with {} documents", seconds_since(started),
                                 gen::generation_name(number), result.documents),
             {{"seconds", seconds_since(started)}, {"generation", gen::generation_name(number)},
              {"documents", result.documents}});
    return result;
}

}  // namespace revsearch
