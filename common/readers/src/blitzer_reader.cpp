// Blitzer, Dredze & Pereira's Multi-Domain Sentiment Dataset (ACL 2007): <review> blocks, one tag a line,
// each value on the lines between its open and close tag:
//   <review>
//   <unique_id>
//   0785758968:one_of_the_best_crichton_novels:joseph_m
//   </unique_id>
//   ... asin, product_name, product_type, helpful ("0 of 1" or empty), rating ("5.0"), title, date
//   ("July 1, 2006"), reviewer, reviewer_location, review_text ...
//   </review>
//
// Why a hand-written tag scanner and not libxml2: the files are not XML. Text is not escaped (488 bare "&"),
// HTML entities such as &quot; appear undeclared, and the copies in circulation wrap the blocks in an invented
// root (<data> or <reviews>) or none at all. An XML parser stops at the first bare "&"; even libxml2's recover
// mode drops text around it. A line scanner that only knows "<tag>" and "</tag>" lines reads all 8,000 reviews,
// keeps memory to one review, and can resynchronise at the next <review> after a broken block.

#include <map>

#include "reader_fields.hpp"
#include "readers.hpp"
#include "revsearch/line_source.hpp"
#include "revsearch/review_id.hpp"

namespace revsearch::detail {

namespace {

// The tag name when the whole (trimmed) line is "<name>" or "</name>" with a plain name; empty otherwise.
std::string_view tag_name(std::string_view line, bool closing) {
    std::string_view prefix = closing ? "</" : "<";
    if (line.size() < prefix.size() + 2 || !line.starts_with(prefix) || line.back() != '>') return {};
    std::string_view name = line.substr(prefix.size(), line.size() - prefix.size() - 1);
    for (char c : name) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!plain) return {};
    }
    return name;
}

class BlitzerReader final : public ReviewReader {
public:
    BlitzerReader(std::istream& in, std::string name, ProblemSink sink, const ReaderOptions& options)
        : lines_(in, options.max_record_bytes), name_(std::move(name)), sink_(std::move(sink)),
          max_bytes_(options.max_record_bytes) {}

    bool next(Review& out) override {
        while (lines_.next(line_)) {
            std::string_view line = trim(line_);
            if (!in_review_) {
                if (tag_name(line, false) == "review") start_review();
                // Anything else between blocks (the <data> wrapper, blank lines) is not a review.
                continue;
            }
            if (lines_.truncated()) oversized_ = true;
            record_bytes_ += line_.size() + 1;
            if (record_bytes_ > max_bytes_) oversized_ = true;

            if (!field_.empty()) {
                if (tag_name(line, true) == field_) {
                    field_.clear();
                    continue;
                }
                // A block that lost its close tag: the next review starts here.
                if (tag_name(line, false) == "review" || tag_name(line, true) == "review") {
                    RecordProblems(name_, start_line_, sink_).reject("<" + field_ + "> is never closed");
                    bool next_starts = tag_name(line, false) == "review";
                    in_review_ = false;
                    if (next_starts) start_review();
                    continue;
                }
                if (!oversized_) {
                    std::string& value = fields_[field_];
                    if (!value.empty()) value += '\n';
                    value += line_;
                }
                continue;
            }
            if (tag_name(line, true) == "review") {
                in_review_ = false;
                if (finish_review(out)) return true;
                continue;
            }
            if (tag_name(line, false) == "review") {
                RecordProblems(name_, start_line_, sink_).reject("<review> is never closed");
                start_review();
                continue;
            }
            if (auto open = tag_name(line, false); !open.empty()) {
                field_ = open;
                fields_[field_];
                continue;
            }
            // "<rating>5.0</rating>" on one line, as some copies write the short fields.
            // Otherwise stray text between fields, which belongs to no key and is ignored.
            one_line_element(line);
        }
        if (in_review_) {
            RecordProblems(name_, start_line_, sink_).reject("file ends inside a <review> block");
            in_review_ = false;
        }
        return false;
    }

private:
    void start_review() {
        in_review_ = true;
        oversized_ = lines_.truncated();
        start_line_ = lines_.line_number();
        record_bytes_ = 0;
        field_.clear();
        fields_.clear();
    }

