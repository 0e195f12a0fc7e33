#include "reader_fields.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "revsearch/text_cleanup.hpp"

namespace revsearch::detail {

void RecordProblems::reject(std::string message) {
    pending_.clear();
    if (sink_) sink_(Problem{file_, line_, Severity::error, std::move(message)});
}

void RecordProblems::accept() {
    if (sink_) {
        for (auto& message : pending_) sink_(Problem{file_, line_, Severity::warning, std::move(message)});
    }
    pending_.clear();
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view blanks = " \t\r\n";
    auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(blanks);
    return text.substr(first, last - first + 1);
}

namespace {

std::string quoted(std::string_view text) {
    constexpr std::size_t shown = 40;
    std::string out = "\"";
    out += text.substr(0, shown);
    if (text.size() > shown) out += "...";
    return out + "\"";
}

}  // namespace

std::optional<std::string> clean_field(std::string_view raw, std::string_view field, RecordProblems& problems) {
    bool repaired = false;
    std::string text = clean_text(raw, &repaired);
    if (repaired) problems.warn(std::string(field) + ": invalid UTF-8 replaced with U+FFFD");
    if (text.empty()) return std::nullopt;
    return text;
}

std::optional<std::int64_t> parse_count(std::string_view text, std::string_view field, RecordProblems& problems) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    std::string digits;
    bool well_formed = true;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c != ',' || digits.empty()) {
            well_formed = false;
            break;
        }
    }
    if (!well_formed || digits.empty()) {
        bool negative = text.front() == '-';
        problems.warn(std::string(field) + (negative ? ": negative count " : ": not a count ") + quoted(text) +
                      ", dropped");
        return std::nullopt;
    }
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size() || value > max_plausible_count) {
        problems.warn(std::string(field) + ": absurd count " + quoted(text) + ", dropped");
        return std::nullopt;
    }
    return value;
}

std::optional<double> parse_number(std::string_view text, std::string_view field, RecordProblems& problems) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
        problems.warn(std::string(field) + ": not a number " + quoted(text) + ", dropped");
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> iso_date_from_unix(std::int64_t seconds) {
    using namespace std::chrono;
    // 253402300799 is 9999-12-31T23:59:59Z: beyond it the year no longer has four digits.
    if (seconds < 0 || seconds > 253'402'300'799) return std::nullopt;
    year_month_day day{floor<days>(sys_seconds{std::chrono::seconds{seconds}})};
    std::array<char, 40> out{};
    std::snprintf(out.data(), out.size(), "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return std::string(out.data());
}

namespace {

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::string> valid_iso(int year, int month, int day) {
    using namespace std::chrono;
    if (year < 1000 || year > 9999 || month < 1 || day < 1) return std::nullopt;
    year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) return std::nullopt;
    std::array<char, 40> out{};
    std::snprintf(out.data(), out.size(), "%04d-%02d-%02d", year, month, day);
    return std::string(out.data());
}

// "July 1, 2006" (Blitzer) and its abbreviated form "Jul 1, 2006".
std::optional<std::string> parse_month_day_year(std::string_view text) {
    static constexpr std::array<std::string_view, 12> months = {"january", "february", "march",     "april",
                                                                "may",     "june",     "july",      "august",
                                                                "september", "october", "november", "december"};
    auto space = text.find(' ');
    auto comma = text.find(',');
    if (space == std::string_view::npos || comma == std::string_view::npos || comma < space) return std::nullopt;
    std::string_view month_name = text.substr(0, space);
    // McAuley's reviewTime writes the month as a number: "09 1, 2016".
    int month = parse_int(month_name).value_or(0);
    if (month < 1 || month > 12) month = 0;
    for (std::size_t i = 0; i < months.size(); ++i) {
        if (iequals(month_name, months[i]) || (month_name.size() == 3 && iequals(month_name, months[i].substr(0, 3))))
            month = static_cast<int>(i) + 1;
    }
    auto day = parse_int(trim(text.substr(space + 1, comma - space - 1)));
    auto year = parse_int(trim(text.substr(comma + 1)));
    if (month == 0 || !day || !year) return std::nullopt;
    return valid_iso(*year, month, *day);
}

}  // namespace

std::optional<std::string> parse_date(std::string_view text, std::string_view field, RecordProblems& problems) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    std::optional<std::string> date;
    if (text.find_first_not_of("0123456789") == std::string_view::npos) {
        std::int64_t seconds = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (error == std::errc{} && end == text.data() + text.size()) date = iso_date_from_unix(seconds);
    } else if (text.size() >= 10 && text[4] == '-' && text[7] == '-') {
        auto year = parse_int(text.substr(0, 4));
        auto month = parse_int(text.substr(5, 2));
        auto day = parse_int(text.substr(8, 2));
        if (year && month && day) date = valid_iso(*year, *month, *day);
    } else {
        date = parse_month_day_year(text);
    }
    if (!date) problems.warn(std::string(field) + ": not a date " + quoted(text) + ", dropped");
    return date;
}

void drop_impossible_values(Review& review, RecordProblems& problems) {
    auto number = [](double value) {
        char out[32];
        std::snprintf(out, sizeof out, "%g", value);
        return std::string(out);
    };
    // A scale of more than 100 points is not a star rating.
    if (review.rating_max && (*review.rating_max <= 0 || *review.rating_max > 100)) {
        problems.warn("rating_max " + number(*review.rating_max) + " is not a rating scale, rating dropped");
        review.rating_max.reset();
        review.rating.reset();
    }
    if (review.rating && (*review.rating < 0 || (review.rating_max && *review.rating > *review.rating_max) ||
                          (!review.rating_max && *review.rating > 100))) {
        problems.warn("rating " + number(*review.rating) +
                      (review.rating_max ? " out of " + number(*review.rating_max) : std::string()) +
                      " is impossible, dropped");
        review.rating.reset();
    }
    auto check_count = [&](std::optional<std::int64_t>& count, const char* name) {
        if (count && (*count < 0 || *count > max_plausible_count)) {
            problems.warn(std::string(name) + " " + std::to_string(*count) + " is impossible, dropped");
            count.reset();
        }
    };
    check_count(review.helpful_yes, "helpful_yes");
    check_count(review.helpful_total, "helpful_total");
    if (review.helpful_yes && review.helpful_total && *review.helpful_yes > *review.helpful_total) {
        problems.warn("helpful " + std::to_string(*review.helpful_yes) + " of " +
                      std::to_string(*review.helpful_total) + " is impossible, dropped");
        review.helpful_yes.reset();
        review.helpful_total.reset();
    }
    if (review.item_year && (*review.item_year < 1800 || *review.item_year > 9999)) {
        problems.warn("item_year " + std::to_string(*review.item_year) + " is impossible, dropped");
        review.item_year.reset();
    }
}

}  // namespace revsearch::detail
