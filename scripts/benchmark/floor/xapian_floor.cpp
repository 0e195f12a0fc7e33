// xapian_floor: the benchmark's floor (docs/benchmarks.md). The least work Xapian can be given for the postings a
// search of our schema needs: each free-text field once, stemmed (STEM_ALL: one posting per word occurrence),
// with positions, under its field prefix, plus the unique id term. No document data, no values, no spelling, no
// ledger, no diacritic folding. It deliberately uses none of the project's code (only Xapian, libstemmer and
// nlohmann/json), so what it measures is the engine, not us.
//
// usage: xapian_floor [--jobs N] DB FILE...
//   serial: one WritableDatabase, one commit per file (as `revindex add` commits each batch file), each review
//           upserted by its id term (replace_document), as `revindex add` upserts.
//   --jobs N: one reading thread routes each review by a hash of its id to one of N threads, each with its own
//           scratch database (DB_DANGEROUS | DB_NO_SYNC, a commit every 1,000 documents), then Database::compact
//           merges the parts into DB: the shape of our bulk path (common/indexing/src/bulk_loader.cpp).

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "snowball_stem.hpp"

namespace {

struct Review {
    std::string id, headline, body, author, item;
};

std::string text_field(const nlohmann::json& record, const char* name) {
    auto it = record.find(name);
    if (it == record.end() || !it->is_string()) return {};
    const std::string& text = it->get_ref<const std::string&>();
    // aclImdb writes line breaks as "<br />"; our reader turns them into line breaks, so the floor drops them too
    // rather than indexing "br".
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    for (std::size_t at; (at = text.find("<br />", from)) != std::string::npos; from = at + 6)
        out.append(text, from, at - from).push_back('\n');
    out.append(text, from, std::string::npos);
    return out;
}

/// Calls `emit` for each review of `path`; false when the file cannot be read.
bool read_file(const std::string& path, const std::function<void(Review&&)>& emit) {
    std::ifstream in(path);
    if (!in) return false;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (!record.is_object() || !record.contains("id")) continue;
        const auto& id = record["id"];
        emit(Review{id.is_string() ? id.get<std::string>() : id.dump(), text_field(record, "headline"),
                    text_field(record, "body"), text_field(record, "author"), text_field(record, "item")});
    }
    return true;
}

class Builder {
public:
    Builder() {
        generator_.set_stemmer(Xapian::Stem(new Snowball));
        generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    }
    Xapian::Document build(const Review& review) {
        Xapian::Document doc;
        generator_.set_document(doc);
        generator_.index_text(review.body);
        generator_.increase_termpos();
        generator_.index_text(review.headline, 1, "S");
        generator_.index_text(review.author, 1, "A");
        generator_.index_text(review.item, 1, "XT");
        doc.add_boolean_term("Q" + review.id);
        return doc;
    }

private:
    Xapian::TermGenerator generator_;
};

int serial(const std::string& db_path, const std::vector<std::string>& files) {
    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
    Builder builder;
    for (const auto& file : files) {
        db.begin_transaction();
        bool ok = read_file(file, [&](Review&& review) {
            db.replace_document("Q" + review.id, builder.build(review));
        });
        db.commit_transaction();
        if (!ok) {
            std::cerr << "xapian_floor: cannot read " << file << '\n';
            return 2;
        }
    }
    db.close();
    return 0;
}

/// A bounded queue of review batches from the reading thread to one part.
class Queue {
public:
    void push(std::vector<Review>&& batch) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return items_.size() < 8; });
        items_.push_back(std::move(batch));
        not_empty_.notify_one();
    }
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_one();
    }
    std::optional<std::vector<Review>> pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
        if (items_.empty()) return std::nullopt;
        auto batch = std::move(items_.front());
        items_.pop_front();
        not_full_.notify_one();
        return batch;
    }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<std::vector<Review>> items_;
    bool closed_ = false;
};

int parallel(const std::string& db_path, const std::vector<std::string>& files, unsigned jobs) {
    namespace fs = std::filesystem;
    const fs::path work = fs::path(db_path).concat(".floor-parts");
    fs::remove_all(work);
    fs::remove_all(db_path);
    fs::create_directories(work);
    std::vector<Queue> queues(jobs);
    std::vector<std::thread> threads;
    for (unsigned part = 0; part < jobs; ++part) {
        threads.emplace_back([&, part] {
            Xapian::WritableDatabase db((work / std::to_string(part)).string(),
                                        Xapian::DB_CREATE | Xapian::DB_DANGEROUS | Xapian::DB_NO_SYNC);
            Builder builder;
            // A fresh part needs no id lookup, only for a repeated id (as the bulk path does).
            std::unordered_set<std::string> seen;
            std::size_t since_commit = 0;
            while (auto batch = queues[part].pop()) {
                for (auto& review : *batch) {
                    if (seen.insert(review.id).second)
                        db.add_document(builder.build(review));
                    else
                        db.replace_document("Q" + review.id, builder.build(review));
                    // Every 1,000 documents, as the bulk path's parts commit (bulk_loader.cpp says why).
                    if (++since_commit == 1000) {
                        db.commit();
                        since_commit = 0;
                    }
                }
            }
            db.commit();
            db.close();
        });
    }
    std::vector<std::vector<Review>> pending(jobs);
    int status = 0;
    for (const auto& file : files) {
        bool ok = read_file(file, [&](Review&& review) {
            auto part = std::hash<std::string>{}(review.id) % jobs;
            pending[part].push_back(std::move(review));
            if (pending[part].size() == 256) queues[part].push(std::exchange(pending[part], {}));
        });
        if (!ok) {
            std::cerr << "xapian_floor: cannot read " << file << '\n';
            status = 2;
            break;
        }
    }
    for (unsigned part = 0; part < jobs; ++part) {
        if (!pending[part].empty()) queues[part].push(std::move(pending[part]));
        queues[part].close();
    }
    for (auto& thread : threads) thread.join();
    if (status == 0) {
        Xapian::Database all;
        for (unsigned part = 0; part < jobs; ++part) all.add_database(Xapian::Database((work / std::to_string(part)).string()));
        all.compact(db_path);
    }
    fs::remove_all(work);
    return status;
}

}  // namespace

int main(int argc, char* argv[]) {
    std::vector<std::string> args(argv + 1, argv + argc);
    unsigned jobs = 1;
    if (args.size() >= 2 && args[0] == "--jobs") {
        jobs = static_cast<unsigned>(std::stoul(args[1]));
        args.erase(args.begin(), args.begin() + 2);
    }
    if (args.size() < 2 || jobs == 0) {
        std::cerr << "usage: xapian_floor [--jobs N] DB FILE...\n";
        return 2;
    }
    const std::string db = args[0];
    const std::vector<std::string> files(args.begin() + 1, args.end());
    try {
        return jobs == 1 ? serial(db, files) : parallel(db, files, jobs);
    } catch (const Xapian::Error& error) {
        std::cerr << "xapian_floor: " << error.get_description() << '\n';
    } catch (const std::exception& error) {
        std::cerr << "xapian_floor: " << error.what() << '\n';
    }
    return 2;
}
