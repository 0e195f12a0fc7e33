// CSV with a header row and a column mapping (CsvMapping, docs/formats.md); default: Amazon Fine Food's
// Reviews.csv (McAuley & Leskovec, WWW 2013): Id, ProductId, UserId, ProfileName, HelpfulnessNumerator,
// HelpfulnessDenominator, Score, Time, Summary, Text.
//
// libcsv does the quoting (RFC 4180: quoted fields with commas, doubled quotes and line breaks). It is fed one
// line at a time through LineSource, which bounds memory and tells which line a row starts on.

#include <csv.h>

#include <deque>
#include <vector>

#include "reader_fields.hpp"
#include "readers.hpp"
#include "revsearch/line_source.hpp"
#include "revsearch/review_id.hpp"

namespace revsearch::detail {

namespace {

struct Row {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

// Where each review key is found in this file's header; npos when the file has no such column.
struct ColumnIndex {
    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::size_t id = none, body = none, headline = none, author = none, item = none, item_id = none,
                rating = none, helpful_yes = none, helpful_total = none, date = none;
};

std::size_t find_column(const std::vector<std::string>& header, const std::vector<std::string>& candidates) {
    for (const auto& wanted : candidates) {
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (iequals(trim(header[i]), trim(wanted))) return i;
        }
    }
    return ColumnIndex::none;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

class CsvReader final : public ReviewReader {
public:
    CsvReader(std::istream& in, std::string name, ProblemSink sink, const ReaderOptions& options)
        : lines_(in, options.max_record_bytes), name_(std::move(name)), sink_(std::move(sink)),
          max_bytes_(options.max_record_bytes), mapping_(options.csv) {
        reset_parser();
    }
    ~CsvReader() override { csv_free(&parser_); }
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    bool next(Review& out) override {
        for (;;) {
            while (!rows_.empty()) {
                Row row = std::move(rows_.front());
                rows_.pop_front();
                if (!have_header_) {
                    if (!read_header(row)) {
                        failed_ = true;
                        return false;
                    }
                    continue;
                }
                if (convert(row, out)) return true;
            }
            if (failed_ || finished_ || !feed_next_line()) return false;
        }
    }

private:
    void reset_parser() {
        // Strict: a quote inside an unquoted field or text after a closing quote is a broken row (reported,
        // then parsing starts over at the next line), and a quote still open at the end of input is an error
        // rather than a row silently holding the rest of the file.
        csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI);
        row_.clear();
        row_bytes_ = 0;
        record_start_ = 0;
    }

    // Feeds one more line to libcsv; false when the input is exhausted and everything is flushed.
    bool feed_next_line() {
        if (!lines_.next(line_)) {
            finished_ = true;
            std::size_t start = record_start_;
            if (csv_fini(&parser_, &CsvReader::on_field, &CsvReader::on_row, this) != 0) {
                reject_open_record(start, "a quoted field is never closed (unbalanced \")");
            }
            csv_free(&parser_);
            reset_parser();
            return !rows_.empty();
        }
        current_line_ = lines_.line_number();
        if (lines_.truncated()) {
            reject_open_record(record_start_ ? record_start_ : current_line_,
                               "record longer than " + std::to_string(max_bytes_) + " bytes, skipped");
            return true;
        }
        if (record_start_ == 0 && !trim(line_).empty()) record_start_ = current_line_;
        line_ += '\n';
        row_bytes_ += line_.size();
        if (row_bytes_ > max_bytes_) {
            // An unbalanced quote swallows the rest of the file into one field: stop it at the record limit.
            reject_open_record(record_start_, "record longer than " + std::to_string(max_bytes_) +
                                                  " bytes (an unbalanced \"?), skipped");
            return true;
        }
        std::size_t parsed =
            csv_parse(&parser_, line_.data(), line_.size(), &CsvReader::on_field, &CsvReader::on_row, this);
        if (parsed != line_.size()) {
            reject_open_record(record_start_ ? record_start_ : current_line_,
                               std::string("malformed quoting: ") + csv_strerror(csv_error(&parser_)));
        }
        return true;
    }

    // Drops the record being parsed, reports it, and starts over at the next line.
    void reject_open_record(std::size_t line, std::string message) {
        RecordProblems(name_, line, sink_).reject(std::move(message));
        csv_free(&parser_);
        reset_parser();
    }

    static void on_field(void* data, std::size_t size, void* self_ptr) {
        auto* self = static_cast<CsvReader*>(self_ptr);
        if (self->record_start_ == 0) self->record_start_ = self->current_line_;
        self->row_.emplace_back(static_cast<const char*>(data), size);
    }