    bool one_line_element(std::string_view line) {
        if (line.size() < 3 || line.front() != '<') return false;
        auto close_open = line.find('>');
        if (close_open == std::string_view::npos) return false;
        std::string_view name = tag_name(line.substr(0, close_open + 1), false);
        if (name.empty()) return false;
        std::string closing = "</" + std::string(name) + ">";
        if (!line.ends_with(closing)) return false;
        fields_[std::string(name)] =
            std::string(line.substr(close_open + 1, line.size() - close_open - 1 - closing.size()));
        return true;
    }

    std::optional<std::string> text(const char* key, RecordProblems& problems) {
        auto it = fields_.find(key);
        if (it == fields_.end()) return std::nullopt;
        return clean_field(it->second, key, problems);
    }

    std::string raw(const char* key) {
        auto it = fields_.find(key);
        return it == fields_.end() ? std::string() : std::string(trim(it->second));
    }

    bool finish_review(Review& out) {
        RecordProblems problems(name_, start_line_, sink_);
        if (oversized_) {
            problems.reject("review longer than " + std::to_string(max_bytes_) + " bytes, skipped");
            return false;
        }
        Review review;
        auto body = text("review_text", problems);
        if (!body) {
            problems.reject("no <review_text> (the body is required)");
            return false;
        }
        review.body = std::move(*body);
        review.source = name_ + ":" + std::to_string(start_line_);
        review.headline = text("title", problems);
        review.author = text("reviewer", problems);
        review.item = text("product_name", problems);
        if (auto asin = raw("asin"); !asin.empty()) review.item_id = asin;
        if ((review.rating = parse_number(raw("rating"), "rating", problems))) review.rating_max = 5;
        review.date = parse_date(raw("date"), "date", problems);
        parse_helpful(raw("helpful"), review, problems);

        std::string unique_id = raw("unique_id");
        if (!unique_id.empty()) {
            review.id = review_id("amazon-mdsd", {unique_id});
        } else {
            problems.warn("no <unique_id>: id derived from asin, reviewer and title");
            review.id = review_id("amazon-mdsd-unkeyed", {review.item_id.value_or(""), review.author.value_or(""),
                                                          review.headline.value_or(""), review.body});
        }
        drop_impossible_values(review, problems);
        problems.accept();
        out = std::move(review);
        return true;
    }

    // "34 of 41"; empty means the review had no votes: 0 of 0.
    static void parse_helpful(std::string_view value, Review& review, RecordProblems& problems) {
        if (value.empty()) {
            review.helpful_yes = 0;
            review.helpful_total = 0;
            return;
        }
        // Both counts or neither: the pair is one field, reported once.
        auto of = value.find(" of ");
        const std::string no_file;
        const ProblemSink ignore;
        RecordProblems scratch(no_file, 0, ignore);
        std::optional<std::int64_t> yes, total;
        if (of != std::string_view::npos) {
            yes = parse_count(value.substr(0, of), "helpful", scratch);
            total = parse_count(value.substr(of + 4), "helpful", scratch);
        }
        if (!yes || !total) {
            problems.warn("helpful: expected \"x of y\" with counts, found \"" + std::string(value.substr(0, 40)) +
                          "\", dropped");
            return;
        }
        review.helpful_yes = yes;
        review.helpful_total = total;
    }

    LineSource lines_;
    std::string name_;
    ProblemSink sink_;
    std::size_t max_bytes_;
    std::string line_;
    bool in_review_ = false;
    bool oversized_ = false;
    std::size_t start_line_ = 0;
    std::size_t record_bytes_ = 0;
    std::string field_;  // the open tag whose value lines are being collected
    std::map<std::string, std::string, std::less<>> fields_;
};

}  // namespace

std::unique_ptr<ReviewReader> make_blitzer_reader(std::istream& in, std::string name, ProblemSink sink,
                                                  const ReaderOptions& options) {
    return std::make_unique<BlitzerReader>(in, std::move(name), std::move(sink), options);
}

}  // namespace revsearch::detail
