// Choosing the reader of an IMDb page by its design, and what the block readers share (imdb_readers.hpp).

#include <algorithm>
#include <cctype>
#include <streambuf>
#include <utility>

#include <fmt/format.h>

#include "imdb_readers.hpp"
#include "revsearch/review_id.hpp"
#include "revsearch/text_cleanup.hpp"

namespace revsearch::detail {

namespace {

using namespace revsearch::imdb;

/// The bytes read to detect the design, then the rest of the stream: the chosen reader reads the whole page.
class HeadThenRest final : public std::streambuf {
public:
    HeadThenRest(std::string head, std::streambuf* rest) : head_(std::move(head)), rest_(rest) {
        setg(head_.data(), head_.data(), head_.data() + head_.size());
    }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (rest_ == nullptr) return traits_type::eof();
        const std::streamsize got = rest_->sgetn(buffer_, sizeof buffer_);
        if (got <= 0) return traits_type::eof();
        setg(buffer_, buffer_, buffer_ + got);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string head_;
    std::streambuf* rest_;
    char buffer_[1 << 16];
};

/// Owns the stream the chosen reader reads, and says once which design it found.
class ImdbDesignReader final : public ReviewReader {
public:
    ImdbDesignReader(std::istream& in, std::string name, ProblemSink sink, const ReaderOptions& options) {
        // The same window format detection reads (batch_input.cpp): a page's first marker line is in it.
        constexpr std::size_t window = 64 * 1024;
        std::string head(window, '\0');
        in.read(head.data(), static_cast<std::streamsize>(window));
        head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
        std::string lower = name;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto design = detect_design(head, lower.find("imdb") != std::string::npos);
        buffer_ = std::make_unique<HeadThenRest>(std::move(head), in.rdbuf());
        stream_ = std::make_unique<std::istream>(buffer_.get());
        if (design && sink) {
            sink(Problem{name, 0, Severity::note,
                         fmt::format("IMDb page design: {}", design_name(*design))});
        }
        switch (design.value_or(Design::from_2017)) {
            case Design::before_2017:
                reader_ = make_imdb_before_2017_reader(*stream_, std::move(name), std::move(sink), options);
                break;
            case Design::from_2017:
                // Also when no design is recognised (--format imdb on other text): its messages say what it lacks.
                reader_ = make_imdb_2017_reader(*stream_, std::move(name), std::move(sink), options);
                break;
            case Design::from_2024:
                reader_ = make_imdb_2024_reader(*stream_, std::move(name), std::move(sink), options);
                break;
            case Design::without_details:
                reader_ = make_imdb_copy_reader(*stream_, std::move(name), std::move(sink), options);
                break;
        }
    }

    bool next(Review& out) override { return reader_->next(out); }

private:
    std::unique_ptr<HeadThenRest> buffer_;
    std::unique_ptr<std::istream> stream_;
    std::unique_ptr<ReviewReader> reader_;
};

}  // namespace

std::unique_ptr<ReviewReader> make_imdb_page_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options) {
    return std::make_unique<ImdbDesignReader>(in, std::move(name), std::move(sink), options);
}

ImdbBlockReader::ImdbBlockReader(std::istream& in, std::string name, ProblemSink sink, const ReaderOptions& options)
    : max_bytes_(options.max_record_bytes),
      lines_(in, options.max_record_bytes),
      name_(std::move(name)),
      sink_(std::move(sink)) {}

bool ImdbBlockReader::next(Review& out) {
    while (ready_.empty() && !at_end_) {
        std::string raw;
        if (!lines_.next(raw)) {
            on_end();
            report_skipped();
            at_end_ = true;
            break;
        }
        CardLine line;
        line.number = lines_.line_number();
        line.too_long = lines_.truncated();
        line.binary = looks_binary(raw);
        if (line.binary) {
            ++binary_lines_;
        } else {
            line.repaired = repair_utf8(raw);
            line.text = std::string(trim(raw));
        }
        on_line(std::move(line));
    }
    if (ready_.empty()) return false;
    out = std::move(ready_.front());
    ready_.pop_front();
    return true;
}

bool ImdbBlockReader::take_title(const CardLine& line) {
    if (line.too_long || line.binary) return false;
    const auto title = parse_title_line(line.text);
    if (!title) return false;
    item_ = title->item;
    item_year_ = title->year;
    return true;
}

void ImdbBlockReader::skip(const CardLine& line) {
    if (line.too_long) {
        report(line.number, Severity::error, fmt::format("line is longer than the limit of {} bytes: skipped", max_bytes_));
        return;
    }
    if (line.blank()) return;
    if (skipped_count_ == 0) {
        skipped_first_ = line.number;
        constexpr std::size_t sample_bytes = 60;
        skipped_sample_ = line.binary ? "<binary data>" : line.text.substr(0, sample_bytes);
    }
    skipped_last_ = line.number;
    ++skipped_count_;
}

void ImdbBlockReader::report_skipped() {
    if (skipped_count_ == 0) return;
    if (reviews_seen_ > 0) {
        report(skipped_first_, Severity::warning,
               fmt::format("{} line{} skipped (lines {}-{}): not part of a review; first: \"{}\"", skipped_count_,
                           skipped_count_ == 1 ? "" : "s", skipped_first_, skipped_last_, skipped_sample_));
    }
    skipped_count_ = 0;
}

std::string ImdbBlockReader::join_body(const std::vector<CardLine>& lines, bool& repaired) {
    std::string body;
    for (const auto& line : lines) {
        if (!body.empty() || !line.blank()) body += line.text;
        body += '\n';
        repaired = repaired || line.repaired;
    }
    return clean_text(body);
}

void ImdbBlockReader::emit(Review review, std::size_t first_line, std::vector<std::string> warnings, bool repaired,
                           const std::string& error) {
    ++reviews_seen_;
    report_skipped();
    auto join = [](const std::vector<std::string>& parts) {
        std::string out;
        for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
        return out;
    };
    if (!error.empty()) {
        report(first_line, Severity::error, "review rejected: " + error);
        return;
    }
    if (repaired) warnings.insert(warnings.begin(), "invalid UTF-8 replaced with U+FFFD");
    review.item = item_;
    review.item_year = item_year_;
    review.source = fmt::format("{}:{}", name_, first_line);
    // The natural key, as for the 2017-2023 page: one review per author per title. Without an author (a copy
    // without details, a cut-off card) the headline and body are all there is to tell reviews apart.
    const std::string author = review.author.value_or("");
    if (item_ && !author.empty()) {
        review.id = review_id("imdb", {fmt::format("{} ({})", *item_, *item_year_), author});
    } else if (!author.empty()) {
        review.id = review_id("imdb", {"", author, review.headline.value_or("")});
    } else {
        review.id = review_id("imdb", {item_.value_or(""), "", review.headline.value_or(""), review.body});
    }
    if (!warnings.empty()) report(first_line, Severity::warning, join(warnings));
    ready_.push_back(std::move(review));
}

void ImdbBlockReader::report_nothing(const std::string& why) {
    skipped_count_ = 0;
    if (lines_.line_number() == 0) {
        report(0, Severity::warning, "empty file: no reviews");
    } else if (binary_lines_ > 0) {
        report(0, Severity::error,
               fmt::format("not an IMDb user-review page: it looks binary ({} of {} lines hold control bytes)",
                           binary_lines_, lines_.line_number()));
    } else {
        report(0, Severity::error, why);
    }
}

void ImdbBlockReader::report(std::size_t line, Severity severity, std::string message) {
    if (sink_) sink_(Problem{name_, line, severity, std::move(message)});
}

}  // namespace revsearch::detail
