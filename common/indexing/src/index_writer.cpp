#include "revsearch/index_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

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
        throw Xapian::DatabaseNotFoundError("no index at " + path);
    // The directory lock first (index_lock.hpp): a rebuild holds it across its switch of generations.
    std::optional<IndexLock> lock;
    try {
        lock = IndexLock::acquire(path, lock_timeout);
    } catch (const std::runtime_error& e) {
        throw Xapian::DatabaseError(e.what());  // callers report Xapian errors with the index path, exit 2
    }
    if (!lock) throw IndexLockedError("another revindex holds the index at " + path);
    lock->hold_until_exit();
    // A new index starts as generation 1 behind a stub, so that a rebuild can later switch atomically.
    if (mode == OpenMode::create_or_open && generations::inspect(path).layout == generations::Layout::missing)
        generations::create_layout(path, new_shard_count);
    const auto live = generations::live_database_path(path);
    if (!live) throw Xapian::DatabaseNotFoundError("no index at " + path);

    std::vector<Xapian::WritableDatabase> databases;
    for (const auto& shard : shards::shard_paths(*live)) {
        // Xapian reports a lock file it cannot create as a DatabaseLockError, the same as a lock another
        // process holds: a directory this user cannot write would wait out the timeout and blame another
        // revindex. Asked first, it fails at once with the real reason.
        if (::access(shard.c_str(), W_OK) != 0)
            throw Xapian::DatabaseError("cannot write " + shard.string(), std::strerror(errno));
        while (true) {
            try {
                databases.emplace_back(shard.string(), Xapian::DB_OPEN);
                break;
            } catch (const Xapian::DatabaseLockError&) {
                if (std::chrono::steady_clock::now() >= deadline)
                    throw IndexLockedError("another revindex holds the index at " + path);
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
                            options.csv_map};
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
            throw LanguageMismatchError("the index was built with language '" +
                                        recorded + "', not '" + *requested +
                                        "'; rebuild it in a new --db to change the language");
        make_snowball_stem(recorded);  // a damaged value fails here, before any document is written
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
    for (auto& shard : shards_) builders_.emplace_back(language, &shard);
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
        db_.add_document(builder_.build(review, source_path));
        return UpsertResult::added;
    }
    const Xapian::docid docid = *posting;
    Review fresh = review;
    fresh.source.clear();
    if (stored_review(db_.get_document(docid).get_data()) == fresh) return UpsertResult::unchanged;
    // The id term is unique (Q prefix): the document found is the only one to replace.
    db_.replace_document(docid, builder_.build(review, source_path));
    return UpsertResult::updated;
}

BatchOutcome IndexWriter::add_batch(const std::string& path, const BatchOptions& options, const ProblemSink& sink,
                                    const std::function<void(const BatchOutcome&)>& on_review) {
    BatchOutcome outcome;
    const bool is_stdin = path == "-";
    const std::string identity = batch_identity(path);

    // The hash is checked before parsing: an unchanged file costs one read and no Xapian work.
    std::string hash;
    if (!is_stdin) {
        try {
            hash = file_content_hash(path);
        } catch (const std::exception& e) {
            if (sink) sink(Problem{path, 0, Severity::error, e.what()});
            outcome.status = BatchOutcome::Status::unreadable;
            outcome.input.unreadable = true;
            return outcome;
        }
        if (auto entry = read_ledger_entry(ledger_shard(), identity); entry && entry->hash == hash) {
            outcome.status = BatchOutcome::Status::skipped;
            outcome.input.records = entry->records;
            outcome.input.rejected = entry->rejected;
            return outcome;
        }
    }

    for (auto& shard : shards_) shard.begin_transaction(/*flushed=*/true);
    try {
        outcome.input = read_input(path, options.format, options.reader, sink, [&](Review&& review) {
            outcome.text_bytes += review.body.size() + (review.headline ? review.headline->size() : 0);
            switch (upsert(review, identity)) {
                case UpsertResult::added: ++outcome.added; break;
                case UpsertResult::updated: ++outcome.updated; break;
                case UpsertResult::unchanged: ++outcome.unchanged; break;
            }
            if (on_review) on_review(outcome);
        });
    } catch (...) {
        cancel_transactions();
        throw;
    }

    if (outcome.input.unreadable || (options.strict && outcome.input.rejected > 0)) {
        cancel_transactions();
        outcome.status = outcome.input.unreadable ? BatchOutcome::Status::unreadable : BatchOutcome::Status::refused;
        outcome.added = outcome.updated = outcome.unchanged = 0;
        return outcome;
    }
    // Shard 0, with the ledger entry, commits last: its commit is the batch's. A crash before it leaves the
    // other shards ahead and the ledger without the batch, so the next add of the file reads it again and its
    // upserts complete it (docs/scaling.md).
    for (std::size_t i = shards_.size(); i-- > 1;) {
        shards_[i].commit_transaction();
        fault_point("between-shard-commits");
    }
    if (!is_stdin) {
        ledger_shard().set_metadata(ledger_key(identity),
                                    to_ledger_json(make_ledger_entry(identity, hash, outcome.input, options)));
    }
    ledger_shard().commit_transaction();
    return outcome;
}

void IndexWriter::cancel_transactions() {
    for (auto& shard : shards_) {
        try {
            shard.cancel_transaction();
        } catch (const Xapian::InvalidOperationError&) {
            // This shard's transaction had not begun: nothing to cancel.
        }
    }
}

}  // namespace revsearch
