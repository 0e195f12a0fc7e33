// The reader of an IMDb user-review page saved as text (docs/imdb-page-format.md, corpora/pusher-ii-2004.txt).
//
// The page has no delimiters, only a sequence of line kinds, so the reader is a line-driven state machine:
//   gap     between reviews (and in the page header): lines wait in `pending_` until a byline shows which of them
//           are the next review's rating and headline; lines before those are reported as skipped.
//   body    after the byline: an optional "Warning: Spoilers", then body lines up to the helpful-votes line.
//   helpful after the helpful-votes line, waiting for "Permalink".
// One review is in memory at a time (plus at most one finished one waiting in `ready_`), and the gap is bounded
// by ReaderOptions::max_record_bytes.

#include <algorithm>
#include <deque>
#include <iterator>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "imdb_page_lines.hpp"
#include "imdb_readers.hpp"
#include "readers.hpp"
#include "revsearch/line_source.hpp"
#include "revsearch/review_id.hpp"
#include "revsearch/text_cleanup.hpp"

namespace revsearch::detail {

namespace {

using namespace revsearch::imdb;

struct PageLine {
    std::size_t number = 0;
    std::string text;        ///< trimmed, invalid UTF-8 already replaced
    bool too_long = false;   ///< LineSource cut it at the limit
    bool binary = false;
    bool repaired = false;   ///< invalid UTF-8 was replaced
    bool blank() const { return text.empty() && !too_long && !binary; }
};

/// Lines that belong to no review, gathered over one gap so that they give one warning.
struct SkippedLines {
    std::size_t first = 0, last = 0, count = 0, binary = 0;
    std::string sample;

    void add(const PageLine& line) {
        if (count == 0) {
            first = line.number;
            constexpr std::size_t sample_bytes = 60;
            sample = line.binary ? "<binary data>" : line.text.substr(0, sample_bytes);
        }
        last = line.number;
        ++count;
        if (line.binary) ++binary;
    }
};

/// The review being read, with what is wrong with it so far.
struct Draft {
    Review review;
    std::size_t first_line = 0;
    std::vector<PageLine> body_lines;
    std::size_t bytes = 0;
    bool body_started = false;
    bool repaired = false;
    std::vector<std::string> warnings;
    std::string error;  ///< non-empty: the review is rejected

    void reject(std::string reason) {
        if (error.empty()) error = std::move(reason);
    }
};

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) out += separator;
        out += part;
    }
    return out;
}

class ImdbPageReader final : public ReviewReader {
public:
    ImdbPageReader(std::istream& in, std::string name, ProblemSink sink, const ReaderOptions& options)
        : lines_(in, options.max_record_bytes),
          name_(std::move(name)),
          sink_(std::move(sink)),
          max_bytes_(options.max_record_bytes) {}

    bool next(Review& out) override {
        while (ready_.empty() && !at_end_) {
            std::string raw;
            if (!lines_.next(raw)) {
                finish_page();
                at_end_ = true;
                break;
            }
            handle(read_line(std::move(raw)));
        }
        if (ready_.empty()) return false;
        out = std::move(ready_.front());
        ready_.pop_front();
        return true;
    }

private:
    enum class State { header, gap, body, helpful };

    PageLine read_line(std::string raw) {
        PageLine line;
        line.number = lines_.line_number();
        line.too_long = lines_.truncated();
        line.binary = looks_binary(raw);
        if (line.binary) {
            ++binary_lines_;
            return line;
        }
        line.repaired = repair_utf8(raw);
        line.text = std::string(trim(raw));
        return line;
    }

    void handle(PageLine line) {
        switch (state_) {
        case State::header:
        case State::gap:
            handle_gap(std::move(line));
            return;
        case State::body:
            handle_body(std::move(line));
            return;
        case State::helpful:
            if (line.blank()) return;
            if (is_permalink_line(line.text)) {
                finish_review();
                state_ = State::gap;
                return;
            }
            draft_.warnings.push_back("no \"Permalink\" line after the helpful-votes line");
            finish_review();
            state_ = State::gap;
            handle_gap(std::move(line));
            return;
        }
    }

