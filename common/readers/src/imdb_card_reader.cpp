// The reader of IMDb's 2024+ review cards saved as text (docs/imdb-page-format.md, "The 2024+ design").
//
// A card ends in its details, so the reader gathers a card's lines until "Helpful" and then reads the votes and
// the byline:
//   card   [rating "10" then "/10"] headline [body paragraphs]     up to "Helpful"
//   votes  "•", the up count, a blank line, the down count         up to the byline
//   byline "Ps_70Sep 12, 2024Permalink"                            ends the card
// A copy may start or stop anywhere: a card without its rating keeps rating null, one cut off after its body is
// kept with a warning naming the details it lost. One card is in memory at a time, bounded by max_record_bytes.

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "imdb_readers.hpp"
#include "revsearch/text_cleanup.hpp"

namespace revsearch::detail {

namespace {

using namespace revsearch::imdb;

constexpr std::string_view bullet = "\xE2\x80\xA2";
constexpr std::string_view permalink = "Permalink";

/// The page furniture of the 2024+ design around the cards.
bool is_card_page_line(std::string_view line) {
    return line == "User reviews" || line == "User Reviews" || line == "Review" || line == "Hide spoilers" ||
           line == "Sort by" || line.starts_with("Sort by:") || line.starts_with("Filter by Rating") ||
           line == "Load more" || line == "See all" || is_header_line(line);
}

bool is_spoiler_marker(std::string_view line) { return line == "Spoiler" || is_spoiler_line(line); }

class ImdbCardReader final : public ImdbBlockReader {
public:
    using ImdbBlockReader::ImdbBlockReader;

private:
    enum class State { card, votes };

    void on_line(CardLine line) override {
        if (state_ == State::votes) {
            on_vote_line(std::move(line));
            return;
        }
        if (line.binary) {
            if (has_text()) finish({fmt::format("cut off at line {} by binary data", line.number)});
            skip(line);
            return;
        }
        if (!line.too_long) {
            // A bullet alone starts the votes too: a copy that lost the "Helpful" line keeps no vote digit in a body.
            if (line.text == "Helpful" || (line.text == bullet && has_text())) {
                state_ = State::votes;
                if (card_.empty()) card_start_ = line.number;
                return;
            }
            if (is_byline(line.text)) {
                // A byline with no "Helpful" before it: the votes are not in the copy.
                byline_ = line;
                finish({"no votes (\"Helpful\") before the byline"});
                return;
            }
            if (!has_text() && (take_title(line) || is_card_page_line(line.text))) {
                for (const auto& held : card_) skip(held);
                card_.clear();
                card_bytes_ = 0;
                return;
            }
        }
        if (card_.empty()) {
            if (line.blank()) return;
            card_start_ = line.number;
        }
        card_bytes_ += line.text.size() + 1;
        if (card_bytes_ > max_bytes_ || line.too_long) {
            too_long_ = true;
            return;
        }
        card_.push_back(std::move(line));
    }

    void on_vote_line(CardLine line) {
        if (line.blank()) return;
        if (!line.too_long && !line.binary) {
            if (line.text == bullet && votes_seen_ == 0) return;
            if (const auto count = parse_count_line(line.text); count && votes_seen_ < 2) {
                (votes_seen_++ == 0 ? up_ : down_) = count;
                return;
            }
            if (is_byline(line.text)) {
                byline_ = std::move(line);
                finish({});
                return;
            }
        }
        // The next card began without this one's byline.
        finish({fmt::format("no byline after the votes (line {}): no author or date", line.number)});
        on_line(std::move(line));
    }

    void on_end() override {
        if (state_ == State::votes) {
            finish({"the copy ends before the review's byline: no author or date"});
        } else if (has_text()) {
            finish({"the copy ends after the review's text: no votes, author or date"});
        } else {
            for (const auto& held : card_) skip(held);
        }
        if (reviews_seen_ == 0) {
            report_nothing(
                "not an IMDb user-review page: no 2024+ review card (a headline before \"Helpful\" and a byline "
                "\"<name><Mon> <day>, <year>Permalink\")");
        }
    }

    static bool is_byline(std::string_view line) {
        return line.size() > permalink.size() && line.ends_with(permalink);
    }

    bool has_text() const {
        for (const auto& line : card_) {
            if (!line.blank()) return true;
        }
        return too_long_;
    }

