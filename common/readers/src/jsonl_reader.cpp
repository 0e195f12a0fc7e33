// Canonical JSON lines (docs/formats.md): what revindex parse prints and what other pipelines feed.

#include <memory>
#include <stdexcept>
#include <string>

#include "missing_key_fold.hpp"
#include "reader_json.hpp"
#include "readers.hpp"
#include "revsearch/review_id.hpp"
#include "revsearch/text_cleanup.hpp"

namespace revsearch::detail {

using nlohmann::json;

bool parse_json_line(std::string_view line, json& out, std::string& error) {
    struct TooDeep {};
    // The callback sees every value with its depth as it is parsed: throwing stops the parse at the first level
    // too deep, before the nested values exist (nlohmann's parser itself keeps an explicit stack).
    json::parser_callback_t depth_guard = [](int depth, json::parse_event_t, json&) {
        if (depth > max_json_depth) throw TooDeep{};
        return true;
    };
    try {
        out = json::parse(line, depth_guard);
        return true;
    } catch (const TooDeep&) {
        error = "JSON nested deeper than " + std::to_string(max_json_depth) + " levels";
    } catch (const json::exception& e) {
        // parse_error: "[json.exception.parse_error.101] parse error at line 1, column 7: ...": keep the column
        // part. out_of_range.406 (a number beyond double, e.g. 1e999) is also only this record's fault.
        std::string what = e.what();
        auto at = what.find("at line 1, ");
        if (at != std::string::npos) {
            what = what.substr(at + 11);
        } else if (auto tag_end = what.find("] "); tag_end != std::string::npos && what.starts_with("[json.")) {
            what = what.substr(tag_end + 2);
        }
        // nlohmann quotes everything it read of the bad token ("last read: '...'"): a cut string value is the rest
        // of a review, hundreds of bytes on one error line. Its last bytes say where it broke.
        constexpr std::size_t quoted_bytes = 40;
        if (auto quote = what.find("; last read: '"); quote != std::string::npos) {
            const std::size_t start = quote + 14;
            const std::size_t end = what.size() > start && what.back() == '\'' ? what.size() - 1 : what.size();
            if (end > start + quoted_bytes) {
                std::size_t cut = end - quoted_bytes;
                while (cut < end && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80) ++cut;  // a UTF-8 boundary
                what = what.substr(0, start) + "..." + what.substr(cut, end - cut) + "'";
            }
        }
        error = "bad JSON: " + what;
    }
    return false;
}

bool JsonLinesReader::next(Review& out) {
    while (lines_.next(line_)) {
        std::string_view text = trim(line_);
        if (text.empty() && !lines_.truncated()) continue;
        RecordProblems problems(name_, lines_.line_number(), sink_);
        if (lines_.truncated()) {
            problems.reject("record longer than " + std::to_string(max_bytes_) + " bytes, skipped");
            continue;
        }
        // nlohmann refuses invalid UTF-8 outright; one bad byte in a review costs a U+FFFD, not the record.
        if (repair_utf8(line_)) {
            problems.warn("invalid UTF-8 replaced with U+FFFD");
            text = trim(line_);
        }
        json object;
        std::string error;
        if (!parse_json_line(text, object, error)) {
            problems.reject(error);
            continue;
        }
        if (!object.is_object()) {
            problems.reject("expected a JSON object, found " + std::string(object.type_name()));
            continue;
        }
        Review review;
        if (!convert(object, review, problems)) continue;
        review.source = name_ + ":" + std::to_string(lines_.line_number());
        drop_impossible_values(review, problems);
        problems.accept();
        out = std::move(review);
        return true;
    }
    if (!ended_) {
        ended_ = true;
        end_of_input();
    }
    return false;
}

std::optional<std::string> json_text(const json& object, const char* key, RecordProblems& problems) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return it->dump();
    problems.warn(std::string(key) + ": expected a string, found " + it->type_name() + ", dropped");
    return std::nullopt;
}

namespace {

// The key review_from_json names in its message: key "rating": expected ...
std::string named_key(const std::string& message) {
    auto open = message.find('"');
    auto close = open == std::string::npos ? open : message.find('"', open + 1);
    if (close == std::string::npos) return {};
    return message.substr(open + 1, close - open - 1);
}

/// The record as the canonical keys name it: each key --json-map names is read from its source key only.
json mapped_object(const json& input, const JsonMapping& mapping) {
    if (mapping.empty()) return input;
    json object = input;
    for (const auto& [key, source] : mapping.keys) object.erase(key);
    for (const auto& [key, source] : mapping.keys) {
        if (auto found = input.find(source); found != input.end()) object[key] = *found;
    }
    return object;
}

class CanonicalReader final : public JsonLinesReader {
public:
    CanonicalReader(std::istream& in, std::string name, std::shared_ptr<MissingKeyFold> fold,
                    const ReaderOptions& options)
        : JsonLinesReader(in, std::move(name), [fold](const Problem& problem) { fold->report(problem); }, options),
          fold_(std::move(fold)), mapping_(options.json) {}

protected:
    bool convert(const json& input, Review& out, RecordProblems& problems) override {
        json object = mapped_object(input, mapping_);
        if (const auto body = object.find("body"); body == object.end() || body->is_null()) {
            // Folded into one line when no record of the file has it (missing_key_fold.hpp).
            fold_->missing(name(), line_number(), input);
            problems.discard();
            return false;
        }
        fold_->accepted();
        // review_from_json throws at the first bad key: drop that key with a warning and try again, so one bad
        // value costs that value, not the record. Only "body" is required.
        for (std::size_t attempt = 0;; ++attempt) {
            try {
                out = review_from_json(object);
                break;
            } catch (const std::invalid_argument& e) {
                std::string key = named_key(e.what());
                if (key.empty() || key == "body" || !object.contains(key) || attempt > object.size()) {
                    problems.reject(e.what());
                    return false;
                }
                problems.warn(std::string(e.what()) + ", dropped");
                object[key] = nullptr;
            }
        }
        auto body = clean_field(out.body, "body", problems);
        if (!body) {
            problems.reject("empty body");
            return false;
        }
        out.body = std::move(*body);
        const std::pair<std::optional<std::string>*, const char*> text_fields[] = {
            {&out.item, "item"}, {&out.headline, "headline"}, {&out.author, "author"}, {&out.byline, "byline"}};
        for (auto [field, key] : text_fields) {
            if (*field) *field = clean_field(**field, key, problems);
        }
        if (out.item_id) {
            auto id = trim(*out.item_id);
            out.item_id = id.empty() ? std::nullopt : std::optional<std::string>(id);
        }
        if (out.date) out.date = parse_date(*out.date, "date", problems);
        if (out.id.empty()) {
            out.id = review_id("jsonl", {out.item_id ? *out.item_id : out.item.value_or(""), out.author.value_or(""),
                                         out.headline.value_or(""), out.body});
        }
        return true;
    }
    void end_of_input() override { fold_->finish(); }

private:
    std::shared_ptr<MissingKeyFold> fold_;
    JsonMapping mapping_;
};

}  // namespace

std::unique_ptr<ReviewReader> make_jsonl_reader(std::istream& in, std::string name, ProblemSink sink,
                                                const ReaderOptions& options) {
    const std::string body_key(options.json.source_of("body"));
    auto fold = std::make_shared<MissingKeyFold>(std::move(sink), body_key, body_key != "body");
    return std::make_unique<CanonicalReader>(in, std::move(name), std::move(fold), options);
}

}  // namespace revsearch::detail
