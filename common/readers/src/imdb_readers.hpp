#pragma once
// Internal: one reader per design of IMDb's user-review page (docs/imdb-page-format.md), over the line parsers
// of imdb_page_lines.hpp. make_imdb_page_reader (imdb_design_reader.cpp) detects the design and picks one.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "imdb_page_lines.hpp"
#include "readers.hpp"
#include "revsearch/line_source.hpp"

namespace revsearch::detail {

/// The 2017-2023 page (imdb_page_reader.cpp).
std::unique_ptr<ReviewReader> make_imdb_2017_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options);
/// The 2024+ review cards (imdb_card_reader.cpp).
std::unique_ptr<ReviewReader> make_imdb_2024_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options);
/// The page before 2017 (imdb_legacy_reader.cpp).
std::unique_ptr<ReviewReader> make_imdb_before_2017_reader(std::istream& in, std::string name, ProblemSink sink,
                                                           const ReaderOptions& options);
/// Headline and body blocks only (imdb_copy_reader.cpp).
std::unique_ptr<ReviewReader> make_imdb_copy_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options);

/// One line of the page as the block readers see it.
struct CardLine {
    std::size_t number = 0;
    std::string text;       ///< trimmed, invalid UTF-8 replaced
    bool too_long = false;  ///< LineSource cut it at the limit
    bool binary = false;
    bool repaired = false;
    bool blank() const { return text.empty() && !too_long && !binary; }
};

/// What the readers of the 2024+, pre-2017 and copy designs share: reading lines, the page title, the lines
/// that belong to no review, and turning a finished review into a Review with its id, source and warnings.
class ImdbBlockReader : public ReviewReader {
public:
    ImdbBlockReader(std::istream& in, std::string name, ProblemSink sink, const ReaderOptions& options);
    bool next(Review& out) final;

protected:

    virtual void on_line(CardLine line) = 0;
    virtual void on_end() = 0;

    /// A title line ("Pusher II (2004) Poster") sets the item of every review after it; true when it was one.
    bool take_title(const CardLine& line);
    /// A line that belongs to no review: gathered into one warning per run of them.
    void skip(const CardLine& line);
    void report_skipped();
    /// Joins body lines into paragraphs (a blank line between two) and cleans them; "" when there are none.
    static std::string join_body(const std::vector<CardLine>& lines, bool& repaired);
    /// Sets item, item_year, source and id; reports the warnings (or rejects when `error` is set) and queues it.
    void emit(Review review, std::size_t first_line, std::vector<std::string> warnings, bool repaired,
              const std::string& error = {});
    /// At the end of a file with no review in it: one error saying why.
    void report_nothing(const std::string& why);
    void report(std::size_t line, Severity severity, std::string message);

    std::size_t max_bytes_;
    std::size_t reviews_seen_ = 0;
    std::size_t binary_lines_ = 0;
    std::size_t lines_read() const { return lines_.line_number(); }

private:
    LineSource lines_;
    std::string name_;
    ProblemSink sink_;
    bool at_end_ = false;
    std::optional<std::string> item_;
    std::optional<int> item_year_;
    std::deque<Review> ready_;
    std::size_t skipped_first_ = 0, skipped_last_ = 0, skipped_count_ = 0;
    std::string skipped_sample_;
};

}  // namespace revsearch::detail
