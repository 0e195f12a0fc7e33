#include "revsearch/index_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "revsearch/analyzer.hpp"
#include "revsearch/batch_ledger.hpp"
#include "revsearch/fault_point.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/index_lock.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/shards.hpp"

namespace revsearch {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds lock_poll_interval{100};

/// Tells apart the staged spelling entries of two runs that applied the same sequence number (a sharded batch
/// that a crash between shard commits left in some shards, read again by the next add).
std::uint64_t random_suffix() {
    static std::mt19937_64 generator{std::random_device{}()};
    return generator();
}

/// The stored review with its source cleared, or nullopt when the stored data is not a review.
std::optional<Review> stored_review(const std::string& data) {
    const auto object = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) return std::nullopt;
    try {
        Review review = review_from_json(object);
        review.source.clear();
        return review;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// Whether document `docid` already holds `review` (its source aside). The record hash slot answers from the
/// postlist table's value stream; the stored record (docdata, zlib-compressed) is read only for a document
/// written before that slot existed. Besides saving the decompression, this keeps a re-add from reading
/// document data: Xapian 1.4.22 crashes (SIGSEGV) on some damaged docdata blocks instead of throwing.
bool holds_same_review(const Xapian::Database& db, Xapian::docid docid, const Review& review) {
    const Xapian::Document stored = db.get_document(docid, Xapian::DOC_ASSUME_VALID);
    const std::string stored_hash = stored.get_value(schema::record_hash);
    if (!stored_hash.empty()) return stored_hash == DocumentBuilder::record_hash(review);
    Review fresh = review;
    fresh.source.clear();
    return stored_review(stored.get_data()) == fresh;
}

}  // namespace

std::string batch_identity(const std::string& path) {
    if (path == "-") return "<stdin>";
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    if (ec) return path;
    return absolute.lexically_normal().string();
}

std::vector<Xapian::WritableDatabase> open_shards_for_writing(const std::string& path,
                                                              std::chrono::milliseconds lock_timeout, OpenMode mode,
                                                              unsigned new_shard_count) {
    const auto deadline = std::chrono::steady_clock::now() + lock_timeout;
    std::error_code ec;
    if (mode == OpenMode::open_existing && !fs::is_directory(path, ec))
        throw Error(ErrorKind::not_found, "no index at " + path);
    // The directory lock first (index_lock.hpp): a rebuild holds it across its switch of generations.
    IndexLock::take(path, lock_timeout).hold_until_exit();
    // Scratch a killed writer left (add --jobs parts, a stream's copy in progress) goes at the next lock.
    generations::remove_stale_scratch(path);
    // A new index starts as generation 1 behind a stub, so that a rebuild can later switch atomically.
    if (mode == OpenMode::create_or_open && generations::inspect(path).layout == generations::Layout::missing)
        generations::create_layout(path, new_shard_count);
    const auto live = generations::live_database_path(path);
    if (!live) throw Error(ErrorKind::not_found, "no index at " + path);

    std::vector<Xapian::WritableDatabase> databases;
    for (const auto& shard : shards::shard_paths(*live)) {
        // Xapian reports a lock file it cannot create as a DatabaseLockError, the same as a lock another
        // process holds: a directory this user cannot write would wait out the timeout and blame another
        // revindex. Asked first, it fails at once with the real reason.
        if (::access(shard.c_str(), W_OK) != 0)
            throw Error(ErrorKind::io, "cannot write " + shard.string() + ": " + std::strerror(errno));
        while (true) {
            try {
                databases.emplace_back(shard.string(), Xapian::DB_OPEN);
                break;
            } catch (const Xapian::DatabaseLockError&) {
                if (std::chrono::steady_clock::now() >= deadline)
                    throw locked_error(path, lock_timeout);
                std::this_thread::sleep_for(lock_poll_interval);
            }
        }
    }
    return databases;
}

BatchLedgerEntry make_ledger_entry(const std::string& identity, const std::string& hash, const InputStats& input,
                                   const BatchOptions& options) {
    return BatchLedgerEntry{identity,
                            hash,
                            input.records,
                            input.rejected,
                            utc_timestamp_now(),
                            options.format ? std::string(format_name(*options.format)) : std::string(),
                            options.csv_map,
                            0,
                            "",
                            "",
                            options.json_map};
}

BatchOptions options_from_ledger(const BatchLedgerEntry& entry) {
    BatchOptions options;
    if (!entry.format.empty()) {
        options.format = parse_format(entry.format);
        if (!options.format)
            throw std::invalid_argument("the ledger records format '" + entry.format + "' for " + entry.path);
    }
    if (!entry.csv_map.empty()) {
        options.reader.csv = CsvMapping::parse(entry.csv_map);
        options.csv_map = entry.csv_map;
    }
    if (!entry.json_map.empty()) {
        options.reader.json = JsonMapping::parse(entry.json_map);
        options.json_map = entry.json_map;
    }
    return options;
}

Xapian::WritableDatabase open_index_for_writing(const std::string& path, std::chrono::milliseconds lock_timeout,
                                                OpenMode mode) {
    auto databases = open_shards_for_writing(path, lock_timeout, mode, 1);
    if (databases.size() != 1)
        throw Xapian::InvalidOperationError(path + " is a sharded index: open its shards (open_shards_for_writing)");
    return databases.front();
}

unsigned shard_count_of(const std::string& path) {
    const auto live = generations::live_database_path(path);
    return live ? static_cast<unsigned>(shards::shard_paths(*live).size()) : 0;
}

std::string settle_index_language(Xapian::WritableDatabase& db, const std::optional<std::string>& requested) {
    const std::string recorded = db.get_metadata(std::string(schema::meta_language));
    if (!recorded.empty()) {
        if (requested && *requested != recorded)
            throw Error(ErrorKind::refused,
                        "the index was built with language '" + recorded + "', not '" + *requested + "'",
                        Remedy::rebuild_elsewhere);
        make_snowball_stem(recorded);  // a damaged value fails here, before any document is written
        // Another layout's terms (schema.hpp) mixed with this one's would search neither right.
        const std::string version = db.get_metadata(std::string(schema::meta_schema_version));
        if (!version.empty() && version != std::to_string(schema::version))
            throw Error(ErrorKind::refused,
                        "the index has schema version " + version + ", this revindex writes version " +
                            std::to_string(schema::version) + " (its terms differ)",
                        Remedy::rebuild_index);
        return recorded;
    }
    const std::string language = requested.value_or(std::string(default_language));
    make_snowball_stem(language);  // throws std::invalid_argument listing the valid names
    // Written outside a batch transaction; begin_transaction(flushed=true) commits it with the first batch.
    db.set_metadata(std::string(schema::meta_language), language);
    db.set_metadata(std::string(schema::meta_schema_version), std::to_string(schema::version));
    return language;
}

IndexWriter::IndexWriter(Xapian::WritableDatabase& db, const std::string& language)
    : IndexWriter(std::vector<Xapian::WritableDatabase>{db}, language) {}

IndexWriter::IndexWriter(std::vector<Xapian::WritableDatabase> shards, const std::string& language)
    : shards_(std::move(shards)) {
    if (shards_.empty()) throw std::invalid_argument("IndexWriter needs at least one database");
    builders_.reserve(shards_.size());
    // Each shard keeps the spelling table of its own reviews; Xapian sums them when the shards are read together.
    for (std::size_t i = 0; i < shards_.size(); ++i) builders_.emplace_back(language);
    spelling_.resize(shards_.size());
    staged_spelling_.resize(shards_.size());
    staged_keys_.resize(shards_.size());
    recover_staged_spelling();
}

void IndexWriter::recover_staged_spelling() {
    const std::string prefix(schema::meta_spelling_prefix);
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        Xapian::WritableDatabase& shard = shards_[i];
        for (auto key = shard.metadata_keys_begin(prefix); key != shard.metadata_keys_end(prefix); ++key) {
            // An entry that does not parse is still removed with the others: it can only be damage.
            staged_spelling_[i].add_serialised(shard.get_metadata(*key));
            staged_keys_[i].push_back(*key);
        }
    }
}

