// The designs of IMDb's user-review page other than 2017-2023 (docs/imdb-page-format.md): detection, the shared
// field parsers, and each reader field by field over fixtures written for these tests (tests/fixtures/imdb/).
#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "imdb_page_lines.hpp"
#include "readers.hpp"
#include "revsearch/reader.hpp"

using revsearch::Problem;
using revsearch::Review;
using revsearch::Severity;
using revsearch::imdb::Design;

namespace {

const std::string fixtures = std::string(REVSEARCH_FIXTURES) + "/imdb/";

struct Read {
    std::vector<Review> reviews;
    std::vector<Problem> problems;
    std::vector<std::string> notes;

    std::string warning_at(std::size_t line) const {
        for (const auto& problem : problems) {
            if (problem.line == line && problem.severity == Severity::warning) return problem.message;
        }
        return "";
    }
};

std::string load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Read read_text(const std::string& text, const std::string& name = "page.txt") {
    Read result;
    std::istringstream in(text);
    auto reader = revsearch::detail::make_imdb_page_reader(
        in, name,
        [&](const Problem& problem) {
            if (problem.severity == Severity::note) {
                result.notes.push_back(problem.message);
            } else {
                result.problems.push_back(problem);
            }
        },
        {});
    Review review;
    while (reader->next(review)) result.reviews.push_back(review);
    return result;
}

Read read_fixture(const std::string& file) { return read_text(load(fixtures + file), file); }

/// One expected review; "" / nullopt = the field is absent.
struct Row {
    std::optional<double> rating;
    std::string headline;
    std::string body_start;  ///< the body starts with this ("" = empty body)
    std::optional<std::int64_t> yes, total;
    std::string author, date;
    bool spoiler = false;
    std::string warning;  ///< a fragment of the review's warning ("" = no warning)
};

void check_rows(const Read& read, const std::vector<Row>& rows) {
    REQUIRE(read.reviews.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CAPTURE(i);
        const Review& review = read.reviews[i];
        const Row& row = rows[i];
        CHECK(review.rating == row.rating);
        CHECK(review.rating_max == (row.rating ? std::optional<double>(10) : std::nullopt));
        CHECK(review.headline.value_or("") == row.headline);
        CHECK(review.body.starts_with(row.body_start));
        CHECK(review.body.empty() == row.body_start.empty());
        CHECK(review.helpful_yes == row.yes);
        CHECK(review.helpful_total == row.total);
        CHECK(review.author.value_or("") == row.author);
        CHECK(review.date.value_or("") == row.date);
        CHECK(review.spoiler == row.spoiler);
        // No card furniture in any body.
        for (std::string_view furniture : {"Helpful", "\xE2\x80\xA2", "Permalink", "<div>", "/10"}) {
            CHECK(review.body.find(furniture) == std::string::npos);
        }
        const std::size_t line = std::stoul(review.source.substr(review.source.rfind(':') + 1));
        const std::string warning = read.warning_at(line);
        if (row.warning.empty()) {
            CHECK_MESSAGE(warning.empty(), warning);
        } else {
            CHECK_MESSAGE(warning.find(row.warning) != std::string::npos, warning);
        }
    }
}

}  // namespace

// ---- the shared field parsers ---------------------------------------------------------------------------------

