// Hand-written matching rather than std::regex: libstdc++'s std::regex recurses once per character and
// overflows the stack on the multi-megabyte lines a bad page can hold; these shapes are simple enough.
#include "imdb_page_lines.hpp"

#include <array>
#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace revsearch::imdb {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

/// Parses all of `text` as a non-negative decimal number; nullopt when it is not one or does not fit.
std::optional<std::int64_t> parse_number(std::string_view text) {
    std::int64_t value = 0;
    if (text.empty()) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

/// "1,234" as IMDb prints vote counts above a thousand.
std::optional<std::int64_t> parse_count(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (c == ',') continue;
        if (!is_digit(c)) return std::nullopt;
        digits += c;
    }
    return parse_number(digits);
}

/// The leading run of digits and commas of `text`.
std::string_view leading_count(std::string_view text) {
    std::size_t end = 0;
    while (end < text.size() && (is_digit(text[end]) || (end > 0 && text[end] == ','))) ++end;
    return text.substr(0, end);
}

constexpr std::array<std::string_view, 12> month_names = {"January", "February", "March",     "April",
                                                          "May",     "June",     "July",      "August",
                                                          "September", "October", "November", "December"};

int days_in_month(int year, int month) {
    constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[static_cast<std::size_t>(month - 1)];
}

/// The name left over ends in a separator IMDb names use before a number ("alke-2", "Jack_Coen"):
/// then the digit before the day belongs to the name.
bool ends_in_name_separator(std::string_view name) {
    return !name.empty() && (name.back() == '-' || name.back() == '_' || name.back() == '.');
}

}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::optional<TitleLine> parse_title_line(std::string_view line) {
    constexpr std::string_view suffix = " Poster";
    if (!line.ends_with(suffix)) return std::nullopt;
    line.remove_suffix(suffix.size());
    // "(2004)", and for series "(2008–2013)": the year is the first four digits inside the last parentheses.
    if (!line.ends_with(')')) return std::nullopt;
    const std::size_t open = line.rfind('(');
    if (open == std::string_view::npos || open == 0) return std::nullopt;
    const std::string_view inside = line.substr(open + 1, line.size() - open - 2);
    if (inside.size() < 4 || !is_digit(inside[0]) || !is_digit(inside[1]) || !is_digit(inside[2]) ||
        !is_digit(inside[3]) || (inside.size() > 4 && is_digit(inside[4]))) {
        return std::nullopt;
    }
    const std::string_view item = trim(line.substr(0, open));
    if (item.empty()) return std::nullopt;
    return TitleLine{std::string(item), static_cast<int>(*parse_number(inside.substr(0, 4)))};
}

std::optional<RatingLine> parse_rating_line(std::string_view line) {
    const std::size_t slash = line.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash > 3 || line.size() - slash - 1 > 3) return std::nullopt;
    const auto value = parse_number(line.substr(0, slash));
    const auto scale = parse_number(line.substr(slash + 1));
    if (!value || !scale) return std::nullopt;
    RatingLine rating;
    if (*scale != 10) {
        rating.problem = fmt::format("rating \"{}\" is not on IMDb's scale of 10: dropped", line);
    } else if (*value < 1 || *value > 10) {
        rating.problem = fmt::format("rating \"{}\" is outside 1-10: dropped", line);
    } else {
        rating.rating = static_cast<double>(*value);
        rating.rating_max = 10;
    }
    return rating;
}

