// The reader of a copy of IMDb reviews that kept only each review's headline and body (docs/imdb-page-format.md,
// "Copies without review details"): no rating, author, date or votes, sometimes stray markup ("<div>") between.
//
// What is left to go by is the shape every design shares: a review starts with its headline, a short line that
// does not end a sentence, directly followed (no blank line) by the first body paragraph; paragraphs are separated
// by blank lines. So a review starts at such a pair after a blank or markup line, and runs to the next one.
// When no such pair exists, where reviews start cannot be told, and one error says so instead of guessing.

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "imdb_readers.hpp"
#include "revsearch/text_cleanup.hpp"

namespace revsearch::detail {

namespace {

using namespace revsearch::imdb;

class ImdbCopyReader final : public ImdbBlockReader {
public:
    using ImdbBlockReader::ImdbBlockReader;

private:
    // One line of look-ahead: a line is a headline only if the next one is its body.
    void on_line(CardLine line) override {
        if (held_) consider(*held_, &line);
        held_ = std::move(line);
    }

    void on_end() override {
        if (held_) consider(*held_, nullptr);
        held_.reset();
        finish();
        if (reviews_seen_ == 0) {
            report_nothing(
                "not an IMDb user-review page: no review card details, and no headline directly followed by its "
                "body, so where reviews start cannot be told; nothing read");
        }
    }

    void consider(CardLine& line, const CardLine* next) {
        if (line.binary || line.too_long) {
            finish(line.binary ? fmt::format("cut off at line {} by binary data", line.number) : std::string());
            skip(line);
            after_break_ = true;
            return;
        }
        if (is_markup_line(line.text)) {
            after_break_ = true;
            return;
        }
        if (line.blank()) {
            if (headline_) body_.push_back(line);
            after_break_ = true;
            return;
        }
        const bool starts_review = after_break_ && next != nullptr && !next->blank() && !next->binary &&
                                   !next->too_long && !is_markup_line(next->text) && line.text.size() <= 150 &&
                                   next->text.size() > line.text.size() && line.text.back() != '.' &&
                                   line.text.back() != ',';
        after_break_ = false;
        if (!headline_ && take_title(line)) return;
        if (starts_review) {
            finish();
            headline_ = line;
            bytes_ = line.text.size();
            return;
        }
        if (!headline_) {
            skip(line);
            return;
        }
        bytes_ += line.text.size() + 1;
        if (bytes_ > max_bytes_) {
            too_long_ = true;
            return;
        }
        body_.push_back(std::move(line));
    }

    void finish(std::string cut = {}) {
        if (!headline_) return;
        Review review;
        bool repaired = headline_->repaired;
        review.headline = clean_text(headline_->text);
        review.body = join_body(body_, repaired);
        std::vector<std::string> warnings;
        if (!cut.empty()) warnings.push_back(std::move(cut));
        warnings.push_back("rating, author, date and votes are not in this copy (headline and body only)");
        std::string error;
        if (too_long_) error = fmt::format("the review is longer than the limit of {} bytes", max_bytes_);
        emit(std::move(review), headline_->number, std::move(warnings), repaired, error);
        headline_.reset();
        body_.clear();
        bytes_ = 0;
        too_long_ = false;
    }

    std::optional<CardLine> held_;
    bool after_break_ = true;
    std::optional<CardLine> headline_;
    std::vector<CardLine> body_;
    std::size_t bytes_ = 0;
    bool too_long_ = false;
};

}  // namespace

std::unique_ptr<ReviewReader> make_imdb_copy_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options) {
    return std::make_unique<ImdbCopyReader>(in, std::move(name), std::move(sink), options);
}

}  // namespace revsearch::detail