    void handle_gap(PageLine line) {
        if (line.blank()) {
            if (!pending_.empty()) keep_pending(std::move(line));
            return;
        }
        if (!line.too_long && !line.binary) {
            if (const auto title = parse_title_line(line.text)) {
                item_ = title->item;
                item_year_ = title->year;
                state_ = State::header;
                skip_pending();
                return;
            }
            if (state_ == State::header && is_header_line(line.text)) {
                skip_pending();
                return;
            }
            if (is_footer_line(line.text)) {
                skip_pending();
                return;
            }
            if (const auto helpful = parse_helpful_line(line.text)) {
                start_review_without_dated_byline(line, &*helpful);
                return;
            }
            if (is_permalink_line(line.text)) {
                start_review_without_dated_byline(line, nullptr);
                return;
            }
            if (auto byline = split_byline(line.text, /*glued_only=*/false)) {
                start_review(line, std::move(*byline));
                return;
            }
        }
        keep_pending(std::move(line));
    }

    void keep_pending(PageLine line) {
        pending_bytes_ += line.text.size();
        pending_.push_back(std::move(line));
        // Bounded: a page of junk with no review in it must not be held whole.
        while (pending_bytes_ > max_bytes_ && !pending_.empty()) {
            skip(pending_.front());
            pending_bytes_ -= pending_.front().text.size();
            pending_.pop_front();
        }
    }

    void skip(const PageLine& line) {
        if (line.too_long) {
            report(line.number, Severity::error,
                   fmt::format("line is longer than the limit of {} bytes: skipped", max_bytes_));
        } else if (!line.blank()) {
            skipped_.add(line);
        }
    }

    void skip_pending() {
        for (const auto& line : pending_) skip(line);
        pending_.clear();
        pending_bytes_ = 0;
    }

    void report_skipped() {
        if (skipped_.count == 0) return;
        std::string what = skipped_.binary > 0 ? fmt::format("{} of them binary data", skipped_.binary)
                                               : fmt::format("first: \"{}\"", skipped_.sample);
        report(skipped_.first, Severity::warning,
               fmt::format("{} line{} skipped (lines {}-{}): not page header, footer or review; {}", skipped_.count,
                           skipped_.count == 1 ? "" : "s", skipped_.first, skipped_.last, what));
        skipped_ = {};
    }

    /// The index in pending_ of the last non-blank line before `end`, or npos.
    std::size_t last_non_blank(std::size_t end) const {
        while (end > 0) {
            --end;
            if (!pending_[end].blank()) return end;
        }
        return std::string::npos;
    }

    /// A byline with a date: the pending line before it is the headline, the one before that the rating.
    void start_review(const PageLine& byline_line, Byline byline) {
        std::size_t first_used = pending_.size();
        const std::size_t headline_at = last_non_blank(pending_.size());
        std::size_t rating_at = std::string::npos;
        if (headline_at != std::string::npos) {
            first_used = headline_at;
            const std::size_t before = last_non_blank(headline_at);
            if (before != std::string::npos && !pending_[before].too_long && parse_rating_line(pending_[before].text)) {
                rating_at = before;
                first_used = before;
            }
        }
        for (std::size_t i = 0; i < first_used; ++i) skip(pending_[i]);
        report_skipped();

        begin_draft(byline_line.number);
        if (rating_at != std::string::npos) take_rating(pending_[rating_at]);
        if (headline_at != std::string::npos) {
            take_headline(pending_[headline_at]);
        } else {
            draft_.warnings.push_back("no headline before the byline");
        }
        take_byline(byline_line, std::move(byline));
        pending_.clear();
        pending_bytes_ = 0;
        state_ = State::body;
    }