// The byline is the author's name glued to the date: "robo829 July 2006". The day is one or two digits and not
// zero-padded, so when the name ends in digits the split is ambiguous. The rule (docs/imdb-page-format.md):
// take a two-digit day when those two digits are 10-31 and the name left over is not empty and does not end
// in '-', '_' or '.'; otherwise take one digit.
//   robo829 July 2006               -> robo8, 29         (29 is a day; "robo8" is a plain name)
//   alke-23 January 2005            -> alke-2, 3         ("alke-" would end in '-': names end in "-<number>")
//   PAolo-108 February 2009         -> PAolo-10, 8       (08 is not how IMDb writes a day)
//   peterroeder348 October 2014     -> peterroeder34, 8  (48 is not a day)
//   Pjtaylor-96-13804426 April 2022 -> Pjtaylor-96-138044, 26
// The rule reads digits only, never the month: "x31 February 2005" is x, 31, which does not exist, so the
// date is dropped with a problem rather than guessed as x3, 1. When a space separates name and day
// ("John Smith 12 March 2005") there is nothing to guess: all the digits are the day.
std::optional<Byline> split_byline(std::string_view line, bool glued_only) {
    // From the end: "<year>", " <Month>", " " and the digit run that ends in the day.
    const std::size_t year_space = line.rfind(' ');
    if (year_space == std::string_view::npos) return std::nullopt;
    const std::string_view year_text = line.substr(year_space + 1);
    if (year_text.size() != 4) return std::nullopt;
    const auto year = parse_number(year_text);
    if (!year) return std::nullopt;
    const std::string_view before_year = line.substr(0, year_space);
    const std::size_t month_space = before_year.rfind(' ');
    if (month_space == std::string_view::npos) return std::nullopt;
    const std::string_view month_text = before_year.substr(month_space + 1);
    int month = 0;
    for (std::size_t i = 0; i < month_names.size(); ++i) {
        if (month_names[i] == month_text) month = static_cast<int>(i) + 1;
    }
    if (month == 0) return std::nullopt;
    const std::string_view name_and_day = before_year.substr(0, month_space);
    std::size_t digits_start = name_and_day.size();
    while (digits_start > 0 && is_digit(name_and_day[digits_start - 1])) --digits_start;
    const std::size_t digit_count = name_and_day.size() - digits_start;
    if (digit_count == 0) return std::nullopt;

    const bool glued = digits_start > 0 && !is_space(name_and_day[digits_start - 1]);
    std::size_t day_digits = 1;
    if (!glued) {
        if (glued_only || digit_count > 2) return std::nullopt;
        day_digits = digit_count;
    } else {
        if (glued_only && name_and_day.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
        if (digit_count >= 2) {
            const int two = (name_and_day[name_and_day.size() - 2] - '0') * 10 + (name_and_day.back() - '0');
            const std::string_view rest = name_and_day.substr(0, name_and_day.size() - 2);
            if (two >= 10 && two <= 31 && !rest.empty() && !ends_in_name_separator(rest)) day_digits = 2;
        }
    }
    const std::string_view day_text = name_and_day.substr(name_and_day.size() - day_digits);
    const int day = static_cast<int>(*parse_number(day_text));

    Byline byline;
    const std::string_view author = trim(name_and_day.substr(0, name_and_day.size() - day_digits));
    if (author.empty()) {
        byline.problem = fmt::format("byline \"{}\" has no author name", line);
    } else {
        byline.author = std::string(author);
    }
    const int year_value = static_cast<int>(*year);
    if (day >= 1 && day <= days_in_month(year_value, month)) {
        byline.date = fmt::format("{:04}-{:02}-{:02}", year_value, month, day);
    } else {
        if (!byline.problem.empty()) byline.problem += "; ";
        byline.problem += fmt::format("date \"{} {} {}\" does not exist: dropped", day, month_text, year_text);
    }
    return byline;
}

namespace {

/// "<yes> out of <total><tail>", the vote line of the 2017-2023 ("found this helpful") and pre-2017 ("people found
/// the following review useful") designs; `what` names the votes in a problem.
std::optional<HelpfulLine> parse_out_of_line(std::string_view line, std::string_view tail, std::string_view what) {
    const std::string_view yes_text = leading_count(line);
    if (yes_text.empty()) return std::nullopt;
    std::string_view rest = line.substr(yes_text.size());
    constexpr std::string_view out_of = " out of ";
    if (!rest.starts_with(out_of)) return std::nullopt;
    rest.remove_prefix(out_of.size());
    const std::string_view total_text = leading_count(rest);
    if (total_text.empty()) return std::nullopt;
    rest.remove_prefix(total_text.size());
    if (!rest.starts_with(tail)) return std::nullopt;

    HelpfulLine helpful;
    const auto yes = parse_count(yes_text);
    const auto total = parse_count(total_text);
    if (!yes || !total) {
        helpful.problem = fmt::format("{} votes \"{} out of {}\" are not numbers that fit: dropped", what, yes_text,
                                      total_text);
    } else if (*yes > *total) {
        helpful.problem = fmt::format("{} votes \"{} out of {}\": more yes votes than votes, dropped", what, *yes,
                                      *total);
    } else {
        helpful.yes = yes;
        helpful.total = total;
    }
    return helpful;
}

}  // namespace

std::optional<HelpfulLine> parse_helpful_line(std::string_view line) {
    return parse_out_of_line(line, " found this helpful", "helpful");
}

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/// 1-12 for a month's full name or IMDb's three-letter abbreviation ("Sep"; "Sept" too), else 0.
int month_number(std::string_view word) {
    for (std::size_t i = 0; i < month_names.size(); ++i) {
        if (word == month_names[i] || word == month_names[i].substr(0, 3)) return static_cast<int>(i) + 1;
    }
    return word == "Sept" ? 9 : 0;
}

/// A day of one or two digits, not zero-padded as IMDb prints it ("6", "12"); nullopt otherwise.
std::optional<int> parse_day(std::string_view text) {
    if (text.empty() || text.size() > 2 || text[0] == '0') return std::nullopt;
    for (char c : text) {
        if (!is_digit(c)) return std::nullopt;
    }
    return static_cast<int>(*parse_number(text));
}

DateText make_date(int day, int month, int year, std::string_view text) {
    DateText date;
    if (year >= 1900 && year <= 9999 && day >= 1 && day <= days_in_month(year, month)) {
        date.iso = fmt::format("{:04}-{:02}-{:02}", year, month, day);
    } else {
        date.problem = fmt::format("date \"{}\" does not exist: dropped", text);
    }
    return date;
}

}  // namespace

