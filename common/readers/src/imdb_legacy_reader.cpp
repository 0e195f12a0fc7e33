// The reader of IMDb's user-review page before 2017 saved as text (docs/imdb-page-format.md, "Before 2017").
//
// One review, as the page printed it (the rating was an image: its "8/10" is in the text only when the copy
// kept the image's alt text):
//   12 out of 20 people found the following review useful:     absent when nobody had voted
//   A fine headline, 12 March 2006                              or the headline and the date on two lines
//   [8/10]
//   Author: somebody from Somewhere
//   [12 March 2006]
//   [*** This review may contain spoilers ***]
//   body paragraphs
//   Was the above review useful to you?
// "Author:" is the anchor: the lines before it since the last review are its header.

#include <deque>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "imdb_readers.hpp"
#include "revsearch/text_cleanup.hpp"

namespace revsearch::detail {

namespace {

using namespace revsearch::imdb;

bool is_vote_prompt(std::string_view line) { return line.starts_with("Was the above review useful to you?"); }
bool is_old_spoiler_line(std::string_view line) {
    return line == "*** This review may contain spoilers ***" || is_spoiler_line(line);
}

class ImdbLegacyReader final : public ImdbBlockReader {
public:
    using ImdbBlockReader::ImdbBlockReader;

private:
    void on_line(CardLine line) override {
        if (in_body_) {
            on_body_line(std::move(line));
        } else {
            on_gap_line(std::move(line));
        }
    }

    void on_gap_line(CardLine line) {
        if (line.blank()) return;
        if (!line.too_long && !line.binary) {
            if (take_title(line) || is_header_line(line.text) || is_footer_line(line.text) ||
                is_vote_prompt(line.text)) {
                skip_pending();
                return;
            }
            if (auto useful = parse_useful_line(line.text)) {
                skip_pending();
                useful_ = std::move(*useful);
                useful_line_ = line.number;
                return;
            }
            if (auto author = parse_author_line(line.text)) {
                start_review(line, std::move(*author));
                return;
            }
        }
        pending_bytes_ += line.text.size();
        pending_.push_back(std::move(line));
        while (pending_bytes_ > max_bytes_ && !pending_.empty()) {
            pending_bytes_ -= pending_.front().text.size();
            skip(pending_.front());
            pending_.pop_front();
        }
    }

    void skip_pending() {
        for (const auto& held : pending_) skip(held);
        pending_.clear();
        pending_bytes_ = 0;
        useful_.reset();
    }

    /// The header is read from its end: rating and date lines, then the headline (which may end in ", <date>").
    void start_review(const CardLine& author_line, std::string author) {
        review_ = Review{};
        warnings_.clear();
        repaired_ = author_line.repaired;
        first_line_ = useful_ ? useful_line_ : author_line.number;
        std::size_t at = pending_.size();
        while (at > 0) {
            const CardLine& line = pending_[at - 1];
            if (line.too_long || line.binary) break;
            if (auto rating = parse_rating_line(line.text); rating && !review_.rating) {
                take_rating(*rating);
            } else if (auto date = parse_date_text(line.text); date && !review_.date) {
                take_date(*date);
            } else {
                break;
            }
            --at;
        }
        if (at > 0 && !pending_[at - 1].too_long && !pending_[at - 1].binary) {
            const CardLine& line = pending_[at - 1];
            std::string_view headline = line.text;
            const std::size_t comma = headline.rfind(", ");
            if (comma != std::string_view::npos && !review_.date) {
                if (auto date = parse_date_text(headline.substr(comma + 2))) {
                    take_date(*date);
                    headline = headline.substr(0, comma);
                }
            }
            review_.headline = clean_text(headline);
            if (review_.headline->empty()) review_.headline.reset();
            repaired_ = repaired_ || line.repaired;
            first_line_ = std::min(first_line_, line.number);
            --at;
        } else {
            warnings_.push_back("no headline before the \"Author:\" line");
        }
        for (std::size_t i = 0; i < at; ++i) skip(pending_[i]);
        pending_.clear();
        pending_bytes_ = 0;
        if (useful_) {
            review_.helpful_yes = useful_->yes;
            review_.helpful_total = useful_->total;
            if (!useful_->problem.empty()) warnings_.push_back(useful_->problem);
            useful_.reset();
        }
        if (author.empty()) {
            warnings_.push_back("\"Author:\" line without a name");
        } else {
            review_.author = std::move(author);
        }
        review_.byline = author_line.text;
        in_body_ = true;
        body_started_ = false;
    }