void IndexWriter::apply_staged_spelling(std::size_t shard) {
    staged_spelling_[shard].write_to(shards_[shard]);
    for (const auto& key : staged_keys_[shard]) shards_[shard].set_metadata(key, "");
}

void IndexWriter::write_staged_spelling() {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        if (staged_keys_[i].empty() && staged_spelling_[i].empty()) continue;
        apply_staged_spelling(i);
        shards_[i].commit();
        staged_keys_[i].clear();
    }
}

IndexWriter IndexWriter::open(const std::string& dir, std::chrono::milliseconds lock_timeout, OpenMode mode,
                              const std::optional<std::string>& language, unsigned new_shard_count) {
    auto shards = open_shards_for_writing(dir, lock_timeout, mode, new_shard_count);
    std::string index_language;
    if (mode == OpenMode::create_or_open) {
        index_language = settle_index_language(shards.front(), language);
        for (auto& shard : shards) settle_index_language(shard, index_language);
    } else {
        index_language = shards.front().get_metadata(std::string(schema::meta_language));
        if (index_language.empty()) index_language = default_language;
    }
    IndexWriter writer(std::move(shards), index_language);
    writer.keep_stream_copies_in(dir);
    writer.report_repeats();
    return writer;
}

void IndexWriter::close() {
    write_staged_spelling();
    for (auto& shard : shards_) shard.close();
}

