// xapian_floor: the benchmark's floor (docs/benchmarks.md). The least work Xapian can be given for the postings a
// search of our schema needs: each free-text field once, stemmed (STEM_ALL: one posting per word occurrence),
// with positions, under its field prefix, plus the unique id term. No document data, no values, no spelling, no
// ledger, no diacritic folding. It deliberately uses none of the project's code (only Xapian, libstemmer and
// nlohmann/json), so what it measures is the engine, not us.
//
// usage: xapian_floor [--jobs N | --append] [--with FEATURE[,FEATURE...]]... DB FILE...
//   --append        add to the database at DB (a stub file or a glass directory: e.g. a copy of our index) instead
//                   of creating it anew: the floor of adding reviews to a big index (scripts/bench --growth)
//   --with adds, through Xapian alone, the engine's share of a feature our schema keeps
//   (common/schema/include/revsearch/schema.hpp, document_builder.cpp), done as our writer does it, so that
//   ours / (the floor --with all) is what our own code costs (issue 15; docs/benchmarks.md, "The two floors"):
//     record          set_data of the review's canonical JSON line (to_json_line's key order and layout, the
//                     source as "absolute path:line")
//     values          the value slots: sortable_serialise'd rating (0..1, 0..10, as shown, its scale), votes,
//                     Wilson bound, prior in whole steps; the date as YYYYMMDD; the body and record hashes as
//                     32 hex digits (std::hash here: our xxHash is our cost, the 32 bytes are the engine's)
//     spelling        each body and headline word as the stemmer receives it counted per batch file; the counts
//                     staged as metadata in the batch's transaction, and written with one add_spelling per
//                     distinct word in the last file's (IndexWriter::add_batch); --jobs: per part, at its end
//     filters         the boolean terms XI (item id), XA (author, lower-cased), XF (batch path hash), XSPOILER
//     headline-twice  the headline unprefixed too (the default field), besides under S
//     all             every one of them
//   Without --with it does exactly what it did before the switches existed (the benchmark's floor figures).
//   serial: one WritableDatabase, one commit per file (as `revindex add` commits each batch file), each review
//           upserted by its id term (replace_document), as `revindex add` upserts.
//   --jobs N: one reading thread routes each review by a hash of its id to one of N threads, each with its own
//           scratch database (DB_DANGEROUS | DB_NO_SYNC, a commit every 1,000 documents), then Database::compact
//           merges the parts into DB: the shape of our bulk path (common/indexing/src/bulk_loader.cpp).

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "snowball_stem.hpp"

namespace {

enum Feature : unsigned {
    record = 1,
    values = 2,
    spelling = 4,
    filters = 8,
    headline_twice = 16,
    all = 31,
};

/// The bits of a comma-separated feature list ("record,values", "all"); nullopt names an unknown one.
std::optional<unsigned> parse_features(const std::string& list) {
    static const std::vector<std::pair<std::string, unsigned>> names = {
        {"record", record}, {"values", values}, {"spelling", spelling}, {"filters", filters},
        {"headline-twice", headline_twice}, {"all", all}};
    unsigned bits = 0;
    std::size_t from = 0;
    while (true) {
        const auto comma = list.find(',', from);
        const std::string name = list.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        auto it = std::find_if(names.begin(), names.end(), [&](const auto& entry) { return entry.first == name; });
        if (it == names.end()) return std::nullopt;
        bits |= it->second;
        if (comma == std::string::npos) return bits;
        from = comma + 1;
    }
}

struct Review {
    std::string id, headline, body, author, item;
    // Only with a feature that reads them (empty otherwise): the parsed record, and where it was read.
    nlohmann::json fields;
    std::string source;  // "absolute path:line"
    std::string path;    // absolute path
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

/// Calls `emit` for each review of `path`; false when the file cannot be read. With `keep_fields`, each review
/// also carries its parsed record and where it was read (the features need them).
bool read_file(const std::string& path, const std::function<void(Review&&)>& emit, bool keep_fields = false) {
    std::ifstream in(path);
    if (!in) return false;
    const std::string absolute = keep_fields ? std::filesystem::absolute(path).lexically_normal().string() : "";
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.empty()) continue;
        auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (!record.is_object() || !record.contains("id")) continue;
        const auto& id = record["id"];
        Review review{id.is_string() ? id.get<std::string>() : id.dump(), text_field(record, "headline"),
                      text_field(record, "body"), text_field(record, "author"), text_field(record, "item"),
                      {}, {}, {}};
        if (keep_fields) {
            review.fields = std::move(record);
            review.source = absolute + ':' + std::to_string(line_number);
            review.path = absolute;
        }
        emit(std::move(review));
    }
    return true;
}

