#include "revsearch/bulk_loader.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <xapian.h>

#include "revsearch/analyzer.hpp"
#include "revsearch/batch_input.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/shards.hpp"

namespace revsearch {

namespace fs = std::filesystem;

namespace {

struct WorkItem {
    Review review;
    std::string source_identity;
};
using WorkBatch = std::vector<WorkItem>;

/// Records handed to a part at a time: enough to make the queue's locking negligible, small enough that the
/// parts start at once and stay evenly fed.
constexpr std::size_t work_batch_size = 256;
/// Batches waiting per part: bounds the memory of reviews read but not yet indexed.
constexpr std::size_t queue_capacity = 8;

/// A bounded single-producer, single-consumer queue of batches. close() ends the stream normally; abort()
/// (either side failed) wakes both sides and makes them stop.
class BatchQueue {
public:
    /// False when the queue was aborted: the producer should stop.
    bool push(WorkBatch&& batch) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return aborted_ || batches_.size() < queue_capacity; });
        if (aborted_) return false;
        batches_.push_back(std::move(batch));
        not_empty_.notify_one();
        return true;
    }
    /// nullopt at the end of the stream or after abort().
    std::optional<WorkBatch> pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return aborted_ || closed_ || !batches_.empty(); });
        if (aborted_ || batches_.empty()) return std::nullopt;
        WorkBatch batch = std::move(batches_.front());
        batches_.pop_front();
        not_full_.notify_one();
        return batch;
    }
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
    }
    void abort() {
        std::lock_guard lock(mutex_);
        aborted_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<WorkBatch> batches_;
    bool closed_ = false, aborted_ = false;
};

/// A part is scratch until the merge: blocks are updated in place (no copy-on-write revisions to keep) and
/// nothing is fsync'ed. A crash leaves an unusable part in the work directory, which is removed anyway.
constexpr int part_flags = Xapian::DB_CREATE | Xapian::DB_DANGEROUS | Xapian::DB_NO_SYNC;

/// A part commits (writes Xapian's in-memory postings to its tables) every this many documents. Measured on
/// 10,000 aclImdb reviews with 2 parts (docs/benchmarks.md, "The `--jobs` shape"): holding each part's 5,000
/// documents until the end, as Xapian's default flush threshold of 10,000 did, cost the floor's parts about twice
/// the serial CPU time, pinned to one core as well (so not two threads contending: a buffer of 200 MiB in
/// Xapian's inverter), while committing every 1,000 cost about the serial CPU time (500 and 2,000 no less) and
/// held a quarter of the memory. A smaller XAPIAN_FLUSH_THRESHOLD in the environment still flushes sooner.
constexpr std::size_t part_commit_interval = 1000;

/// One part of the index: its own database, analyzer and thread.
class Part {
public:
    Part(const fs::path& path, const std::string& language)
        : db_(path.string(), part_flags), writer_(db_, language), builder_(language) {}

    BatchQueue& queue() { return queue_; }

    /// The thread body: index every batch, committing every part_commit_interval documents. An exception is kept
    /// for the caller and aborts the queue, so the producer stops instead of waiting on a part that is gone.
    void run() {
        try {
            std::size_t since_commit = 0;
            while (auto batch = queue_.pop()) {
                for (auto& item : *batch) {
                    index(item);
                    if (++since_commit == part_commit_interval) {
                        db_.commit();
                        since_commit = 0;
                    }
                }
            }
            spelling_.write_to(db_);
            writer_.flush_spelling();
            db_.commit();
            db_.close();
        } catch (...) {
            error_ = std::current_exception();
            queue_.abort();
        }
    }

    std::exception_ptr error() const { return error_; }
    std::size_t updated() const { return updated_; }
    std::size_t unchanged() const { return unchanged_; }

private:
    void index(const WorkItem& item) {
        // Reviews are routed to parts by id, so a part sees every copy of an id, in reading order. A first
        // sighting is a plain add (no lookup: the index was empty); a repeat goes through the index writer's
        // own upsert, which decides updated / unchanged exactly as `revindex add` does. The set holds hashes:
        // a collision only costs that lookup.
        if (seen_.insert(std::hash<std::string>{}(item.review.id)).second) {
            Xapian::Document doc = builder_.build(item.review, item.source_identity, &spelling_);
            db_.add_document(doc);
            return;
        }
        switch (writer_.upsert(item.review, item.source_identity)) {
            case UpsertResult::added: break;
            case UpsertResult::updated: ++updated_; break;
            case UpsertResult::unchanged: ++unchanged_; break;
            case UpsertResult::repeated: break;  // this part's writer does not report repeats
        }
    }

    // The spelling table is counted here and written once per word at the end (SpellingCounter, spelling_table.hpp);
    // the unit test compares it with the index writer's.