    void on_body_line(CardLine line) {
        if (line.binary || line.too_long) {
            if (line.too_long) too_long_ = true;
            warnings_.push_back(fmt::format("cut off at line {} by {}", line.number,
                                            line.binary ? "binary data" : "an over-long line"));
            finish();
            skip(line);
            return;
        }
        if (!body_started_) {
            if (line.blank()) return;
            if (auto date = parse_date_text(line.text); date && !review_.date) {
                take_date(*date);
                return;
            }
            if (auto rating = parse_rating_line(line.text); rating && !review_.rating) {
                take_rating(*rating);
                return;
            }
            if (is_old_spoiler_line(line.text)) {
                review_.spoiler = true;
                return;
            }
        }
        if (is_vote_prompt(line.text)) {
            finish();
            return;
        }
        if (auto useful = parse_useful_line(line.text)) {
            warnings_.push_back(fmt::format("no \"Was the above review useful to you?\" line: the review ends before "
                                            "line {}",
                                            line.number));
            finish();
            on_gap_line(std::move(line));
            return;
        }
        if (auto author = parse_author_line(line.text)) {
            // The next review began without a vote line of its own: its header is the end of this body, back to
            // the last blank line.
            std::size_t start = body_.size();
            while (start > 0 && !body_[start - 1].blank()) --start;
            std::vector<CardLine> header(body_.begin() + static_cast<std::ptrdiff_t>(start), body_.end());
            body_.erase(body_.begin() + static_cast<std::ptrdiff_t>(start), body_.end());
            warnings_.push_back("no \"Was the above review useful to you?\" line after the review");
            finish();
            for (auto& held : header) pending_.push_back(std::move(held));
            start_review(line, std::move(*author));
            return;
        }
        if (is_footer_start_line(line.text)) {
            warnings_.push_back(fmt::format("the page footer starts at line {} inside the review", line.number));
            finish();
            return;
        }
        body_started_ = true;
        body_bytes_ += line.text.size() + 1;
        if (body_bytes_ > max_bytes_) {
            too_long_ = true;
            return;
        }
        body_.push_back(std::move(line));
    }

    void on_end() override {
        if (in_body_) {
            warnings_.push_back("the page ends inside the review (no \"Was the above review useful to you?\" line)");
            finish();
        }
        for (const auto& held : pending_) skip(held);
        pending_.clear();
        if (reviews_seen_ == 0) {
            report_nothing("not an IMDb user-review page: no \"Author: <name>\" line of the pre-2017 design");
        }
    }

    void take_rating(const RatingLine& rating) {
        review_.rating = rating.rating;
        review_.rating_max = rating.rating_max;
        if (!rating.problem.empty()) warnings_.push_back(rating.problem);
    }

    void take_date(const DateText& date) {
        review_.date = date.iso;
        if (!date.problem.empty()) warnings_.push_back(date.problem);
        // A date that did not exist is still the review's date line: it is not read again as a body line.
        if (!review_.date) review_.date = std::string();
    }

    void finish() {
        if (review_.date && review_.date->empty()) review_.date.reset();
        review_.body = join_body(body_, repaired_);
        std::string error;
        if (too_long_) {
            error = fmt::format("the review is longer than the limit of {} bytes", max_bytes_);
        } else if (review_.body.empty()) {
            error = "the review has no body";
        }
        emit(std::move(review_), first_line_, std::move(warnings_), repaired_, error);
        review_ = Review{};
        warnings_.clear();
        body_.clear();
        body_bytes_ = 0;
        too_long_ = false;
        in_body_ = false;
    }

    std::deque<CardLine> pending_;
    std::size_t pending_bytes_ = 0;
    std::optional<HelpfulLine> useful_;
    std::size_t useful_line_ = 0;

    bool in_body_ = false;
    bool body_started_ = false;
    Review review_;
    std::vector<std::string> warnings_;
    bool repaired_ = false;
    std::size_t first_line_ = 0;
    std::vector<CardLine> body_;
    std::size_t body_bytes_ = 0;
    bool too_long_ = false;
};

}  // namespace

std::unique_ptr<ReviewReader> make_imdb_before_2017_reader(std::istream& in, std::string name, ProblemSink sink,
                                                           const ReaderOptions& options) {
    return std::make_unique<ImdbLegacyReader>(in, std::move(name), std::move(sink), options);
}

}  // namespace revsearch::detail
