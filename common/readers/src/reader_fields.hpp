#pragma once
// Internal: what every reader does with the values it extracts: clean text, parse counts, ratings and dates,
// drop impossible values with a warning, and report one record's problems together.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "revsearch/problem.hpp"
#include "revsearch/review.hpp"

namespace revsearch::detail {

/// The problems of one record. Warnings wait until the record is accepted, so that a rejected record reports
/// exactly one problem (its error) and a kept one reports only its warnings.
class RecordProblems {
public:
    RecordProblems(const std::string& file, std::size_t line, const ProblemSink& sink)
        : file_(file), line_(line), sink_(sink) {}

    void warn(std::string message) { pending_.push_back(std::move(message)); }
    /// Reports the error and forgets the pending warnings.
    void reject(std::string message);
    /// Reports the pending warnings.
    void accept();
    /// Forgets the pending warnings without reporting anything: the record was rejected, and its error is
    /// reported by someone else (missing_key_fold.hpp).
    void discard() { pending_.clear(); }

private:
    const std::string& file_;
    std::size_t line_;
    const ProblemSink& sink_;
    std::vector<std::string> pending_;
};

/// clean_text, with a warning naming `field` when invalid UTF-8 had to be repaired. Empty after cleaning: nullopt.
std::optional<std::string> clean_field(std::string_view raw, std::string_view field, RecordProblems& problems);

/// Counts above this are not votes but garbage (the largest real vote count seen is 1,341).
inline constexpr std::int64_t max_plausible_count = 1'000'000'000;

/// A vote count: digits, optionally with thousands commas ("1,341"), surrounding blanks ignored.
/// Empty: nullopt without a warning. Negative, fractional, absurd or not a number: nullopt with a warning.
std::optional<std::int64_t> parse_count(std::string_view text, std::string_view field, RecordProblems& problems);

/// A finite decimal number ("5.0", "4"); empty: nullopt; anything else: nullopt with a warning.
std::optional<double> parse_number(std::string_view text, std::string_view field, RecordProblems& problems);

/// Unix seconds to an ISO date (UTC); nullopt outside years 1970..9999.
std::optional<std::string> iso_date_from_unix(std::int64_t seconds);

/// A date as the sources write it: unix seconds ("1303862400"), ISO ("2006-07-01", time part ignored), or
/// "July 1, 2006" / "Jul 1, 2006" / "07 1, 2006". Empty: nullopt; unrecognised or impossible: nullopt with a warning.
std::optional<std::string> parse_date(std::string_view text, std::string_view field, RecordProblems& problems);

/// The checks every reader applies last: a negative rating or one above rating_max, a non-positive or absurd
/// rating_max, negative or absurd vote counts, and helpful_yes > helpful_total drop the field(s) with a warning.
void drop_impossible_values(Review& review, RecordProblems& problems);

/// ASCII case-insensitive equality (CSV header names, month names).
bool iequals(std::string_view a, std::string_view b);

/// The text without leading and trailing blanks (space, tab, CR, LF).
std::string_view trim(std::string_view text);

}  // namespace revsearch::detail