void IndexWriter::flush_spelling() {
    for (std::size_t i = 0; i < shards_.size(); ++i) spelling_[i].write_to(shards_[i]);
}

UpsertResult IndexWriter::upsert(const Review& review, std::string_view source_path) {
    const unsigned shard = shards::shard_of(review.id, static_cast<unsigned>(shards_.size()));
    Xapian::WritableDatabase& db_ = shards_[shard];
    DocumentBuilder& builder_ = builders_[shard];
    const std::string id_term = DocumentBuilder::id_term(review.id);
    // A WritableDatabase sees its own uncommitted changes, so a review read twice in one batch is found here.
    auto posting = db_.postlist_begin(id_term);
    const bool exists = posting != db_.postlist_end(id_term);
    if (!exists) {
        // The lookup above is the one replace_document(term, ...) would repeat: skip it (a third of the time
        // of a fresh index, measured on aclImdb).
        Xapian::Document doc = builder_.build(review, source_path, &spelling_[shard]);
        mark_written(shard, db_.add_document(doc));
        return UpsertResult::added;
    }
    const Xapian::docid docid = *posting;
    const bool first_in_run = mark_written(shard, docid);
    const UpsertResult result = first_in_run ? UpsertResult::updated : UpsertResult::repeated;
    if (holds_same_review(db_, docid, review)) return first_in_run ? UpsertResult::unchanged : result;
    // The id term is unique (Q prefix): the document found is the only one to replace. A repeat that differs
    // replaces too: the later record wins (docs/indexing.md).
    // Same text, new votes or rating (a page scraped again): the stored document with new values and data is
    // replaced by itself, which Xapian recognises (the document object it last handed out), and then rewrites
    // no posting or position list of the review's words. A new document instead rewrites the position list of
    // every word, each in another block of a big index: 1,000 such updates wrote 372 MB into 200,000 reviews
    // (docs/indexing.md, "Adding to a big index"). Its words are already in the spelling table.
    Xapian::Document stored = db_.get_document(docid);
    if (const auto before = stored_review(stored.get_data());
        before && DocumentBuilder::same_terms(*before, review)) {
        builder_.refresh(stored, review, source_path);
        db_.replace_document(docid, stored);
        return result;
    }
    Xapian::Document doc = builder_.build(review, source_path, &spelling_[shard]);
    db_.replace_document(docid, doc);
    return result;
}