std::string_view design_name(Design design) {
    switch (design) {
        case Design::before_2017: return "pre-2017";
        case Design::from_2017: return "2017-2023";
        case Design::from_2024: return "2024+";
        case Design::without_details: return "headline-and-body copy (no review details)";
    }
    return "unknown";
}

namespace {

constexpr std::string_view bullet = "\xE2\x80\xA2";  // U+2022, between "Helpful" and the vote counts

/// A headline directly followed by its body, the block every review of every design starts with in a copy:
/// a short line not ending a sentence, then a longer line with no blank line between them.
bool starts_headline_block(std::string_view line, std::string_view next) {
    constexpr std::size_t longest_headline = 150;
    return !line.empty() && line.size() <= longest_headline && !is_markup_line(line) && !is_markup_line(next) &&
           next.size() > line.size() && line.back() != '.' && line.back() != ',';
}

}  // namespace

std::optional<Design> detect_design(std::string_view head, bool name_says_imdb) {
    std::vector<std::string_view> lines;  // all lines, blank ones kept: blank lines are part of the shapes
    for (std::size_t start = 0; start < head.size();) {
        std::size_t end = head.find('\n', start);
        if (end == std::string_view::npos) end = head.size();
        std::string_view line = head.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(trim(line));
        start = end + 1;
    }
    auto next_non_blank = [&](std::size_t i) -> std::string_view {
        for (++i; i < lines.size(); ++i) {
            if (!lines[i].empty()) return lines[i];
        }
        return {};
    };
    // The design whose marker line comes first: a page is one design, and a concatenation is read as its first.
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        if (line.empty()) continue;
        if (parse_helpful_line(line) || line == "Review this title") return Design::from_2017;
        if ((line == "Helpful" && next_non_blank(i) == bullet) ||
            (line.ends_with("Permalink") && line.size() > 9 &&
             split_us_date_suffix(line.substr(0, line.size() - 9)))) {
            return Design::from_2024;
        }
        if (parse_useful_line(line) || line == "Was the above review useful to you?") return Design::before_2017;
    }
    bool markup = false;
    bool blocks = false;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        const bool after_break = i == 0 || lines[i - 1].empty() || is_markup_line(lines[i - 1]);
        if (is_markup_line(lines[i])) {
            if (lines[i].starts_with("<html") || lines[i].starts_with("<HTML") || lines[i].starts_with("<!")) {
                return std::nullopt;  // a whole HTML document, not a copy of a page's text
            }
            markup = true;
        }
        if (after_break && starts_headline_block(lines[i], lines[i + 1])) blocks = true;
    }
    // Markup in a file named for IMDb with no block in it still goes to the copy reader, which says why it
    // cannot read it rather than leaving the user with "no byline".
    if ((blocks && (markup || name_says_imdb)) || (markup && name_says_imdb)) return Design::without_details;
    return std::nullopt;
}