/// 32 hex digits, as our content hashes (xxHash 128) print: the bytes the engine stores, not our hash's cost.
std::string hex32(std::string_view text) {
    const std::size_t high = std::hash<std::string_view>{}(text);
    const std::uint64_t low = static_cast<std::uint64_t>(high) * 0x9E3779B97F4A7C15ull ^ text.size();
    char out[33];
    std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(high),
                  static_cast<unsigned long long>(low));
    return out;
}

std::optional<double> number_field(const nlohmann::json& fields, const char* name) {
    auto it = fields.find(name);
    if (it == fields.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

/// The canonical JSON line our writer stores (common/core/src/review.cpp, to_json_line): every key, in this order,
/// absent ones null; the text fields as read (line breaks for "<br />").
std::string canonical_line(const Review& review) {
    auto same = [&](const char* name) {
        auto it = review.fields.find(name);
        return it == review.fields.end() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(*it);
    };
    auto text = [&](const char* name, const std::string& cleaned) {
        auto it = review.fields.find(name);
        return it == review.fields.end() || !it->is_string() ? nlohmann::ordered_json(nullptr)
                                                             : nlohmann::ordered_json(cleaned);
    };
    auto spoiler = review.fields.find("spoiler");
    const nlohmann::ordered_json line = {
        {"id", review.id},
        {"source", review.source},
        {"item", text("item", review.item)},
        {"item_id", same("item_id")},
        {"item_year", same("item_year")},
        {"headline", text("headline", review.headline)},
        {"author", text("author", review.author)},
        {"byline", same("byline")},
        {"date", same("date")},
        {"rating", same("rating")},
        {"rating_max", same("rating_max")},
        {"helpful_yes", same("helpful_yes")},
        {"helpful_total", same("helpful_total")},
        {"spoiler", spoiler != review.fields.end() && spoiler->is_boolean() && spoiler->get<bool>()},
        {"body", review.body},
    };
    return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// The value slots of schema.hpp, with the same encodings (common/schema/src/document_builder.cpp,
/// set_values_and_data; the Wilson bound of helpfulness.cpp; prior_level of signal_prior.hpp).
void add_values(Xapian::Document& doc, const Review& review, const std::string& record_line) {
    const auto rating = number_field(review.fields, "rating"), scale = number_field(review.fields, "rating_max");
    std::optional<double> normalised;
    if (rating && scale && *scale > 0 && *rating / *scale >= 0 && *rating / *scale <= 1) normalised = *rating / *scale;
    doc.add_value(0, Xapian::sortable_serialise(normalised.value_or(0.5)));
    if (normalised) {
        doc.add_value(1, Xapian::sortable_serialise(*normalised * 10));
        doc.add_value(9, Xapian::sortable_serialise(*rating));
        doc.add_value(10, Xapian::sortable_serialise(*scale));
    }
    const auto yes = number_field(review.fields, "helpful_yes"), total = number_field(review.fields, "helpful_total");
    if (total) doc.add_value(3, Xapian::sortable_serialise(*total));
    double helpful = 0;
    if (yes && total && *total > 0) {
        const double n = *total, p = std::clamp(*yes, 0.0, n) / n, z = 1.959963984540054, z2 = z * z;
        helpful = std::max(0.0, (p + z2 / (2 * n) - z * std::sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n));
    }
    doc.add_value(4, Xapian::sortable_serialise(helpful));
    const double prior = std::round((0.075 * helpful + 0.015 * normalised.value_or(0.5)) / ((0.075 + 0.015) / 4095));
    doc.add_value(11, Xapian::sortable_serialise(std::clamp(prior, 0.0, 4095.0)));
    auto date = review.fields.find("date");
    if (date != review.fields.end() && date->is_string() && date->get_ref<const std::string&>().size() == 10) {
        const std::string& iso = date->get_ref<const std::string&>();
        doc.add_value(5, iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2));
    }
    doc.add_value(7, hex32(review.body));
    doc.add_value(8, hex32(record_line));
}

/// The boolean filter terms of schema.hpp (Q is the floor's own): XI item id, XA author, XF batch, XSPOILER.
void add_filter_terms(Xapian::Document& doc, const Review& review) {
    auto term = [](std::string prefix, const std::string& value) {
        return prefix.append(value, 0, 245 - prefix.size());  // Xapian's term length limit
    };
    auto item_id = review.fields.find("item_id");
    if (item_id != review.fields.end() && item_id->is_string() && !item_id->get_ref<const std::string&>().empty())
        doc.add_boolean_term(term("XI", item_id->get<std::string>()));
    if (!review.author.empty()) doc.add_boolean_term(term("XA", Xapian::Unicode::tolower(review.author)));
    doc.add_boolean_term("XF" + hex32(review.path));
    auto spoiler = review.fields.find("spoiler");
    if (spoiler != review.fields.end() && spoiler->is_boolean() && spoiler->get<bool>()) doc.add_boolean_term("XSPOILER");
}

/// Spelling words counted as our writer counts them (SpellingCounter): each occurrence, as written.
using WordCounts = std::unordered_map<std::string, Xapian::termcount>;

/// The Snowball stemmer, handing each word it stems to a WordCounts while one is set: with STEM_ALL,
/// TermGenerator stems every word occurrence, as written (lower-cased), which is what the spelling table holds
/// (the index holds only stems). Our DocumentBuilder counts the same way (WordRecordingStem).
class CountingSnowball final : public Xapian::StemImplementation {
public:
    std::string operator()(const std::string& word) override {
        if (counts != nullptr) ++(*counts)[word];
        return snowball_(word);
    }
    std::string get_description() const override { return snowball_.get_description(); }
    WordCounts* counts = nullptr;

private:
    Snowball snowball_;
};

/// What our spelling table takes (spelling_table.cpp, belongs_in_spelling): two bytes or more, not capitalised,
/// no digit.
bool belongs_in_spelling(const std::string& word) {
    return word.size() >= 2 && !(word.front() >= 'A' && word.front() <= 'Z') &&
           std::none_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void add_spelling(Xapian::WritableDatabase& db, WordCounts& counts) {
    for (const auto& [word, count] : counts)
        if (belongs_in_spelling(word)) db.add_spelling(word, count);
    counts.clear();
}

class Builder {
public:
    explicit Builder(unsigned features = 0) : features_(features) {
        if (features_ & spelling) {
            counting_ = new CountingSnowball;
            generator_.set_stemmer(Xapian::Stem(counting_));  // Xapian::Stem owns it (reference counted)
        } else {
            generator_.set_stemmer(Xapian::Stem(new Snowball));
        }
        generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    }
    Xapian::Document build(const Review& review) {
        Xapian::Document doc;
        generator_.set_document(doc);
        if (counting_) counting_->counts = &words_;
        generator_.index_text(review.body);
        generator_.increase_termpos();
        // Spelling words come from one copy of the headline: the unprefixed one when there is one, as ours.
        if (counting_ && (features_ & headline_twice)) counting_->counts = nullptr;
        generator_.index_text(review.headline, 1, "S");
        if (features_ & headline_twice) {
            if (counting_) counting_->counts = &words_;
            generator_.index_text(review.headline);
        }
        if (counting_) counting_->counts = nullptr;
        generator_.index_text(review.author, 1, "A");
        generator_.index_text(review.item, 1, "XT");
        doc.add_boolean_term("Q" + review.id);
        if (features_ & filters) add_filter_terms(doc, review);
        if (features_ & (record | values)) {
            std::string line = canonical_line(review);
            if (features_ & values) add_values(doc, review, line);
            if (features_ & record) doc.set_data(std::move(line));
        }
        return doc;
    }
    /// The spelling words counted since the last call (empty without the spelling feature).
    WordCounts& words() { return words_; }

private:
    unsigned features_;
    CountingSnowball* counting_ = nullptr;  // owned by generator_'s stemmer; set with the spelling feature
    WordCounts words_;
    Xapian::TermGenerator generator_;
};

/// One "word count" line per word that belongs in the table: what our writer stages in a batch's metadata.
std::string serialise(const WordCounts& counts) {
    std::string text;
    for (const auto& [word, count] : counts)
        if (belongs_in_spelling(word)) text.append(word).append(1, ' ').append(std::to_string(count)).append(1, '\n');
    return text;
}

int serial(const std::string& db_path, const std::vector<std::string>& files, unsigned features, bool append) {
    Xapian::WritableDatabase db(db_path, append ? Xapian::DB_OPEN : Xapian::DB_CREATE_OR_OVERWRITE);
    Builder builder(features);
    // The spelling feature as IndexWriter::add_batch does it: each file's counts staged as metadata in its
    // transaction (and kept in memory); the last file writes everything staged into the table and empties the
    // staged entries, in its own transaction.
    WordCounts staged;
    std::vector<std::string> staged_keys;
    for (const auto& file : files) {
        db.begin_transaction();
        bool ok = read_file(file, [&](Review&& review) {
            db.replace_document("Q" + review.id, builder.build(review));
        }, features & (record | values | filters));
        if (features & spelling) {
            for (const auto& [word, count] : builder.words()) staged[word] += count;
            if (&file != &files.back()) {
                char key[64];
                std::snprintf(key, sizeof key, "revsearch.spelling:%020zu.%016zx", staged_keys.size() + 1,
                              std::hash<std::string>{}(file));
                staged_keys.emplace_back(key);
                db.set_metadata(key, serialise(builder.words()));
            } else {
                add_spelling(db, staged);
                for (const auto& key : staged_keys) db.set_metadata(key, "");
            }
            builder.words().clear();
        }
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

int parallel(const std::string& db_path, const std::vector<std::string>& files, unsigned jobs, unsigned features) {
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
            Builder builder(features);
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
            // Spelling: each part writes its counts once, at its end, as the bulk loader's parts do.
            add_spelling(db, builder.words());
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
        }, features & (record | values | filters));
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
    const char* usage =
        "usage: xapian_floor [--jobs N | --append] [--with FEATURE[,FEATURE...]]... DB FILE...\n"
        "  FEATURE: record, values, spelling, filters, headline-twice, all\n";
    std::vector<std::string> args;
    unsigned jobs = 1, features = 0;
    bool append = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--jobs" || arg == "--with") && i + 1 == argc) {
            std::cerr << "xapian_floor: " << arg << " needs a value\n" << usage;
            return 2;
        }
        if (arg == "--jobs") {
            const std::string value = argv[++i];
            if (value.empty() || value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos) {
                std::cerr << "xapian_floor: --jobs takes a number, not '" << value << "'\n" << usage;
                return 2;
            }
            jobs = static_cast<unsigned>(std::stoul(value));
        } else if (arg == "--with") {
            const std::string value = argv[++i];
            const auto bits = parse_features(value);
            if (!bits) {
                std::cerr << "xapian_floor: unknown feature in --with " << value << '\n' << usage;
                return 2;
            }
            features |= *bits;
        } else if (arg == "--append") {
            append = true;
        } else if (arg.rfind("--", 0) == 0) {
            std::cerr << "xapian_floor: unknown option " << arg << '\n' << usage;
            return 2;
        } else {
            args.push_back(arg);
        }
    }
    if (append && jobs > 1) {
        std::cerr << "xapian_floor: --append adds serially, not with --jobs\n" << usage;
        return 2;
    }
    if (args.size() < 2 || jobs == 0) {
        std::cerr << usage;
        return 2;
    }
    const std::string db = args[0];
    const std::vector<std::string> files(args.begin() + 1, args.end());
    try {
        return jobs == 1 ? serial(db, files, features, append) : parallel(db, files, jobs, features);
    } catch (const Xapian::Error& error) {
        std::cerr << "xapian_floor: " << error.get_description() << '\n';
    } catch (const std::exception& error) {
        std::cerr << "xapian_floor: " << error.what() << '\n';
    }
    return 2;
}