bool IndexWriter::mark_written(std::size_t shard, Xapian::docid docid) {
    if (!report_repeats_) return true;
    if (written_.size() < shards_.size()) written_.resize(shards_.size());
    auto& bits = written_[shard];
    if (bits.size() <= docid) bits.resize(std::max<std::size_t>(docid + 1, bits.size() * 2));
    if (bits[docid]) return false;
    bits[docid] = true;
    marked_in_batch_.push_back((static_cast<std::uint64_t>(shard) << 32) | docid);
    return true;
}

namespace {

/// A stream batch being copied into DIR/inputs: renamed to its final name only once the batch commits, removed
/// otherwise (a killed add leaves a .incoming-* file that the next one's scratch cleanup removes).
struct KeptCopy {
    fs::path temp, final_path;
    std::ofstream out;
    bool kept = false;
    ~KeptCopy() {
        if (kept) return;
        std::error_code ignored;
        out.close();
        fs::remove(temp, ignored);
    }
    void keep() {
        out.flush();
        if (!out) throw Error(ErrorKind::io, "cannot write the copy of the input " + temp.string());
        out.close();
        // Durable before the ledger names it: the batch's commit must never point at a file a crash lost.
        if (int fd = ::open(temp.c_str(), O_RDONLY); fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
        fs::rename(temp, final_path);
        if (int fd = ::open(final_path.parent_path().c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
        kept = true;
    }
};

}  // namespace

BatchOutcome IndexWriter::add_batch(const std::string& path, const BatchOptions& options, const ProblemSink& sink,
                                    const std::function<void(const BatchOutcome&)>& on_review) {
    BatchOutcome outcome;
    const bool stream = is_stream_input(path);
    const std::string name = path == "-" ? "<stdin>" : path;
    std::string identity = options.replay ? options.replay->path : batch_identity(path);

    // The same file, unchanged since it was recorded (device, inode, size, mtime): skipped without being read.
    std::optional<BatchLedgerEntry> recorded;
    if (!stream && !options.replay) {
        recorded = read_ledger_entry(ledger_shard(), identity);
        if (recorded && !recorded->signature.empty() && recorded->signature == file_signature(path)) {
            outcome.status = BatchOutcome::Status::skipped;
            outcome.input.records = recorded->records;
            outcome.input.rejected = recorded->rejected;
            return outcome;
        }
    }
    const std::uint64_t seq = options.replay ? options.replay->seq : last_sequence(ledger_shard()) + 1;

    std::optional<KeptCopy> copy;
    if (stream && !options.replay && !index_dir_.empty()) {
        const fs::path inputs = fs::path(index_dir_) / kept_inputs_dir;
        fs::create_directories(inputs);
        identity = fmt::format("{}/stdin-{:06}", kept_inputs_dir, seq);
        copy.emplace();
        copy->final_path = fs::path(index_dir_) / identity;
        copy->temp = fs::path(index_dir_) / fmt::format("{}{}-{:06}", generations::scratch_prefix, ::getpid(), seq);
        copy->out.open(copy->temp, std::ios::binary | std::ios::trunc);
        if (!copy->out) throw Error(ErrorKind::io, "cannot write " + copy->temp.string() + ": " + std::strerror(errno));
    }

    begin_transactions();
    try {
        outcome.input = read_input(path, options.format, options.reader, sink, [&](Review&& review) {
            if (options.tombstones != nullptr) {
                // A rebuild: a review deleted after this batch was applied stays deleted (docs/indexing.md).
                if (auto found = options.tombstones->find(review.id);
                    found != options.tombstones->end() && found->second.seq > seq) {
                    ++outcome.withheld;
                    return;
                }
            }
            outcome.text_bytes += review.body.size() + (review.headline ? review.headline->size() : 0);
            switch (upsert(review, identity)) {
                case UpsertResult::added: ++outcome.added; break;
                case UpsertResult::updated: ++outcome.updated; break;
                case UpsertResult::unchanged: ++outcome.unchanged; break;
                case UpsertResult::repeated: ++outcome.repeated; break;
            }
            if (on_review) on_review(outcome);
        }, copy ? &copy->out : nullptr);
    } catch (...) {
        cancel_transactions();
        throw;
    }

    auto cancel_with = [&](BatchOutcome::Status status) {
        cancel_transactions();
        outcome.status = status;
        outcome.added = outcome.updated = outcome.unchanged = outcome.repeated = 0;
        return outcome;
    };
    if (outcome.input.unreadable) return cancel_with(BatchOutcome::Status::unreadable);
    if (outcome.input.changed) return cancel_with(BatchOutcome::Status::changed);
    if (options.strict && outcome.input.rejected > 0) return cancel_with(BatchOutcome::Status::refused);
    if (recorded && recorded->hash == outcome.input.hash) {
        // Touched or copied back, same bytes: nothing new. Its signature is recorded so that the next add skips
        // it unread; its place in the order (seq) stays where its content was first applied.
        cancel_with(BatchOutcome::Status::skipped);
        if (!outcome.input.signature.empty() && recorded->signature != outcome.input.signature) {
            BatchLedgerEntry entry = *recorded;
            entry.signature = outcome.input.signature;
            ledger_shard().set_metadata(ledger_key(identity), to_ledger_json(entry));
            ledger_shard().commit();
        }
        return outcome;
    }
    if (copy && outcome.added == 0 && outcome.updated == 0) {
        // A stream that changed nothing (read again, or empty of good records) needs no copy to replay.
        return cancel_with(BatchOutcome::Status::skipped);
    }
    // The batch's spelling counts, staged in its transaction (write_staged_spelling says why), or with what is
    // staged written into the table in it.
    std::vector<std::string> staged(shards_.size());
    const bool write_spelling = std::exchange(spelling_with_next_batch_, false);
    for (std::size_t i = 0; write_spelling && i < shards_.size(); ++i) {
        staged_spelling_[i].merge_from(spelling_[i]);
        apply_staged_spelling(i);
    }
    for (std::size_t i = 0; !write_spelling && i < shards_.size(); ++i) {
        std::string counts = spelling_[i].serialise();
        if (counts.empty()) {
            spelling_[i].clear();
            continue;
        }
        staged[i] = fmt::format("{}{:020}.{:016x}", schema::meta_spelling_prefix, seq, random_suffix());
        shards_[i].set_metadata(staged[i], counts);
    }
    commit_transactions([&] {
        if (stream && !copy && !options.replay) return;  // a stream not kept is not recorded
        if (copy) copy->keep();
        BatchLedgerEntry entry = make_ledger_entry(identity, outcome.input.hash, outcome.input, options);
        entry.seq = seq;
        entry.signature = outcome.input.signature;
        if (options.replay) {
            entry.origin = options.replay->origin;
            if (!entry.origin.empty()) entry.signature.clear();  // a kept copy is matched by nothing but its path
        } else if (copy) {
            entry.origin = name;
            entry.signature.clear();
            // Read as it was detected now, whatever a later version would guess from it.
            if (outcome.input.format) entry.format = std::string(format_name(*outcome.input.format));
        }
        ledger_shard().set_metadata(ledger_key(identity), to_ledger_json(entry));
        if (seq > last_sequence(ledger_shard())) set_last_sequence(ledger_shard(), seq);
    });
    if (write_spelling)
        for (auto& keys : staged_keys_) keys.clear();
    bool over_limit = false;
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        if (staged[i].empty()) continue;
        staged_spelling_[i].merge_from(spelling_[i]);
        staged_keys_[i].push_back(std::move(staged[i]));
        over_limit = over_limit || staged_spelling_[i].size() > staged_spelling_limit;
    }
    if (over_limit) write_staged_spelling();
    return outcome;
}

void IndexWriter::begin_transactions() {
    marked_in_batch_.clear();
    for (auto& shard : shards_) shard.begin_transaction(/*flushed=*/true);
}

void IndexWriter::commit_transactions(const std::function<void()>& record_in_ledger) {
    // Shard 0, with the ledger, commits last: its commit is the change's. A crash before it leaves the other
    // shards ahead and the ledger without the change: the next add of the file reads it again and its upserts
    // complete it; a delete run again finds what is left (docs/scaling.md).
    for (std::size_t i = shards_.size(); i-- > 1;) {
        shards_[i].commit_transaction();
        fault_point("between-shard-commits");
    }
    try {
        record_in_ledger();
    } catch (...) {
        cancel_transactions();
        throw;
    }
    ledger_shard().commit_transaction();
}

Xapian::doccount IndexWriter::erase_everywhere(const std::string& term, const Tombstone& tombstone,
                                               std::size_t& tombstones) {
    // Each term is looked for in every shard: a review is where its id hashes to, but a delete should not depend
    // on that to find it. Every review deleted gets a tombstone in the same transaction, so that no rebuild or
    // compaction brings it back from a batch applied before this deletion (batch_ledger.hpp).
    const std::string prefix(schema::id_prefix);
    Xapian::doccount found = 0;
    for (auto& shard : shards_) {
        for (auto posting = shard.postlist_begin(term); posting != shard.postlist_end(term); ++posting) {
            auto id_term = shard.termlist_begin(*posting);
            id_term.skip_to(prefix);
            if (id_term == shard.termlist_end(*posting) || !(*id_term).starts_with(prefix)) continue;
            write_tombstone(ledger_shard(), (*id_term).substr(prefix.size()), tombstone);
            ++tombstones;
        }
        const Xapian::doccount here = shard.get_termfreq(term);
        if (here > 0) shard.delete_document(term);
        found += here;
    }
    return found;
}

Erasure IndexWriter::erase(const std::vector<std::string>& review_ids, const std::optional<std::string>& batch,
                           const std::string& reason) {
    Erasure erasure;
    begin_transactions();
    try {
        const std::uint64_t seq = last_sequence(ledger_shard()) + 1;
        const Tombstone tombstone{seq, utc_timestamp_now(), reason};
        std::size_t tombstones = 0;
        for (const auto& id : review_ids) {
            const Xapian::doccount found = erase_everywhere(DocumentBuilder::id_term(id), tombstone, tombstones);
            if (found == 0) erasure.missing_ids.push_back(id);
            erasure.deleted += found;
        }
        if (batch) {
            // A kept stream batch is recorded relative to the index ("inputs/stdin-000002"): named so, it is that one.
            const bool kept_stream = !ledger_shard().get_metadata(ledger_key(*batch)).empty();
            erasure.batch_identity = kept_stream ? *batch : batch_identity(*batch);
            erasure.deleted += erase_everywhere(schema::source_term(erasure.batch_identity), tombstone, tombstones);
            erasure.batch_forgotten = !ledger_shard().get_metadata(ledger_key(erasure.batch_identity)).empty();
        }
        commit_transactions([&] {
            if (erasure.batch_forgotten) ledger_shard().set_metadata(ledger_key(erasure.batch_identity), "");
            if (tombstones > 0) set_last_sequence(ledger_shard(), seq);
        });
    } catch (...) {
        cancel_transactions();
        throw;
    }
    return erasure;
}

void IndexWriter::cancel_transactions() {
    // A cancelled batch's new documents are gone and their ids may be handed out again.
    for (const std::uint64_t mark : marked_in_batch_) written_[mark >> 32][mark & 0xffffffffu] = false;
    marked_in_batch_.clear();
    for (auto& counter : spelling_) counter.clear();
    for (auto& shard : shards_) {
        try {
            shard.cancel_transaction();
        } catch (const Xapian::InvalidOperationError&) {
            // This shard's transaction had not begun: nothing to cancel.
        }
    }
}

}  // namespace revsearch
