#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "imdb_page_lines.hpp"
#include "readers.hpp"
#include "revsearch/review_id.hpp"

using revsearch::Problem;
using revsearch::Review;
using revsearch::Severity;

namespace {

const std::string page_path = std::string(REVSEARCH_CORPORA) + "/pusher-ii-2004.txt";
const std::string fixtures = std::string(REVSEARCH_FIXTURES) + "/imdb/";

struct ReadResult {
    std::vector<Review> reviews;
    std::vector<Problem> problems;  ///< warnings and errors
    std::vector<Problem> notes;     ///< what the reader found: the design

    std::size_t count(Severity severity) const {
        std::size_t n = 0;
        for (const auto& problem : problems) n += problem.severity == severity ? 1 : 0;
        return n;
    }
    std::string all_problems() const {
        std::string out;
        for (const auto& problem : problems) out += revsearch::format_problem(problem) + "\n";
        return out;
    }
};

ReadResult read_text(const std::string& text, const std::string& name, revsearch::ReaderOptions options = {}) {
    ReadResult result;
    std::istringstream in(text);
    auto reader = revsearch::detail::make_imdb_page_reader(
        in, name,
        [&](const Problem& problem) {
            (problem.severity == Severity::note ? result.notes : result.problems).push_back(problem);
        },
        options);
    Review review;
    while (reader->next(review)) result.reviews.push_back(review);
    return result;
}

std::string load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

ReadResult read_fixture(const std::string& file, revsearch::ReaderOptions options = {}) {
    return read_text(load(fixtures + file), file, options);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// ---- the line kinds -------------------------------------------------------------------------------------------

TEST_CASE("split_byline: the day glued to the name, split by the documented rule") {
    struct Row {
        std::string_view line;
        std::string_view author;  // "" = none
        std::string_view date;    // "" = none
    };
    const Row rows[] = {
        // The rule's own examples (docs/imdb-page-format.md).
        {"robo829 July 2006", "robo8", "2006-07-29"},
        {"alke-23 January 2005", "alke-2", "2005-01-03"},
        {"PAolo-108 February 2009", "PAolo-10", "2009-02-08"},
        {"peterroeder348 October 2014", "peterroeder34", "2014-10-08"},
        {"Pjtaylor-96-13804426 April 2022", "Pjtaylor-96-138044", "2022-04-26"},
        // Names ending in a letter: the whole digit run is the day.
        {"UlrikSander11 March 2006", "UlrikSander", "2006-03-11"},
        {"brchthethird4 April 2015", "brchthethird", "2015-04-04"},
        {"Jack_Coen10 October 2011", "Jack_Coen", "2011-10-10"},
        {"leon-smoothy24 March 2018", "leon-smoothy", "2018-03-24"},
        // Names ending in digits, two-digit day taken.
        {"Uriah4330 March 2024", "Uriah43", "2024-03-30"},
        {"slake0912 July 2008", "slake09", "2008-07-12"},
        {"yoshi-3315 August 2005", "yoshi-33", "2005-08-15"},
        {"methodman-7025227 April 2020", "methodman-70252", "2020-04-27"},
        // '_' and '.' guard the name like '-'.
        {"joe_15 May 2001", "joe_1", "2001-05-05"},
        {"j.r.12 May 2001", "j.r.1", "2001-05-02"},
        // A space between name and day leaves nothing to guess.
        {"John Smith 12 March 2005", "John Smith", "2005-03-12"},
        {"John Smith12 March 2005", "John Smith", "2005-03-12"},
        // Impossible dates are dropped, the author kept.
        {"PAolo31 February 2009", "PAolo", ""},
        {"x29 February 2023", "x", ""},
        {"x29 February 2024", "x", "2024-02-29"},
        {"name0 March 2005", "name", ""},
        {"12 March 2005", "", "2005-03-12"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.line);
        const auto byline = revsearch::imdb::split_byline(row.line, false);
        REQUIRE(byline.has_value());
        CHECK(byline->author.value_or("") == row.author);
        CHECK(byline->date.value_or("") == row.date);
        CHECK(byline->problem.empty() == (!row.author.empty() && !row.date.empty()));
    }
}

TEST_CASE("split_byline: lines that are not bylines") {
    const std::string_view rows[] = {
        "Jack_Coen",
        "Gritty, bleak and unforgettable",
        "UlrikSander11 Marhc 2006",
        "UlrikSander11 March 06",
        "UlrikSander March 2006",
        "I saw it on 123 March 2005",
        "",
        "2006",
    };
    for (auto line : rows) {
        CAPTURE(line);
        CHECK_FALSE(revsearch::imdb::split_byline(line, false).has_value());
    }
    // The strict form, used inside a body: glued and no white space in the name.
    CHECK_FALSE(revsearch::imdb::split_byline("John Smith 12 March 2005", true).has_value());
    CHECK_FALSE(revsearch::imdb::split_byline("we saw it12 March 2005", true).has_value());
    CHECK(revsearch::imdb::split_byline("robo829 July 2006", true).has_value());
}

TEST_CASE("parse_rating_line and parse_helpful_line") {
    struct RatingRow {
        std::string_view line;
        bool is_rating;
        double rating;  // 0 = dropped
    };
    const RatingRow ratings[] = {
        {"8/10", true, 8}, {"10/10", true, 10}, {"1/10", true, 1}, {"11/10", true, 0}, {"0/10", true, 0},
        {"4/5", true, 0},  {"8/10 stars", false, 0}, {"8 / 10", false, 0}, {"/10", false, 0}, {"24/7", true, 0},
    };
    for (const auto& row : ratings) {
        CAPTURE(row.line);
        const auto rating = revsearch::imdb::parse_rating_line(row.line);
        REQUIRE(rating.has_value() == row.is_rating);
        if (!rating) continue;
        CHECK(rating->rating.value_or(0) == row.rating);
        CHECK(rating->problem.empty() == (row.rating != 0));
    }

    struct HelpfulRow {
        std::string_view line;
        bool is_helpful;
        std::int64_t yes, total;  // -1 = dropped
    };
    const HelpfulRow helpful[] = {
        {"54 out of 62 found this helpful. Was this review helpful? Sign in to vote.", true, 54, 62},
        {"0 out of 0 found this helpful. Was this review helpful? Sign in to vote.", true, 0, 0},
        {"1,204 out of 2,000 found this helpful.", true, 1204, 2000},
        {"12 out of 5 found this helpful. Was this review helpful? Sign in to vote.", true, -1, -1},
        {"99999999999999999999 out of 1 found this helpful.", true, -1, -1},
        {"54 out of 62 people liked it", false, 0, 0},
        {"out of 62 found this helpful", false, 0, 0},
    };
    for (const auto& row : helpful) {
        CAPTURE(row.line);
        const auto parsed = revsearch::imdb::parse_helpful_line(row.line);
        REQUIRE(parsed.has_value() == row.is_helpful);
        if (!parsed) continue;
        CHECK(parsed->yes.value_or(-1) == row.yes);
        CHECK(parsed->total.value_or(-1) == row.total);
    }
}

// ---- the real page ----------------------------------------------------------------------------------------------

// Every row read by hand from corpora/pusher-ii-2004.txt (line numbers are the file's).
struct Expected {
    std::size_t first_line;  // the rating line, or the headline when there is no rating
    std::string_view headline;
    std::string_view author;
    std::string_view date;
    double rating;  // 0: the review has no rating
    std::int64_t helpful_yes, helpful_total;
    bool spoiler;
    std::size_t paragraphs;
    std::string_view body_starts;
    std::string_view body_ends;
};

const Expected pusher_ii[] = {
    {11, "Nicolas Winding Refn's Pusher 2 is even better than the first one", "UlrikSander", "2006-03-11", 8, 54, 62,
     false, 6, "Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy", "works for all audiences! 9/10"},
    {27, "Gritty, bleak and unforgettable", "PAolo-10", "2009-02-08", 8, 23, 26, false, 3,
     "Dedicated to Hubert Selby Jr.,", "a little bit of Tonny in all of us."},
    {37, "Refn and Mikkelsen are in top form.", "nesfilmreviews", "2014-11-09", 8, 14, 15, false, 3,
     "After Refn made an unsuccessful English-language debut", "or at least the back of his head."},
    {47, "Quiet with the smell of salt water and concrete", "johanevander", "2006-03-17", 7, 15, 19, false, 3,
     "Just like Pusher, Pusher 2 presents you", "a bitter and sad father and son situation."},
    {57,
     "Tonni is out of jail again, and the world he is returning to is not friendly. Family, friends and girlfriend "
     "are still the same. Not to be trusted!",
     "kristianbk", "2005-01-06", 10, 31, 39, true, 1, "Movies that describe and draws a picture",
     "but you will definitely be impressed."},
    {64, "Mads Mikkelsen Strikes Again", "slake09", "2008-07-12", 7, 17, 22, false, 4,
     "Our protagonist, Tonny, is an ex-con", "featuring some madcap fun and general foolishness."},
    {76, "As powerful as \"once were warriors\"", "gotchast", "2005-07-19", 10, 43, 57, false, 1,
     "I've seen Pusher II during the Thriller", "a movie which marks your spirit like hot steel."},
    {82, "Worth viewing", "Martinjnl", "2005-03-19", 7, 12, 19, false, 2,
     "This movie - like Pusher - has a really unique atmosphere.", "I gave it 7/10 stars."},
    {90, "A brutal masterpiece about the modern underworld", "leon-smoothy", "2018-03-24", 9, 10, 11, false, 2,
     "As a fan of all of Winding Refn's movies", "gruesome and stressful life - look no further."},
    {98, "The Duke of hazard.", "Pjtaylor-96-138044", "2022-04-26", 7, 2, 2, false, 1,
     "'Pusher II (2004)' follows Mads Mikkelsen", "despite his sometimes brutish nature."},
    {104, "Outstanding movie", "yoshi-33", "2005-08-15", 9, 22, 28, false, 4,
     "Pusher II follows Tony after he is released from prison.", "Pusher 3 is also coming shortly...."},
    {116, "Great acting but weaker plot!", "robo8", "2006-07-29", 7, 8, 22, false, 3,
     "Pusher II keeps the great acting", "this is as good as it gets."},
    {126, "Disappointing", "peterroeder34", "2014-10-08", 5, 8, 19, false, 1,
     "Mads Mikkelsen is awesome, almost superhuman", "(and all of Refn's movies) is still worth seeing."},
    {132, "Mads Mikkelsen can't get no respect in PUSHER II", "brchthethird", "2015-04-04", 7, 1, 2, false, 1,
     "PUSHER II: WITH BLOOD ON MY HANDS is a sequel", "I would still highly recommend seeing this sequel."},
    {138, "This is a great movie!!", "methodman-70252", "2020-04-27", 9, 5, 5, false, 1,
     "I really liked PUSHER, but PUSHER 2, is even better.", "The music is just amazing."},
    {144, "Yeah! Come one! Come on! Come on! Almost got this sucker!", "lastliberal", "2010-07-17", 6, 3, 14, true,
     3, "I first saw Mads Mikkelsen in Flame and Citron", "but Mikkelson did turn in a good, if slow performance."},
    {155, "The Pusher Trilogy.", "ocosis", "2019-12-16", 10, 5, 5, false, 2,
     "Pusher II (With Blood On My Hands) is the second instalment", "that sets Tonny on a course of defiance.\n\nLove."},
    {163, "Amazing film..", "Jack_Coen", "2011-10-10", 0, 1, 4, false, 2, "Tony is released from prison - again.",
     "very professional and passionate actors."},
    {170, "BETTER THAN THE 1ST ENTRY BUT NOT BY MUCH...!", "masonfisk", "2023-06-23", 6, 0, 0, false, 1,
     "The 2004 Danish sequel to the 1996 original.", "which makes the future just a smidge brighter."},
    {176,
     "PusherII is a fascinating and frightening story of Tonny the lowlife and his slow climb towards a meaningful "
     "life.",
     "alke-2", "2005-01-03", 8, 30, 42, false, 1, "I have learned that people criticize PusherII",
     "PusherII equals the first Pusher."},
    {182, "Improves upon its predecessor, if only by a little", "r96sk", "2023-09-24", 7, 0, 1, false, 4,
     "'Pusher II' improves upon its predecessor", "a hat-trick of appearances at least."},
    {194, "Great film, enjoyed every moment of it", "ivansv", "2004-12-16", 9, 25, 41, false, 3,
     "Great film. It's been a long time since the first", "beat too much. Go see it!"},
    {204, "Not Nearly as Good as the First Film", "Uriah43", "2024-03-30", 4, 1, 1, false, 1,
     "This film essentially begins about a year after", "rated it accordingly. Slightly below average."},
    {210, "Equal To The First", "theshanecarr", "2021-05-25", 8, 4, 5, false, 8,
     "It would have been so natural for \"Pusher II: With Blood On My Hands\"",
     "Refn opened up swathes of new terrain to explore."},
    {230, "An impossibly great sequel", "evileyereviews", "2010-08-11", 8, 9, 15, false, 2,
     "While this sequel to the groundbreaking Pusher lacks", "an impossibly terrific followup of the original.\n\nEvil Eye Reviews"},
};

std::size_t count_paragraphs(const std::string& body) {
    std::size_t paragraphs = 1;
    for (auto at = body.find("\n\n"); at != std::string::npos; at = body.find("\n\n", at + 2)) ++paragraphs;
    return paragraphs;
}

TEST_CASE("IMDb page: the 25 reviews of Pusher II, field by field") {
    const auto result = read_text(load(page_path), "pusher-ii-2004.txt");
    INFO(result.all_problems());
    CHECK(result.problems.empty());
    REQUIRE(result.reviews.size() == std::size(pusher_ii));
    for (std::size_t i = 0; i < result.reviews.size(); ++i) {
        const Review& review = result.reviews[i];
        const Expected& expected = pusher_ii[i];
        CAPTURE(i);
        CAPTURE(expected.headline);
        CHECK(review.source == "pusher-ii-2004.txt:" + std::to_string(expected.first_line));
        CHECK(review.headline.value_or("") == expected.headline);
        CHECK(review.author.value_or("") == expected.author);
        CHECK(review.date.value_or("") == expected.date);
        if (expected.rating == 0) {
            CHECK_FALSE(review.rating.has_value());
            CHECK_FALSE(review.rating_max.has_value());
        } else {
            CHECK(review.rating.value_or(0) == expected.rating);
            CHECK(review.rating_max.value_or(0) == 10);
        }
        CHECK(review.helpful_yes.value_or(-1) == expected.helpful_yes);
        CHECK(review.helpful_total.value_or(-1) == expected.helpful_total);
        CHECK(review.spoiler == expected.spoiler);
        CHECK(review.body.starts_with(expected.body_starts));
        CHECK(review.body.ends_with(expected.body_ends));
        CHECK(count_paragraphs(review.body) == expected.paragraphs);
        CHECK(review.body.find("\n\n\n") == std::string::npos);
        CHECK(review.item.value_or("") == "Pusher II");
        CHECK(review.item_year.value_or(0) == 2004);
        CHECK_FALSE(review.item_id.has_value());
    }
}

TEST_CASE("IMDb page: the byline is kept as the page glues it, UTF-8 text intact") {
    const auto result = read_text(load(page_path), "page.txt");
    REQUIRE(result.reviews.size() == 25);
    CHECK(result.reviews[0].byline.value_or("") == "UlrikSander11 March 2006");
    CHECK(result.reviews[9].byline.value_or("") == "Pjtaylor-96-13804426 April 2022");
    CHECK(result.reviews[0].body.find("Anne S\xC3\xB8rensen") != std::string::npos);
    CHECK(result.reviews[15].body.find("Laura Drasb\xC3\xA6k") != std::string::npos);
    for (const auto& review : result.reviews) {
        for (const char* footer : {"An error has occured", "See also", "Awards | FAQ", "Recently Viewed", "Permalink",
                                   "found this helpful", "Warning: Spoilers"}) {
            CAPTURE(footer);
            CHECK(review.body.find(footer) == std::string::npos);
        }
    }
}

TEST_CASE("IMDb page: ids are the natural key (title and year, author)") {
    const auto first = read_text(load(page_path), "a.txt");
    const auto second = read_text(load(page_path), "b.txt");
    REQUIRE(first.reviews.size() == 25);
    REQUIRE(second.reviews.size() == 25);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < 25; ++i) {
        CHECK(first.reviews[i].id == second.reviews[i].id);
        CHECK(first.reviews[i].id ==
              revsearch::review_id("imdb", {"Pusher II (2004)", *first.reviews[i].author}));
        ids.insert(first.reviews[i].id);
    }
    CHECK(ids.size() == 25);
}

TEST_CASE("IMDb page: a re-scrape with changed votes and text keeps every id") {
    const std::string page = load(page_path);
    std::string rescraped = replace_all(page, "54 out of 62 found", "61 out of 70 found");
    rescraped = replace_all(rescraped, "0 out of 0 found", "3 out of 4 found");
    rescraped = replace_all(rescraped, "I gave it 7/10 stars.", "I gave it 7/10 stars. Edited: still 7.");
    rescraped = replace_all(rescraped, "44 Reviews", "51 Reviews");
    REQUIRE(rescraped != page);
    const auto before = read_text(page, "old.txt");
    const auto after = read_text(rescraped, "new.txt");
    REQUIRE(before.reviews.size() == 25);
    REQUIRE(after.reviews.size() == 25);
    CHECK(after.reviews[0].helpful_yes.value_or(0) == 61);
    CHECK(after.reviews[7].body != before.reviews[7].body);
    for (std::size_t i = 0; i < 25; ++i) CHECK(after.reviews[i].id == before.reviews[i].id);
}

TEST_CASE("IMDb page: CRLF line ends read the same") {
    const std::string page = load(page_path);
    const auto unix_page = read_text(page, "p.txt");
    const auto dos_page = read_text(replace_all(page, "\n", "\r\n"), "p.txt");
    CHECK(dos_page.problems.empty());
    CHECK(dos_page.reviews == unix_page.reviews);
}

// ---- bad input ----------------------------------------------------------------------------------------------

TEST_CASE("IMDb fixtures: the unbroken mini page reads cleanly") {
    const auto result = read_fixture("mini-page.txt");
    INFO(result.all_problems());
    CHECK(result.problems.empty());
    REQUIRE(result.reviews.size() == 3);
    CHECK(result.reviews[0].source == "mini-page.txt:11");
    CHECK(result.reviews[1].source == "mini-page.txt:21");
    CHECK(result.reviews[2].source == "mini-page.txt:28");
}

/// One row per bad-input class: the fixture, how many reviews survive, and the one problem it must give.
struct BadInputRow {
    const char* fixture;
    std::size_t reviews;
    Severity severity;
    std::size_t line;
    const char* message_contains;
};

TEST_CASE("IMDb fixtures: each bad record gives exactly one problem and reading goes on") {
    const BadInputRow rows[] = {
        {"byline-without-date.txt", 3, Severity::warning, 21, "byline \"Jack_Coen\" has no date"},
        {"helpful-more-yes-than-votes.txt", 3, Severity::warning, 11, "\"12 out of 5\": more yes votes than votes"},
        {"rating-11-of-10.txt", 3, Severity::warning, 11, "rating \"11/10\" is outside 1-10"},
        {"date-31-february.txt", 3, Severity::warning, 11, "date \"31 February 2009\" does not exist"},
        {"truncated-in-body.txt", 3, Severity::warning, 28, "the page ends inside the review"},
        {"truncated-before-body.txt", 2, Severity::error, 28, "the review has no body"},
        {"junk-between-reviews.txt", 3, Severity::warning, 21, "2 lines skipped (lines 21-23)"},
        {"missing-helpful-and-permalink.txt", 3, Severity::warning, 11,
         "no helpful-votes or Permalink line: the review ends before line 19"},
        {"invalid-utf8.txt", 3, Severity::warning, 11, "invalid UTF-8 replaced with U+FFFD"},
        {"no-title.txt", 3, Severity::warning, 0, "no title line"},
        {"empty.txt", 0, Severity::warning, 0, "empty file"},
        {"binary.bin", 0, Severity::error, 0, "not an IMDb user-review page: it looks binary"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.fixture);
        const auto result = read_fixture(row.fixture);
        INFO(result.all_problems());
        CHECK(result.reviews.size() == row.reviews);
        REQUIRE(result.problems.size() == 1);
        const Problem& problem = result.problems[0];
        CHECK(problem.file == row.fixture);
        CHECK(problem.severity == row.severity);
        CHECK(problem.line == row.line);
        CHECK(problem.message.find(row.message_contains) != std::string::npos);
    }
}

TEST_CASE("IMDb fixtures: what is kept of each bad record") {
    SUBCASE("a byline with no date: the raw line is the author, the date is unknown") {
        const auto result = read_fixture("byline-without-date.txt");
        REQUIRE(result.reviews.size() == 3);
        CHECK(result.problems.size() == 1);
        const Review& review = result.reviews[1];
        CHECK(review.author.value_or("") == "Jack_Coen");
        CHECK(review.byline.value_or("") == "Jack_Coen");
        CHECK_FALSE(review.date.has_value());
        CHECK(review.headline.value_or("") == "Amazing film..");
        CHECK(review.helpful_yes.value_or(-1) == 1);
        CHECK(review.body.starts_with("Tony is released from prison - again."));
        CHECK(count_paragraphs(review.body) == 2);
    }
    SUBCASE("impossible votes, rating and date are dropped, the rest kept") {
        const auto helpful = read_fixture("helpful-more-yes-than-votes.txt");
        REQUIRE(helpful.reviews.size() == 3);
        CHECK(helpful.problems.size() == 1);
        CHECK_FALSE(helpful.reviews[0].helpful_yes.has_value());
        CHECK_FALSE(helpful.reviews[0].helpful_total.has_value());
        CHECK(helpful.reviews[0].rating.value_or(0) == 8);

        const auto rating = read_fixture("rating-11-of-10.txt");
        REQUIRE(rating.reviews.size() == 3);
        CHECK(rating.problems.size() == 1);
        CHECK_FALSE(rating.reviews[0].rating.has_value());
        CHECK_FALSE(rating.reviews[0].rating_max.has_value());
        CHECK(rating.reviews[0].headline.value_or("") == "Gritty, bleak and unforgettable");
        CHECK(rating.reviews[0].source == "rating-11-of-10.txt:11");

        const auto date = read_fixture("date-31-february.txt");
        REQUIRE(date.reviews.size() == 3);
        CHECK(date.problems.size() == 1);
        CHECK(date.reviews[0].author.value_or("") == "PAolo");
        CHECK_FALSE(date.reviews[0].date.has_value());
    }
    SUBCASE("a page cut inside a body keeps what is there") {
        const auto result = read_fixture("truncated-in-body.txt");
        REQUIRE(result.reviews.size() == 3);
        CHECK(result.problems.size() == 1);
        CHECK(result.reviews[2].author.value_or("") == "alke-2");
        CHECK(result.reviews[2].body.size() == 120);
        CHECK_FALSE(result.reviews[2].helpful_yes.has_value());
    }
    SUBCASE("stray lines between reviews: one warning, both neighbours intact") {
        const auto result = read_fixture("junk-between-reviews.txt");
        REQUIRE(result.reviews.size() == 3);
        CHECK(result.problems.size() == 1);
        CHECK(result.reviews[0].body.ends_with("a little bit of Tonny in all of us."));
        CHECK(result.reviews[1].headline.value_or("") == "Amazing film..");
        CHECK(result.reviews[1].source == "junk-between-reviews.txt:24");
    }
    SUBCASE("a review that lost its helpful and Permalink lines does not swallow the next") {
        const auto result = read_fixture("missing-helpful-and-permalink.txt");
        REQUIRE(result.reviews.size() == 3);
        CHECK(result.problems.size() == 1);
        CHECK(result.reviews[0].body.ends_with("a little bit of Tonny in all of us."));
        CHECK_FALSE(result.reviews[0].helpful_yes.has_value());
        CHECK(result.reviews[1].headline.value_or("") == "Amazing film..");
        CHECK(result.reviews[1].author.value_or("") == "Jack_Coen");
        CHECK(result.reviews[1].source == "missing-helpful-and-permalink.txt:19");
        CHECK(result.reviews[2].rating.value_or(0) == 8);
    }
    SUBCASE("invalid UTF-8 is repaired where it stands") {
        const auto result = read_fixture("invalid-utf8.txt");
        REQUIRE(result.reviews.size() == 3);
        CHECK(result.problems.size() == 1);
        CHECK(result.reviews[0].headline.value_or("") == "Gritty, bl\xEF\xBF\xBDk and unforgettable");
    }
    SUBCASE("no page header: no item, ids still distinct and stable") {
        const auto result = read_fixture("no-title.txt");
        REQUIRE(result.reviews.size() == 3);
        CHECK(result.problems.size() == 1);
        CHECK_FALSE(result.reviews[0].item.has_value());
        CHECK_FALSE(result.reviews[0].item_year.has_value());
        CHECK(result.reviews[0].id != result.reviews[1].id);
        CHECK(read_fixture("no-title.txt").reviews[0].id == result.reviews[0].id);
    }
    SUBCASE("binary junk: no reviews, one clear error") {
        const auto result = read_fixture("binary.bin");
        CHECK(result.reviews.empty());
        CHECK(result.count(Severity::error) == 1);
    }
}

TEST_CASE("IMDb page: a line or review longer than the limit is rejected, named, and reading goes on") {
    revsearch::ReaderOptions options;
    options.max_record_bytes = 800;
    const auto result = read_fixture("mini-page.txt", options);
    INFO(result.all_problems());
    // The first review's body is 1086 bytes in all; the second's 666; line 31, the third's body, 854.
    REQUIRE(result.reviews.size() == 1);
    CHECK(result.reviews[0].author.value_or("") == "Jack_Coen");
    REQUIRE(result.problems.size() == 2);
    CHECK(result.problems[0].severity == Severity::error);
    CHECK(result.problems[0].line == 11);
    CHECK(result.problems[0].message.find("review is longer than the limit of 800 bytes") != std::string::npos);
    CHECK(result.problems[1].severity == Severity::error);
    CHECK(result.problems[1].line == 28);
    CHECK(result.problems[1].message.find("line 31 is longer than the limit of 800 bytes") != std::string::npos);
}

TEST_CASE("IMDb page: hostile shapes never crash or hang") {
    const std::string rows[] = {
        std::string(100000, '\n'),
        std::string(5000, 'x'),
        "Permalink\nPermalink\n1 out of 2 found this helpful.\n",
        "8/10\n8/10\n8/10\n",
        "robo829 July 2006\nrobo829 July 2006\nrobo829 July 2006\n",
        "Pusher II (2004) Poster\n8/10\nh\nrobo829 July 2006\nWarning: Spoilers\nWarning: Spoilers\n",
        std::string("a\0b\nrobo829 July 2006\n", 21),
        "x (2004) Poster",
    };
    for (const auto& text : rows) {
        revsearch::ReaderOptions options;
        options.max_record_bytes = 64;
        const auto result = read_text(text, "hostile.txt", options);
        CHECK(result.reviews.size() <= 3);
        for (const auto& problem : result.problems) CHECK(problem.file == "hostile.txt");
    }
}

}  // namespace

TEST_CASE("IMDb page: any one line removed from the page costs at most the reviews around it") {
    const std::string page = load(fixtures + "mini-page.txt");
    std::vector<std::string> lines;
    std::istringstream in(page);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    for (std::size_t removed = 0; removed < lines.size(); ++removed) {
        CAPTURE(removed + 1);
        std::string text;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i != removed) text += lines[i] + "\n";
        }
        const auto result = read_text(text, "cut.txt");
        INFO(result.all_problems());
        // Whatever line goes, at least two of the three reviews survive, each with a body and a byline.
        CHECK(result.reviews.size() >= 2);
        CHECK(result.reviews.size() <= 3);
        for (const auto& review : result.reviews) {
            CHECK_FALSE(review.body.empty());
            CHECK(review.byline.has_value());
            CHECK(review.id.size() == 16);
        }
        // Losing a line of a review is reported (blank lines and header/footer lines may go unnoticed).
        if (result.reviews.size() < 3) CHECK_FALSE(result.problems.empty());
    }
}