    Xapian::WritableDatabase db_;
    IndexWriter writer_;
    DocumentBuilder builder_;
    BatchQueue queue_;
    std::unordered_set<std::size_t> seen_;
    SpellingCounter spelling_;
    std::size_t updated_ = 0, unchanged_ = 0;
    std::exception_ptr error_;
};

/// The work directory next to the target (same file system, so the finished index can be renamed into
/// place), removed whatever happens.
class WorkDir {
public:
    explicit WorkDir(fs::path path) : path_(std::move(path)) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~WorkDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

void merge_parts(const std::vector<fs::path>& parts, const fs::path& out) {
    Xapian::Database all;
    for (const auto& part : parts) all.add_database(Xapian::Database(part.string()));
    // Renumbering (the default) puts each part's documents after the previous part's; spelling tables are
    // merged by summing frequencies.
    all.compact(out.string());
}

}  // namespace

bool is_empty_target(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return !ec;
    return fs::is_directory(path, ec) && fs::is_empty(path, ec) && !ec;
}

BulkLoader::BulkLoader(std::string language, unsigned jobs, unsigned shard_count)
    : language_(std::move(language)),
      jobs_(jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : jobs),
      shard_count_(std::max(1u, shard_count)) {
    make_snowball_stem(language_);  // an unknown language fails here, before anything is created
}

BulkLoadStats BulkLoader::load(const std::string& target, const Producer& produce,
                               const std::vector<BatchLedgerEntry>& ledger) {
    if (!is_empty_target(target))
        throw Error(ErrorKind::refused, target + " is not empty: the bulk load only builds a new index");
    const fs::path target_path = fs::absolute(target).lexically_normal();
    const fs::path target_dir = target_path.has_filename() ? target_path : target_path.parent_path();
    fs::create_directories(target_dir.parent_path());
    WorkDir work(target_dir.parent_path() /
                 ("." + target_dir.filename().string() + ".bulk-" + std::to_string(::getpid())));

    // Every part belongs to one shard, so that a shard is the merge of its own parts: jobs are spread over
    // the shards, at least one part each.
    const unsigned parts_per_shard = std::max(1u, jobs_ / shard_count_);
    const unsigned part_count = parts_per_shard * shard_count_;
    std::vector<fs::path> part_paths;
    std::vector<std::unique_ptr<Part>> parts;
    // Each part commits every part_commit_interval documents (see there why not Xapian's default threshold).
    for (unsigned i = 0; i < part_count; ++i) {
        part_paths.push_back(work.path() / ("part-" + std::to_string(i)));
        parts.push_back(std::make_unique<Part>(part_paths.back(), language_));
    }

    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (auto& part : parts) threads.emplace_back([&part] { part->run(); });
    std::exception_ptr producer_error;
    try {
        std::vector<WorkBatch> pending(part_count);
        auto send = [&](std::size_t i) {
            if (!parts[i]->queue().push(std::move(pending[i])))
                throw std::runtime_error("an index part failed");  // replaced below by the part's own error
            pending[i] = {};
            pending[i].reserve(work_batch_size);
        };
        produce([&](Review&& review, std::string_view source_identity) {
            const std::size_t i = shards::shard_of(review.id, shard_count_) * parts_per_shard +
                                  std::hash<std::string>{}(review.id) % parts_per_shard;
            pending[i].push_back(WorkItem{std::move(review), std::string(source_identity)});
            if (pending[i].size() >= work_batch_size) send(i);
        });
        for (std::size_t i = 0; i < part_count; ++i) {
            if (!pending[i].empty()) send(i);
            parts[i]->queue().close();
        }
    } catch (...) {
        producer_error = std::current_exception();
        for (auto& part : parts) part->queue().abort();
    }
    for (auto& thread : threads) thread.join();
    for (const auto& part : parts)
        if (part->error()) std::rethrow_exception(part->error());
    if (producer_error) std::rethrow_exception(producer_error);

    BulkLoadStats stats;
    for (const auto& part : parts) {
        stats.updated += part->updated();
        stats.unchanged += part->unchanged();
    }
    parts.clear();  // closes the part databases
    const auto parts_built = std::chrono::steady_clock::now();
    stats.parts_seconds = std::chrono::duration<double>(parts_built - started).count();

    const fs::path merged = work.path() / "index";
    if (shard_count_ == 1) {
        merge_parts(part_paths, merged);
    } else {
        fs::create_directories(merged);
        for (unsigned shard = 0; shard < shard_count_; ++shard) {
            const auto first = part_paths.begin() + shard * parts_per_shard;
            merge_parts({first, first + parts_per_shard}, merged / shards::shard_name(shard));
        }
        shards::write_shard_stub(merged, shard_count_);
    }
    // The same metadata, written by the same functions, as the index writer's first batch: the language in
    // every shard, the ledger in shard 0. The merged index is private to this load until the rename, so it
    // is opened directly, without the index lock.
    {
        auto databases = shards::open_writable(shards::shard_paths(merged), Xapian::DB_OPEN);
        for (auto& db : databases) settle_index_language(db, language_);
        std::uint64_t last = 0;
        for (const auto& entry : ledger) {
            databases.front().set_metadata(ledger_key(entry.path), to_ledger_json(entry));
            last = std::max(last, entry.seq);
        }
        if (last > 0) set_last_sequence(databases.front(), last);
        for (auto& db : databases) {
            db.commit();
            stats.added += db.get_doccount();
            db.close();
        }
    }
    stats.merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - parts_built).count();

    // rename(2) replaces an empty directory and refuses a non-empty one: another writer that created the
    // index meanwhile keeps it, and this load fails without touching it.
    std::error_code ec;
    fs::rename(merged, target_dir, ec);
    if (ec)
        throw Error(ErrorKind::refused, target_dir.string() + " was filled by someone else during the bulk load (" +
                                      ec.message() + "); nothing was written there");
    return stats;
}