TEST_CASE("parse_date_text: every form IMDb printed") {
    struct Case {
        std::string_view text;
        std::string_view iso;  // "" = the form is right but the day does not exist
    };
    const Case cases[] = {
        {"11 March 2006", "2006-03-11"},   {"1 January 2004", "2004-01-01"}, {"Sep 12, 2024", "2024-09-12"},
        {"Oct 6, 2024", "2024-10-06"},     {"Sept 3, 2024", "2024-09-03"},   {"September 12, 2024", "2024-09-12"},
        {"May 1, 2024", "2024-05-01"},     {"12 Sep 2006", "2006-09-12"},    {"Feb 29, 2024", "2024-02-29"},
        {"Feb 29, 2023", ""},              {"Jun 31, 2024", ""},             {"31 February 2005", ""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const auto date = revsearch::imdb::parse_date_text(c.text);
        REQUIRE(date.has_value());
        CHECK(date->iso.value_or("") == c.iso);
        CHECK(date->problem.empty() == !c.iso.empty());
    }
    for (std::string_view text : {"", "2024", "Sep 12 2024", "12, 2024", "Sep 012, 2024", "Smarch 3, 2024",
                                  "3 March 24", "the 3 March 2024"}) {
        CAPTURE(text);
        CHECK_FALSE(revsearch::imdb::parse_date_text(text).has_value());
    }
}

TEST_CASE("split_us_date_suffix: the 2024+ byline, name glued to the month") {
    struct Case {
        std::string_view line, before, iso;
    };
    const Case cases[] = {
        {"Ps_70Sep 12, 2024", "Ps_70", "2024-09-12"},
        {"Mishti2410Oct 6, 2024", "Mishti2410", "2024-10-06"},
        {"kira-malynSep 13, 2024", "kira-malyn", "2024-09-13"},
        {"reader_99September 9, 2024", "reader_99", "2024-09-09"},
        {"JuneMay 5, 2024", "June", "2024-05-05"},
        {"Anna K Sep 1, 2024", "Anna K", "2024-09-01"},
        {"Sep 1, 2024", "", "2024-09-01"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.line);
        const auto split = revsearch::imdb::split_us_date_suffix(c.line);
        REQUIRE(split.has_value());
        CHECK(split->before == c.before);
        CHECK(split->date.iso.value_or("") == c.iso);
    }
    for (std::string_view line : {"undated_user", "Ps_70sep 12, 2024", "Ps_70Sep 12 2024", "Hello, world"}) {
        CAPTURE(line);
        CHECK_FALSE(revsearch::imdb::split_us_date_suffix(line).has_value());
    }
}

TEST_CASE("vote counts, useful lines, author lines and markup lines") {
    using namespace revsearch::imdb;
    CHECK(parse_count_line("4") == 4);
    CHECK(parse_count_line("1,234") == 1234);
    CHECK_FALSE(parse_count_line("4 votes").has_value());
    CHECK_FALSE(parse_count_line(",4").has_value());
    CHECK_FALSE(parse_count_line("").has_value());

    const auto useful = parse_useful_line("1,234 out of 1,500 people found the following review useful:");
    REQUIRE(useful.has_value());
    CHECK(useful->yes == 1234);
    CHECK(useful->total == 1500);
    const auto more_yes = parse_useful_line("9 out of 5 people found the following review useful:");
    REQUIRE(more_yes.has_value());
    CHECK_FALSE(more_yes->yes.has_value());
    CHECK_FALSE(more_yes->problem.empty());
    CHECK_FALSE(parse_useful_line("9 out of 5 found this helpful.").has_value());

    CHECK(parse_author_line("Author: Anna K from Denmark") == "Anna K");
    CHECK(parse_author_line("Author: filmgoer77") == "filmgoer77");
    CHECK_FALSE(parse_author_line("The author: someone").has_value());

    for (std::string_view line : {"<div>", "</div>", "<br/>", "<p class=\"x\">"}) CHECK(is_markup_line(line));
    for (std::string_view line : {"<3 this show>", "< div>", "<div>text</div>", "a <div>", "<>", "<1>"}) {
        CAPTURE(line);
        CHECK_FALSE(is_markup_line(line));
    }
}

// ---- detection --------------------------------------------------------------------------------------------------

TEST_CASE("detect_design names the design of each page") {
    struct Case {
        std::string file;
        std::optional<Design> design;
    };
    const Case cases[] = {
        {std::string(REVSEARCH_CORPORA) + "/pusher-ii-2004.txt", Design::from_2017},
        {fixtures + "mini-page.txt", Design::from_2017},
        {fixtures + "cards-2024.txt", Design::from_2024},
        {fixtures + "cards-2024-details.txt", Design::from_2024},
        {fixtures + "before-2017.txt", Design::before_2017},
        {fixtures + "without-details.txt", Design::without_details},
        {fixtures + "without-details-unsafe.txt", std::nullopt},
        {fixtures + "empty.txt", std::nullopt},
    };
    for (const auto& c : cases) {
        CAPTURE(c.file);
        CHECK(revsearch::imdb::detect_design(load(c.file), false) == c.design);
    }
    // Headline and body blocks with no markup are a copy only when the file name says IMDb.
    const std::string blocks = "A headline\nA body line that is longer than the headline.\n";
    CHECK_FALSE(revsearch::imdb::detect_design(blocks, false).has_value());
    CHECK(revsearch::imdb::detect_design(blocks, true) == Design::without_details);
    // An HTML document is not a copy of a page's text.
    CHECK_FALSE(revsearch::imdb::detect_design("<html>\n\nTitle\nA body line longer than the title.\n", true));
}

TEST_CASE("detect_format: every IMDb design is the imdb format, and a CSV named imdb stays CSV") {
    using revsearch::Format;
    for (const char* file : {"cards-2024.txt", "before-2017.txt", "without-details.txt"}) {
        CAPTURE(file);
        CHECK(revsearch::detect_format(load(fixtures + file), file) == Format::imdb);
    }
    CHECK(revsearch::detect_format("review,rating\nGood film,5\n", "imdb.csv") == Format::csv);
    CHECK_FALSE(revsearch::detect_format("A headline\nA body line that is longer than the headline.\n", "notes.txt"));
}

TEST_CASE("the reader says which design it read") {
    struct Case {
        std::string file, note;
    };
    const Case cases[] = {
        {"mini-page.txt", "IMDb page design: 2017-2023"},
        {"cards-2024.txt", "IMDb page design: 2024+"},
        {"before-2017.txt", "IMDb page design: pre-2017"},
        {"without-details.txt", "IMDb page design: headline-and-body copy (no review details)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.file);
        const Read read = read_fixture(c.file);
        REQUIRE(read.notes.size() == 1);
        CHECK(read.notes[0] == c.note);
    }
}

// ---- the 2024+ cards --------------------------------------------------------------------------------------------

TEST_CASE("2024+ cards: a partial selection, field by field") {
    const Read read = read_fixture("cards-2024.txt");
    check_rows(read, {
        {std::nullopt, "Quiet harbour, loud hearts", "The first episode takes its time", 12, 13, "harbourfan2410",
         "2024-10-06", false, ""},
        {9, "Better than the trailer", "A tidy script", 1204, 1300, "Ms_42", "2024-09-12", false, ""},
        {8, "Worth the late nights", "", 3, 5, "night-owl", "2024-09-03", false, ""},
        {7, "The twist", "The twist in episode six", 5, 10, "reader_99", "2024-09-09", true, ""},
        {6, "Not for me", "The pacing lost me", std::nullopt, std::nullopt, "", "", false,
         "the copy ends after the review's text: no votes, author or date"},
    });
    // Paragraphs stay paragraphs.
    CHECK(read.reviews[0].body ==
          "The first episode takes its time, and it is worth it.\n\nThe lead pair carries every scene without a word "
          "too many.");
    CHECK(read.reviews[1].byline == "Ms_42Sep 12, 2024");
    CHECK_FALSE(read.reviews[0].item.has_value());
    // One warning, for the cut-off card; nothing rejected.
    REQUIRE(read.problems.size() == 1);
    CHECK(read.problems[0].severity == Severity::warning);
}

TEST_CASE("2024+ cards: title, page furniture, markup and impossible values") {
    const Read read = read_fixture("cards-2024-details.txt");
    check_rows(read, {
        {10, "Ten out of ten", "Every episode ends", 2, 2, "tidewatcher", "2024-05-01", false, ""},
        {std::nullopt, "Eleven is not a rating", "A rating past the scale", 0, 0, "over_the_top", "", false,
         "outside 1-10"},
        {5, "No date on this one", "The byline lost its date", 1, 4, "undated_user", "", false, "has no date"},
    });
    CHECK(read.reviews[0].body == "Every episode ends where the next one wants to start.\n\nI watched it twice.");
    const std::string& source = read.reviews[1].source;
    CHECK(read.warning_at(std::stoul(source.substr(source.rfind(':') + 1))).find("\"Jun 31, 2024\" does not exist") !=
          std::string::npos);
    for (const auto& review : read.reviews) {
        CHECK(review.item == "Harbour Lights");
        CHECK(review.item_year == 2024);
    }
}

TEST_CASE("2024+ cards: cut anywhere, never a crash, never furniture in a body") {
    const std::string page = load(fixtures + "cards-2024.txt");
    // Every prefix of the page: the reviews read are whole ones or the cut-off last one, warned about.
    for (std::size_t end = 0; end <= page.size(); end += 7) {
        CAPTURE(end);
        const Read read = read_text(page.substr(0, end), "imdb-cut.txt");
        CHECK(read.reviews.size() <= 5);
        for (const auto& review : read.reviews) {
            CHECK(review.body.find("Helpful") == std::string::npos);
            CHECK(review.body.find("Permalink") == std::string::npos);
        }
    }
}

// ---- before 2017 ------------------------------------------------------------------------------------------------

TEST_CASE("before 2017: useful votes, headline with its date, author from place") {
    const Read read = read_fixture("before-2017.txt");
    check_rows(read, {
        {std::nullopt, "A harbour full of ghosts", "The old keeper's story", 12, 20, "seaside_viewer", "2006-03-12", false, ""},
        {8, "Overlong", "The ending drags on", 1234, 1500, "Anna K", "2005-07-07", true, ""},
        {std::nullopt, "Quiet and kind", "Nobody had voted", std::nullopt, std::nullopt, "filmgoer77",
         "2004-01-01", false, ""},
    });
    CHECK(read.problems.empty());
    CHECK(read.reviews[0].body ==
          "The old keeper's story is told with patience.\n\nNothing happens fast here, and that is the point.");
    for (const auto& review : read.reviews) {
        CHECK(review.item == "Harbour Lights");
        CHECK(review.item_year == 2006);
    }
}

// ---- copies without details -------------------------------------------------------------------------------------

TEST_CASE("a copy without details: headline and body kept, each with a warning of what is missing") {
    const Read read = read_fixture("without-details.txt");
    const std::string missing = "rating, author, date and votes are not in this copy";
    check_rows(read, {
        {std::nullopt, "A slow start that pays off", "I was not sure", std::nullopt, std::nullopt, "", "", false,
         missing},
        {std::nullopt, "Too many flashbacks", "Every episode jumps", std::nullopt, std::nullopt, "", "", false,
         missing},
    });
    CHECK(read.reviews[0].body.find("The two leads") != std::string::npos);
    CHECK(read.reviews[0].id != read.reviews[1].id);
}

TEST_CASE("a copy where reviews cannot be told apart: one error saying why") {
    const Read read = read_text(load(fixtures + "without-details-unsafe.txt"), "imdb-copy.txt");
    CHECK(read.reviews.empty());
    REQUIRE(read.problems.size() == 1);
    CHECK(read.problems[0].severity == Severity::error);
    CHECK(read.problems[0].line == 0);
    CHECK(read.problems[0].message.find("where reviews start cannot be told") != std::string::npos);
}

// ---- robustness -------------------------------------------------------------------------------------------------

TEST_CASE("IMDb designs: hostile shapes never crash or hang, and never lose the file name") {
    const std::string bullet = "\xE2\x80\xA2";
    const std::string rows[] = {
        "Helpful\n" + bullet + "\nHelpful\n" + bullet + "\n1\n\n2\n3\n4\nxSep 1, 2024Permalink\n",
        "10\n/10\n10\n/10\nHelpful\n" + bullet + "\n",
        "xSep 1, 2024Permalink\nySep 2, 2024Permalink\n",
        "h\nHelpful\n" + bullet + "\n1\n\n1\n" + std::string(5000, 'x') + "Sep 1, 2024Permalink\n",
        "h\nbody\nHelpful\n" + bullet + "\n" + std::string("a\0b", 3) + "\n",
        "1 out of 2 people found the following review useful:\nAuthor: a\nAuthor: b\nAuthor: c\n",
        "Author: x\n" + std::string(5000, 'y') + "\nWas the above review useful to you?\n",
        "Was the above review useful to you?\nAuthor:\n\n",
        "<div>\n" + std::string(3000, 'z') + "\n" + std::string(4000, 'z') + "\n<div>\n",
        "<div>\nh\n" + std::string(200, 'b') + "\n" + std::string("\xff\xfe", 2) + "\n<div>\n",
    };
    for (const auto& text : rows) {
        CAPTURE(text.substr(0, 80));
        for (const char* name : {"hostile.txt", "imdb-hostile.txt"}) {
            const Read read = read_text(text, name);
            CHECK(read.reviews.size() <= 4);
            for (const auto& problem : read.problems) CHECK(problem.file == name);
            for (const auto& review : read.reviews) CHECK(review.id.size() == 16);
        }
    }
}

TEST_CASE("2024+ cards: any one line removed costs at most the cards around it") {
    const std::string page = load(fixtures + "cards-2024.txt");
    std::vector<std::string> lines;
    std::istringstream in(page);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    for (std::size_t removed = 0; removed < lines.size(); ++removed) {
        CAPTURE(removed + 1);
        std::string text;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i != removed) text += lines[i] + "\n";
        }
        const Read read = read_text(text, "imdb-cut.txt");
        // A lost line merges or splits at most the card it was in: at least four of the five survive.
        CHECK(read.reviews.size() >= 4);
        CHECK(read.reviews.size() <= 6);
        for (const auto& review : read.reviews) {
            CHECK(review.headline.has_value());
            CHECK(review.body.find("Helpful") == std::string::npos);
            CHECK(review.body.find("Permalink") == std::string::npos);
            CHECK(review.body.find("\xE2\x80\xA2") == std::string::npos);
        }
    }
}