    /// A helpful-votes or Permalink line ends a gap with no dated byline in it: if the lines read are
    /// [rating] headline byline [spoiler] body, it was a review whose byline has no date (kept, date null).
    void start_review_without_dated_byline(const PageLine& end_line, const HelpfulLine* helpful) {
        std::vector<std::size_t> lines;  // indices of the non-blank pending lines
        for (std::size_t i = 0; i < pending_.size(); ++i) {
            if (!pending_[i].blank()) lines.push_back(i);
        }
        std::size_t at = 0;
        const bool has_rating = !lines.empty() && !pending_[lines[0]].too_long && parse_rating_line(pending_[lines[0]].text);
        if (has_rating) ++at;
        // headline, byline and at least one body line; and the byline must be short like a user name, or a body
        // sentence would become an author when a review's real byline is lost.
        constexpr std::size_t longest_name = 64;
        if (lines.size() < at + 3 || pending_[lines[at + 1]].text.size() > longest_name ||
            pending_[lines[at + 1]].too_long) {
            skip_pending();
            skipped_.add(end_line);
            return;
        }
        report_skipped();
        const PageLine& headline = pending_[lines[at]];
        const PageLine& byline = pending_[lines[at + 1]];
        begin_draft(byline.number);
        if (has_rating) take_rating(pending_[lines[0]]);
        take_headline(headline);
        Byline undated;
        undated.author = byline.text;
        undated.problem = fmt::format("byline \"{}\" has no date: the whole line is taken as the author", byline.text);
        take_byline(byline, std::move(undated));
        state_ = State::body;
        // The body lines go through handle() as if read now; pending_ is emptied first because a line
        // (binary data) may end the review and start a new gap.
        std::deque<PageLine> rest(std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(lines[at + 1]) + 1),
                                  std::make_move_iterator(pending_.end()));
        pending_.clear();
        pending_bytes_ = 0;
        for (auto& line : rest) handle(std::move(line));
        if (state_ != State::body) {
            handle_gap(end_line);
        } else if (helpful != nullptr) {
            take_helpful(*helpful);
        } else {
            draft_.warnings.push_back("no helpful-votes line");
            finish_review();
            state_ = State::gap;
        }
    }

    void handle_body(PageLine line) {
        if (line.too_long) {
            draft_.reject(fmt::format("line {} is longer than the limit of {} bytes", line.number, max_bytes_));
            return;
        }
        if (line.binary) {
            draft_.warnings.push_back(fmt::format("cut off at line {} by binary data", line.number));
            finish_review();
            state_ = State::gap;
            handle_gap(std::move(line));
            return;
        }
        if (!draft_.body_started) {
            if (line.blank()) return;
            if (is_spoiler_line(line.text) && !draft_.review.spoiler) {
                draft_.review.spoiler = true;
                return;
            }
        }
        if (const auto helpful = parse_helpful_line(line.text)) {
            take_helpful(*helpful);
            return;
        }
        if (is_permalink_line(line.text)) {
            draft_.warnings.push_back("no helpful-votes line");
            finish_review();
            state_ = State::gap;
            return;
        }
        if (is_footer_start_line(line.text)) {
            draft_.warnings.push_back(fmt::format(
                "the page footer starts at line {} before the review's helpful-votes line: truncated page?",
                line.number));
            finish_review();
            state_ = State::gap;
            handle_gap(std::move(line));
            return;
        }
        if (draft_.body_started && !draft_.body_lines.empty() && !draft_.body_lines.back().blank()) {
            if (auto byline = split_byline(line.text, /*glued_only=*/true)) {
                start_review_inside_body(line, std::move(*byline));
                return;
            }
        }
        draft_.body_started = true;
        draft_.bytes += line.text.size() + 1;
        if (draft_.bytes > max_bytes_) {
            draft_.reject(fmt::format("review is longer than the limit of {} bytes", max_bytes_));
            return;
        }
        draft_.repaired = draft_.repaired || line.repaired;
        draft_.body_lines.push_back(std::move(line));
    }

    /// A byline in the middle of a body: the review lost its helpful-votes and Permalink lines, and its last
    /// body line is the next review's headline (the one before it the rating, when it is one).
    void start_review_inside_body(const PageLine& byline_line, Byline byline) {
        auto& body = draft_.body_lines;
        std::size_t take = 1;
        if (body.size() >= 2 && parse_rating_line(body[body.size() - 2].text)) take = 2;
        pending_.assign(std::make_move_iterator(body.end() - static_cast<std::ptrdiff_t>(take)),
                        std::make_move_iterator(body.end()));
        body.erase(body.end() - static_cast<std::ptrdiff_t>(take), body.end());
        draft_.warnings.push_back(
            fmt::format("no helpful-votes or Permalink line: the review ends before line {}", pending_.front().number));
        finish_review();
        start_review(byline_line, std::move(byline));
    }

    void begin_draft(std::size_t first_line) {
        draft_ = Draft{};
        draft_.first_line = first_line;
        ++reviews_seen_;
    }

    void take_rating(const PageLine& line) {
        draft_.first_line = std::min(draft_.first_line, line.number);
        const auto rating = parse_rating_line(line.text);
        draft_.review.rating = rating->rating;
        draft_.review.rating_max = rating->rating_max;
        if (!rating->problem.empty()) draft_.warnings.push_back(rating->problem);
    }

    void take_headline(const PageLine& line) {
        draft_.first_line = std::min(draft_.first_line, line.number);
        if (line.too_long) {
            draft_.reject(fmt::format("the headline, line {}, is longer than the limit of {} bytes", line.number,
                                      max_bytes_));
            return;
        }
        std::string headline = clean_text(line.text);
        if (!headline.empty()) draft_.review.headline = std::move(headline);
        draft_.repaired = draft_.repaired || line.repaired;
    }

    void take_byline(const PageLine& line, Byline byline) {
        draft_.review.byline = line.text;
        draft_.review.author = std::move(byline.author);
        draft_.review.date = std::move(byline.date);
        if (!byline.problem.empty()) draft_.warnings.push_back(std::move(byline.problem));
        draft_.repaired = draft_.repaired || line.repaired;
    }

    void take_helpful(const HelpfulLine& helpful) {
        draft_.review.helpful_yes = helpful.yes;
        draft_.review.helpful_total = helpful.total;
        if (!helpful.problem.empty()) draft_.warnings.push_back(helpful.problem);
        state_ = State::helpful;
    }

    /// The natural key: one review per author per title on IMDb. Votes and text change on a re-scrape; this does not.
    std::string make_id(const Review& review) const {
        const std::string author = review.author.value_or(review.byline.value_or(""));
        if (item_) {
            return review_id("imdb", {fmt::format("{} ({})", *item_, *item_year_), author});
        }
        return review_id("imdb", {"", author, review.headline.value_or("")});
    }

    void finish_review() {
        Draft draft = std::move(draft_);
        draft_ = Draft{};
        std::string body;
        for (const auto& line : draft.body_lines) {
            if (!body.empty() || !line.blank()) body += line.text;
            body += '\n';
        }
        draft.review.body = clean_text(body);
        if (draft.review.body.empty()) {
            draft.reject(draft.warnings.empty() ? "the review has no body"
                                                : "the review has no body; " + join(draft.warnings, "; "));
        }
        if (!draft.error.empty()) {
            report(draft.first_line, Severity::error, "review rejected: " + draft.error);
            return;
        }
        if (!item_ && !warned_no_title_) {
            report(0, Severity::warning,
                   "no title line (\"<Title> (<year>) Poster\") before the first review: reviews have no item, and "
                   "their ids are made from author and headline");
            warned_no_title_ = true;
        }
        if (draft.repaired) draft.warnings.insert(draft.warnings.begin(), "invalid UTF-8 replaced with U+FFFD");
        Review& review = draft.review;
        review.item = item_;
        review.item_year = item_year_;
        review.source = fmt::format("{}:{}", name_, draft.first_line);
        review.id = make_id(review);
        if (!draft.warnings.empty()) report(draft.first_line, Severity::warning, join(draft.warnings, "; "));
        ready_.push_back(std::move(review));
    }

    void finish_page() {
        switch (state_) {
        case State::body:
            draft_.warnings.push_back("the page ends inside the review (no helpful-votes or Permalink line)");
            finish_review();
            break;
        case State::helpful:
            draft_.warnings.push_back("the page ends before the review's \"Permalink\" line");
            finish_review();
            break;
        case State::header:
        case State::gap:
            break;
        }
        skip_pending();
        // A file with no review in it gets one error saying so, not also a warning about its skipped lines.
        if (reviews_seen_ == 0) skipped_ = {};
        report_skipped();
        if (lines_.line_number() == 0) {
            report(0, Severity::warning, "empty file: no reviews");
        } else if (reviews_seen_ == 0) {
            std::string why = binary_lines_ > 0
                                  ? fmt::format("it looks binary ({} of {} lines hold control bytes)", binary_lines_,
                                                lines_.line_number())
                                  : "no line has the form of a byline (<name><day> <Month> <year>)";
            report(0, Severity::error, "not an IMDb user-review page: " + why);
        }
    }

    void report(std::size_t line, Severity severity, std::string message) {
        if (sink_) sink_(Problem{name_, line, severity, std::move(message)});
    }

    LineSource lines_;
    std::string name_;
    ProblemSink sink_;
    std::size_t max_bytes_;

    State state_ = State::header;
    bool at_end_ = false;
    std::optional<std::string> item_;
    std::optional<int> item_year_;
    bool warned_no_title_ = false;
    std::size_t reviews_seen_ = 0;
    std::size_t binary_lines_ = 0;

    std::deque<PageLine> pending_;
    std::size_t pending_bytes_ = 0;
    SkippedLines skipped_;
    Draft draft_;
    std::deque<Review> ready_;
};

}  // namespace

std::unique_ptr<ReviewReader> make_imdb_2017_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options) {
    return std::make_unique<ImdbPageReader>(in, std::move(name), std::move(sink), options);
}

}  // namespace revsearch::detail