    static void on_row(int, void* self_ptr) {
        auto* self = static_cast<CsvReader*>(self_ptr);
        self->rows_.push_back(Row{self->record_start_, std::move(self->row_)});
        self->row_.clear();
        self->row_bytes_ = 0;
        self->record_start_ = 0;
    }

    bool read_header(Row& row) {
        header_ = std::move(row.fields);
        // A UTF-8 byte order mark would otherwise glue itself to the first column's name.
        if (!header_.empty() && header_[0].starts_with("\xEF\xBB\xBF")) header_[0].erase(0, 3);
        columns_.body = find_column(header_, mapping_.body);
        if (columns_.body == ColumnIndex::none) {
            // One error for the whole file (line 0): no row of it can be read.
            RecordProblems(name_, 0, sink_)
                .reject("the header (line " + std::to_string(row.line) + ") has no body column (looked for: " +
                        joined(mapping_.body) + "); name it with --csv-map body=COLUMN");
            return false;
        }
        columns_.id = find_column(header_, mapping_.id);
        columns_.headline = find_column(header_, mapping_.headline);
        columns_.author = find_column(header_, mapping_.author);
        columns_.item = find_column(header_, mapping_.item);
        columns_.item_id = find_column(header_, mapping_.item_id);
        columns_.rating = find_column(header_, mapping_.rating);
        columns_.helpful_yes = find_column(header_, mapping_.helpful_yes);
        columns_.helpful_total = find_column(header_, mapping_.helpful_total);
        columns_.date = find_column(header_, mapping_.date);
        have_header_ = true;
        return true;
    }

    bool convert(const Row& row, Review& out) {
        RecordProblems problems(name_, row.line, sink_);
        if (row.fields.size() != header_.size()) {
            problems.reject("row has " + std::to_string(row.fields.size()) + " fields, the header has " +
                            std::to_string(header_.size()));
            return false;
        }
        auto cell = [&](std::size_t column) -> std::string_view {
            return column == ColumnIndex::none ? std::string_view() : std::string_view(row.fields[column]);
        };
        auto text = [&](std::size_t column) -> std::optional<std::string> {
            if (column == ColumnIndex::none) return std::nullopt;
            return clean_field(row.fields[column], header_[column], problems);
        };
        Review review;
        auto body = text(columns_.body);
        if (!body) {
            problems.reject("empty " + header_[columns_.body] + " (the body is required)");
            return false;
        }
        review.body = std::move(*body);
        review.source = name_ + ":" + std::to_string(row.line);
        review.headline = text(columns_.headline);
        review.author = text(columns_.author);
        review.item = text(columns_.item);
        if (auto item_id = trim(cell(columns_.item_id)); !item_id.empty()) review.item_id = std::string(item_id);
        if (columns_.rating != ColumnIndex::none) {
            review.rating = parse_number(cell(columns_.rating), header_[columns_.rating], problems);
            if (review.rating) review.rating_max = mapping_.rating_max;
        }
        if (columns_.helpful_yes != ColumnIndex::none)
            review.helpful_yes = parse_count(cell(columns_.helpful_yes), header_[columns_.helpful_yes], problems);
        if (columns_.helpful_total != ColumnIndex::none)
            review.helpful_total =
                parse_count(cell(columns_.helpful_total), header_[columns_.helpful_total], problems);
        if (columns_.date != ColumnIndex::none)
            review.date = parse_date(cell(columns_.date), header_[columns_.date], problems);

        auto id = trim(cell(columns_.id));
        if (!id.empty()) {
            review.id = review_id("amazon-fine-food", {id});
        } else {
            if (columns_.id != ColumnIndex::none) problems.warn("empty " + header_[columns_.id] + ": id derived");
            review.id = review_id("csv", {review.item_id.value_or(""), review.author.value_or(""),
                                          review.date.value_or(""), review.body});
        }
        drop_impossible_values(review, problems);
        problems.accept();
        out = std::move(review);
        return true;
    }

    LineSource lines_;
    std::string name_;
    ProblemSink sink_;
    std::size_t max_bytes_;
    CsvMapping mapping_;
    csv_parser parser_{};
    std::string line_;
    std::size_t current_line_ = 0;
    std::size_t record_start_ = 0;  // 0: no record under way
    std::size_t row_bytes_ = 0;
    std::vector<std::string> row_;
    std::deque<Row> rows_;
    std::vector<std::string> header_;
    ColumnIndex columns_;
    bool have_header_ = false;
    bool failed_ = false;
    bool finished_ = false;
};

}  // namespace

std::unique_ptr<ReviewReader> make_csv_reader(std::istream& in, std::string name, ProblemSink sink,
                                              const ReaderOptions& options) {
    return std::make_unique<CsvReader>(in, std::move(name), std::move(sink), options);
}

}  // namespace revsearch::detail