BulkLoadStats BulkLoader::load_files(const std::string& target, const std::vector<std::string>& paths,
                                     const BatchOptions& options, const ProblemSink& sink,
                                     const BulkProgress& progress) {
    return load_files(target, paths, [&](const std::string&) { return options; }, sink, progress);
}

BulkLoadStats BulkLoader::load_files(const std::string& target, const std::vector<std::string>& paths,
                                     const std::function<BatchOptions(const std::string&)>& options_for,
                                     const ProblemSink& sink, const BulkProgress& progress) {
    BulkLoadStats read_stats;
    std::vector<BatchLedgerEntry> ledger;
    std::set<std::string> files_read;  // identities
    std::uint64_t last_seq = 0;
    // `ledger` is filled while the producer runs and read by load() only after it has returned.
    auto produce = [&](const Emit& emit) {
        for (std::size_t file_index = 0; file_index < paths.size(); ++file_index) {
            const std::string& path = paths[file_index];
            const bool is_stdin = path == "-";
            const BatchOptions file_options = options_for(path);
            const std::string identity = file_options.replay ? file_options.replay->path : batch_identity(path);
            // `revindex add` skips a file its ledger already holds: here, the same path named twice.
            if (!is_stdin && !files_read.insert(identity).second) {
                ++read_stats.skipped_files;
                continue;
            }
            // Numbered as `revindex add` numbers them, in the order read (batch_ledger.hpp).
            const std::uint64_t seq = file_options.replay ? file_options.replay->seq : ++last_seq;
            std::size_t file_text_bytes = 0;
            // Hashed from the bytes parsed (read_input): no separate hash pass a rewrite could slip between.
            const InputStats input = read_input(path, file_options.format, file_options.reader, sink, [&](Review&& review) {
                if (file_options.tombstones != nullptr) {
                    if (auto found = file_options.tombstones->find(review.id);
                        found != file_options.tombstones->end() && found->second.seq > seq)
                        return;  // deleted after this batch: a rebuild leaves it out (index_writer.hpp)
                }
                file_text_bytes += review.body.size() + (review.headline ? review.headline->size() : 0);
                ++read_stats.records;
                emit(std::move(review), identity);
                if (progress) progress(file_index, read_stats.records, file_text_bytes);
            });
            read_stats.text_bytes += file_text_bytes;
            read_stats.rejected += input.rejected;
            if (input.unreadable || input.changed) {
                // A changed file's records are already in the parts: the whole load fails (all or nothing).
                if (input.changed) throw Error(ErrorKind::input, path + " changed while it was read; load it again");
                ++read_stats.unreadable_files;
                continue;
            }
            ++read_stats.files;
            if (!is_stdin || file_options.replay) {
                BatchLedgerEntry entry = make_ledger_entry(identity, input.hash, input, file_options);
                entry.seq = seq;
                entry.signature = input.signature;
                if (file_options.replay) {
                    entry.origin = file_options.replay->origin;
                    if (!entry.origin.empty()) entry.signature.clear();
                }
                ledger.push_back(std::move(entry));
            }
        }
    };
    BulkLoadStats stats = load(target, produce, ledger);
    stats.files = read_stats.files;
    stats.skipped_files = read_stats.skipped_files;
    stats.unreadable_files = read_stats.unreadable_files;
    stats.records = read_stats.records;
    stats.rejected = read_stats.rejected;
    stats.text_bytes = read_stats.text_bytes;
    return stats;
}

}  // namespace revsearch