    /// Turns the card read so far into a review; `warnings` are what the reader already knows is missing.
    void finish(std::vector<std::string> warnings) {
        if (!has_text()) {
            // Votes and a byline whose card was not copied (a copy starting mid-card): nothing to keep.
            for (const auto& held : card_) skip(held);
            if (byline_) skip(*byline_);
            reset();
            return;
        }
        std::vector<CardLine> lines;
        for (auto& line : card_) {
            // Markup a copy kept ("<div>") is no part of the text.
            if (!is_markup_line(line.text)) lines.push_back(std::move(line));
        }
        Review review;
        std::string error;
        bool repaired = false;
        std::size_t at = 0;
        auto skip_blank = [&] {
            while (at < lines.size() && lines[at].blank()) ++at;
        };
        skip_blank();
        // The rating: "10" then "/10", or "10/10" on one line.
        if (at < lines.size()) {
            if (auto rating = parse_rating_line(lines[at].text)) {
                take_rating(review, *rating, warnings);
                ++at;
            } else if (parse_count_line(lines[at].text) && lines[at].text.size() <= 3) {
                std::size_t scale = at + 1;
                while (scale < lines.size() && lines[scale].blank()) ++scale;
                if (scale < lines.size() && lines[scale].text.starts_with("/")) {
                    if (auto split = parse_rating_line(lines[at].text + lines[scale].text)) {
                        take_rating(review, *split, warnings);
                        at = scale + 1;
                    }
                }
            }
        }
        skip_blank();
        if (at < lines.size() && is_spoiler_marker(lines[at].text)) {
            review.spoiler = true;
            ++at;
            skip_blank();
        }
        if (at < lines.size()) {
            review.headline = clean_text(lines[at].text);
            repaired = lines[at].repaired;
            if (review.headline->empty()) review.headline.reset();
            ++at;
        }
        skip_blank();
        if (at < lines.size() && is_spoiler_marker(lines[at].text)) {
            review.spoiler = true;
            ++at;
        }
        review.body = join_body(std::vector<CardLine>(lines.begin() + static_cast<std::ptrdiff_t>(at), lines.end()),
                                repaired);
        if (too_long_) {
            error = fmt::format("the review is longer than the limit of {} bytes", max_bytes_);
        } else if (!review.headline) {
            error = "the card has no headline and no text";
        }
        if (up_ || down_) {
            if (up_ && down_) {
                review.helpful_yes = up_;
                review.helpful_total = *up_ + *down_;
            } else {
                warnings.push_back("only one of the up and down vote counts: votes dropped");
            }
        } else if (state_ == State::votes && byline_) {
            warnings.push_back("\"Helpful\" without vote counts: votes dropped");
        }
        if (byline_) take_byline(review, *byline_, warnings);
        emit(std::move(review), card_start_, std::move(warnings), repaired, error);
        reset();
    }

    void reset() {
        card_.clear();
        card_bytes_ = 0;
        too_long_ = false;
        byline_.reset();
        up_.reset();
        down_.reset();
        votes_seen_ = 0;
        state_ = State::card;
    }

    static void take_rating(Review& review, const RatingLine& rating, std::vector<std::string>& warnings) {
        review.rating = rating.rating;
        review.rating_max = rating.rating_max;
        if (!rating.problem.empty()) warnings.push_back(rating.problem);
    }

    static void take_byline(Review& review, const CardLine& line, std::vector<std::string>& warnings) {
        const std::string_view text = std::string_view(line.text).substr(0, line.text.size() - permalink.size());
        review.byline = std::string(text);
        if (const auto dated = split_us_date_suffix(text)) {
            if (dated->before.empty()) {
                warnings.push_back(fmt::format("byline \"{}\" has no author name", text));
            } else {
                review.author = dated->before;
            }
            review.date = dated->date.iso;
            if (!dated->date.problem.empty()) warnings.push_back(dated->date.problem);
        } else {
            review.author = std::string(text);
            warnings.push_back(fmt::format("byline \"{}\" has no date: the whole line is taken as the author", text));
        }
    }

    State state_ = State::card;
    std::vector<CardLine> card_;
    std::size_t card_start_ = 0;
    std::size_t card_bytes_ = 0;
    bool too_long_ = false;
    std::optional<CardLine> byline_;
    std::optional<std::int64_t> up_, down_;
    int votes_seen_ = 0;
};

}  // namespace

std::unique_ptr<ReviewReader> make_imdb_2024_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options) {
    return std::make_unique<ImdbCardReader>(in, std::move(name), std::move(sink), options);
}

}  // namespace revsearch::detail