std::optional<DateText> parse_date_text(std::string_view text) {
    text = trim(text);
    // "Sep 12, 2024" / "September 12, 2024"
    const std::size_t comma = text.find(", ");
    if (comma != std::string_view::npos) {
        const std::string_view year_text = text.substr(comma + 2);
        const std::string_view month_day = text.substr(0, comma);
        const std::size_t space = month_day.find(' ');
        if (year_text.size() != 4 || space == std::string_view::npos) return std::nullopt;
        const int month = month_number(month_day.substr(0, space));
        const auto day = parse_day(month_day.substr(space + 1));
        const auto year = parse_number(year_text);
        if (month == 0 || !day || !year) return std::nullopt;
        return make_date(*day, month, static_cast<int>(*year), text);
    }
    // "11 March 2006"
    const std::size_t first = text.find(' ');
    const std::size_t last = text.rfind(' ');
    if (first == std::string_view::npos || first == last) return std::nullopt;
    const auto day = parse_day(text.substr(0, first));
    const int month = month_number(text.substr(first + 1, last - first - 1));
    const std::string_view year_text = text.substr(last + 1);
    const auto year = year_text.size() == 4 ? parse_number(year_text) : std::nullopt;
    if (!day || month == 0 || !year) return std::nullopt;
    return make_date(*day, month, static_cast<int>(*year), text);
}

std::optional<UsDatedLine> split_us_date_suffix(std::string_view line) {
    // From the end: ", <year>", " <day>", then the month's letters back to a capital letter.
    const std::size_t comma = line.rfind(", ");
    if (comma == std::string_view::npos) return std::nullopt;
    const std::string_view month_day = line.substr(0, comma);
    const std::size_t space = month_day.rfind(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const std::string_view letters = month_day.substr(0, space);
    // The longest month word the line ends with: "September" before "Sep", so "Ps_70September 1" keeps "Ps_70".
    for (std::size_t length : {9, 8, 7, 6, 5, 4, 3}) {
        if (letters.size() < length) continue;
        const std::string_view word = letters.substr(letters.size() - length);
        if (!is_upper(word[0]) || month_number(word) == 0) continue;
        const auto date = parse_date_text(line.substr(letters.size() - length));
        if (!date) return std::nullopt;
        return UsDatedLine{std::string(trim(letters.substr(0, letters.size() - length))), *date};
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_count_line(std::string_view line) {
    if (line.empty() || !is_digit(line[0]) || leading_count(line).size() != line.size()) return std::nullopt;
    return parse_count(line);
}

std::optional<HelpfulLine> parse_useful_line(std::string_view line) {
    return parse_out_of_line(line, " people found the following review useful", "useful");
}

std::optional<std::string> parse_author_line(std::string_view line) {
    constexpr std::string_view prefix = "Author:";
    if (!line.starts_with(prefix)) return std::nullopt;
    std::string_view name = trim(line.substr(prefix.size()));
    // "from PLACE" follows the name; a name never holds " from " as IMDb printed it.
    const std::size_t from = name.rfind(" from ");
    if (from != std::string_view::npos) name = trim(name.substr(0, from));
    return std::string(name);
}

bool is_markup_line(std::string_view line) {
    if (line.size() < 3 || line.front() != '<' || line.back() != '>') return false;
    std::size_t at = 1;
    if (line[at] == '/') ++at;
    if (at >= line.size() || !((line[at] >= 'a' && line[at] <= 'z') || (line[at] >= 'A' && line[at] <= 'Z'))) {
        return false;
    }
    // One tag only: no '<' or '>' inside.
    return line.find_first_of("<>", 1) == line.size() - 1;
}

bool is_header_line(std::string_view line) {
    if (line == "User Reviews" || line == "Review this title" || line.starts_with("Sort by:") ||
        line.starts_with("Filter by Rating:")) {
        return true;
    }
    // "(2004)": the year under the title.
    if (line.size() >= 6 && line.front() == '(' && line.back() == ')' && is_digit(line[1])) return true;
    // "44 Reviews", "1,203 Reviews"
    const std::string_view count = leading_count(line);
    const std::string_view rest = line.substr(count.size());
    return !count.empty() && (rest == " Reviews" || rest == " Review");
}

bool is_footer_start_line(std::string_view line) {
    // IMDb spells it "occured"; accept the dictionary spelling too.
    return line.starts_with("An error has occured.") || line.starts_with("An error has occurred.") ||
           line.starts_with("Awards | FAQ |");
}

bool is_footer_line(std::string_view line) {
    return is_footer_start_line(line) || line == "See also" || line == "Recently Viewed";
}

bool is_spoiler_line(std::string_view line) { return line == "Warning: Spoilers"; }

bool is_permalink_line(std::string_view line) { return line == "Permalink"; }

bool looks_binary(std::string_view raw_line) {
    std::size_t control = 0;
    for (char c : raw_line) {
        if (c == '\0') return true;
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') ++control;
    }
    return control * 10 > raw_line.size();
}

}  // namespace revsearch::imdb
