#pragma once
// Query string and filter options -> Xapian::Query, with the same analysis the index was built with
// (language from the index metadata, diacritic folding, Snowball stemming) and the schema's prefixes and slots.
// The syntax is documented in docs/query-syntax.md.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "revsearch/error.hpp"

namespace revsearch {

/// The most distinct terms a query searches. Xapian's matcher takes time quadratic in the number of terms it ORs
/// or ANDs (on the sample page 0.26 s for 2,000, 2.4 s for 8,000, 10.9 s for 16,000); a longer query searches its
/// first this many distinct words, as plain words (docs/query-syntax.md, "Long queries").
constexpr std::size_t max_query_terms = 1000;

/// A query or filter the user must change: an unknown field, an impossible range, an unparsable date or rating,
/// a query with no word to search. One line; revsearch prints it and exits 2.
struct QueryError : Error {
    explicit QueryError(const std::string& message) : Error(ErrorKind::usage, message) {}
};

/// How bare words combine: any (OR, Xapian's default; BM25 ranks reviews matching more words first) or all (AND).
enum class MatchMode { any, all };

/// The filter options: each set one narrows the matches without changing their scores.
/// A rating bound as the user writes it: "4", a rating as shown on the review's own scale (4/5 and 4/10 both
/// pass `rating:4..5`), or "80%", a share of the scale (4/5 and 8/10 both pass `rating:80%..`), for mixed scales.
struct RatingBound {
    double value = 0;      ///< the number written, without "%"
    bool percent = false;  ///< a share of the scale (0..100), else a rating as shown (>= 0)
    bool operator==(const RatingBound&) const = default;
};

/// "4", "3.5", "80%"; nullopt for anything else, a negative rating or a share over 100%.
std::optional<RatingBound> parse_rating_bound(std::string_view text);

struct Filters {
    std::optional<RatingBound> min_rating;
    std::optional<RatingBound> max_rating;
    std::optional<std::string> since;   ///< "YYYY", "YYYY-MM" or "YYYY-MM-DD", inclusive
    std::optional<std::string> until;
    std::optional<std::string> item;    ///< an item id (XI term) when the index has it, else title words
    std::optional<std::string> author;  ///< the full author name, case and diacritics ignored
    bool no_spoilers = false;
    std::optional<std::int64_t> min_votes;  ///< helpful_total >= N
};

struct ParsedQuery {
    Xapian::Query query;    ///< MatchAll (weighing nothing) for an empty query string
    bool fell_back = false; ///< strict parsing failed; the words were searched without operators
    std::vector<std::string> wildcard_prefixes;  ///< folded, lower-case `word` of `word*`, then their stems
                                                 ///< where they differ: what the wildcards search, for highlighting
    std::size_t terms = 0;  ///< distinct terms of the query as written (before capping)
    bool capped = false;    ///< terms > max_query_terms: the first max_query_terms distinct words were searched
};

/// `query` with each term repeated under one OR or AND (and the AND_MAYBE, AND_NOT, FILTER above them) given
/// once, weighted by its count (OP_SCALE_WEIGHT): the same matches and scores as the repeats, one posting list
/// per distinct term. Phrases, NEAR, XOR, wildcards and ranges are left as they are.
Xapian::Query merge_repeated_terms(const Xapian::Query& query);

class QueryBuilder {
public:
    /// Reads the index language from its metadata (schema::meta_language, english when unset).
    explicit QueryBuilder(const Xapian::Database& database);

    /// Never throws Xapian::QueryParserError: on a syntax error the words alone are searched (fell_back).
    /// Throws QueryError for a `name:` that is no field, a bad or empty `rating:`/`date:` range, and a non-empty
    /// query with no word to search (an empty one is every review). `rating:5` is `rating:5..5`.
    /// Repeated terms are merged (merge_repeated_terms); over max_query_terms distinct terms, the first
    /// max_query_terms distinct words are searched as plain words (capped).
    /// A hyphen between two letters separates words (`lift-drag`: lift, drag; the index splits them so too), so
    /// each part matches by its stem as any word does; a token with a field (`author:jean-luc`) keeps it.
    /// With `plain_text` (--plain) the text is words only: no operators (AND, OR, NOT are words), phrases,
    /// fields, ranges or wildcards, as for pasted text; it never throws for a field-like `word:`.
    ParsedQuery parse(std::string_view query_string, MatchMode mode = MatchMode::any, bool plain_text = false) const;

    /// AND of the set filters; an empty Query when none is set. Throws QueryError for a bad date, a minimum above
    /// its maximum, or rating bounds that mix a rating and a share. no_spoilers is not part of it: see apply_filters.
    Xapian::Query filter_query(const Filters& filters) const;

    /// query FILTER filter_query, AND_NOT XSPOILER when no_spoilers.
    Xapian::Query apply_filters(const Xapian::Query& query, const Filters& filters) const;

    const std::string& language() const { return language_; }
    const Xapian::Stem& stemmer() const { return stemmer_; }

private:
    Xapian::QueryParser make_parser(MatchMode mode) const;
    /// Operators, phrases, fields and wildcards; the words alone when that fails to parse (fell_back).
    void parse_strictly(Xapian::QueryParser& parser, const std::string& folded, ParsedQuery& parsed) const;

    Xapian::Database database_;
    std::string language_;
    Xapian::Stem stemmer_;
};

}  // namespace revsearch
