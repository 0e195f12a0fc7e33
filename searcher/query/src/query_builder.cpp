#include "revsearch/query_builder.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "revsearch/analyzer.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/wildcard_parts.hpp"

namespace revsearch {

namespace {

// A wildcard expands to at most this many terms, the most frequent ones, so that `a*` stays cheap.
constexpr Xapian::termcount max_wildcard_expansion = 200;

/// The word fields of the query language and the schema prefixes they search; with the range fields below, every
/// `name:` the query accepts (an other name is an error that lists these: docs/query-syntax.md, "Fields").
struct WordField {
    const char* name;
    std::string_view prefix;
};
constexpr std::array<WordField, 3> word_fields = {{
    {"headline", schema::headline_prefix},
    {"author", schema::author_prefix},
    {"item", schema::item_prefix},
}};
constexpr std::array<const char*, 2> range_fields = {"rating", "date"};

std::string known_fields() {
    std::string names;
    for (const auto& field : word_fields) names.append(names.empty() ? "" : ", ").append(field.name).append(":");
    for (const char* name : range_fields) names.append(", ").append(name).append(":");
    return names;
}

std::string number_text(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

/// date:2005..2010, date:2005-03..2006, date:..2009-12-31: "YYYYMMDD" string values (schema::date).
/// Xapian's DateRangeProcessor does not take a bare year, hence this one; the query it returns is a stock
/// OP_VALUE_RANGE / OP_VALUE_GE / OP_VALUE_LE.
class YearOrDateRangeProcessor : public Xapian::RangeProcessor {
public:
    YearOrDateRangeProcessor() : Xapian::RangeProcessor(schema::date, "date:") {}

    Xapian::Query operator()(const std::string& begin, const std::string& end) override {
        using schema::date_bound;
        std::optional<std::string> low, high;
        if (!begin.empty() && !(low = date_bound(begin, false))) return Xapian::Query(Xapian::Query::OP_INVALID);
        if (!end.empty() && !(high = date_bound(end, true))) return Xapian::Query(Xapian::Query::OP_INVALID);
        if (low && high) return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, *low, *high);
        if (low) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, *low);
        if (high) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, *high);
        return Xapian::Query(Xapian::Query::OP_INVALID);
    }
};

/// The slot and value a rating bound compares: the rating as shown, or its share of the scale on 0..10.
Xapian::valueno rating_slot(const RatingBound& bound) { return bound.percent ? schema::rating10 : schema::rating_shown; }
std::string rating_value(const RatingBound& bound) {
    return schema::number_value(bound.percent ? bound.value / 10 : bound.value);
}

/// One side of a rating range: --min-rating (OP_VALUE_GE), --max-rating (OP_VALUE_LE), or rating:LOW.. / ..HIGH.
Xapian::Query rating_bound(Xapian::Query::op op, const RatingBound& bound) {
    return Xapian::Query(op, rating_slot(bound), rating_value(bound));
}

/// `rating:LOW..HIGH`, each bound a rating as shown or a share ("80%"); checked_range has already refused what
/// does not parse and bounds that mix the two.
class RatingRangeProcessor : public Xapian::RangeProcessor {
public:
    RatingRangeProcessor() : Xapian::RangeProcessor(schema::rating_shown, "rating:") {}

    Xapian::Query operator()(const std::string& begin, const std::string& end) override {
        RatingBound low, high;
        if (!parsed(begin, low) || !parsed(end, high)) return Xapian::Query(Xapian::Query::OP_INVALID);
        if (!begin.empty() && !end.empty())
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, rating_slot(low), rating_value(low), rating_value(high));
        if (!begin.empty()) return rating_bound(Xapian::Query::OP_VALUE_GE, low);
        if (!end.empty()) return rating_bound(Xapian::Query::OP_VALUE_LE, high);
        return Xapian::Query(Xapian::Query::OP_INVALID);
    }

private:
    /// An open side (empty text) parses as nothing; else `bound` is set. False when the text is no rating.
    static bool parsed(const std::string& text, RatingBound& bound) {
        if (text.empty()) return true;
        const auto value = parse_rating_bound(text);
        if (value) bound = *value;
        return value.has_value();
    }
};

/// The words of `text` with every operator character turned into a space: what a pasted paragraph that does
/// not parse is searched as. With `keep_apostrophes` (--plain), apostrophes stay (`don't`, `Mikkelsen's`,
/// typographic ones too), which Xapian's parser and TermGenerator keep inside a word.
std::string words_only(std::string_view text, bool keep_apostrophes = false) {
    std::string words;
    for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
        unsigned ch = *it;
        if (Xapian::Unicode::is_wordchar(ch) || (keep_apostrophes && (ch == '\'' || ch == 0x2019)))
            Xapian::Unicode::append_utf8(words, ch);
        else
            words += ' ';
    }
    return words;
}

bool is_letter_at(std::string_view text, std::size_t index) {
    const unsigned char c = static_cast<unsigned char>(text[index]);
    return std::isalpha(c) || c >= 0x80;  // a byte of a UTF-8 letter: folding left few, and none is a hyphen
}

/// `lift-drag` -> `lift drag`: a hyphen between two letters, in a token without a field (`author:jean-luc` and
/// ranges such as `date:2005-01..2006` keep theirs; digits on either side are dates or numbers, left alone).
/// Xapian's QueryParser would read the compound as a phrase of its parts, which loses every document that
/// writes the parts apart or hyphenates otherwise (docs/ranking-classic.md measured what it cost on Cranfield).
std::string hyphens_between_letters_as_spaces(std::string text) {
    std::size_t token_start = 0;
    bool field_token = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            token_start = i + 1;
            field_token = false;
        } else if (c == ':') {
            field_token = true;
        } else if (c == '-' && !field_token && i > token_start && i + 1 < text.size() && is_letter_at(text, i - 1) &&
                   is_letter_at(text, i + 1)) {
            text[i] = ' ';
        }
    }
    return text;
}

/// Lower-cases every word but the capitalised operators, so that field names (`Headline:`) and the wildcard
/// prefixes read from the text are in the index's case (Xapian lower-cases the words it stems itself).
std::string lower_case_except_operators(std::string_view text) {
    static const std::set<std::string, std::less<>> operators = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    std::string result, word;
    auto flush_word = [&] {
        result += operators.count(word) ? word : Xapian::Unicode::tolower(word);
        word.clear();
    };
    for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
        unsigned ch = *it;
        if (Xapian::Unicode::is_wordchar(ch)) {
            Xapian::Unicode::append_utf8(word, ch);
            continue;
        }
        flush_word();
        Xapian::Unicode::append_utf8(result, ch);
    }
    flush_word();
    return result;
}

/// `-heroin -toilet` as `NOT heroin NOT toilet` when every word (or quoted phrase) of `text` is excluded, else
/// `text` unchanged. Xapian's QueryParser searches a query of excluded words alone *for* those words; NOT with
/// FLAG_PURE_NOT means what the user meant: every review without any of them.
std::string only_excluded_as_not(const std::string& text) {
    std::string rewritten;
    bool in_token = false, in_quotes = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool space = !in_quotes && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
        if (!space && !in_token) {
            // A token starts: it must be -something.
            if (c != '-' || i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '-') return text;
            rewritten += "NOT ";
            any = true;
            in_token = true;
            continue;
        }
        if (c == '"') in_quotes = !in_quotes;
        in_token = !space;
        rewritten += c;
    }
    return any ? rewritten : text;
}

std::vector<std::string> find_wildcard_prefixes(std::string_view folded) {
    std::vector<std::string> prefixes;
    std::string word;
    for (Xapian::Utf8Iterator it(folded.data(), folded.size()); it != Xapian::Utf8Iterator(); ++it) {
        unsigned ch = *it;
        if (Xapian::Unicode::is_wordchar(ch)) {
            Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
            continue;
        }
        if (ch == '*' && !word.empty()) prefixes.push_back(word);
        word.clear();
    }
    return prefixes;
}

/// The first `limit` distinct words of `text`, lower-cased, operator characters dropped: what a query over
/// max_query_terms searches.
std::string first_distinct_words(std::string_view text, std::size_t limit) {
    std::string words = Xapian::Unicode::tolower(words_only(text)), kept;
    std::unordered_set<std::string_view> seen;
    std::size_t position = 0;
    while (seen.size() < limit) {
        position = words.find_first_not_of(' ', position);
        if (position == std::string::npos) break;
        std::size_t end = std::min(words.find(' ', position), words.size());
        std::string_view word(words.data() + position, end - position);
        if (seen.insert(word).second) kept.append(kept.empty() ? "" : " ").append(word);
        position = end;
    }
    return kept;
}

std::size_t count_distinct_terms(const Xapian::Query& query) {
    std::size_t count = 0;
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) ++count;
    return count;
}

/// `query` with each wildcard `word*` searching `word*` and `stem(word)*` as one synonym. The index holds stems
/// (schema.hpp), so `movie*` alone would miss every "movie" and "movies" (both are the term "movi"); the stem's
/// expansion finds them, and the synonym weighs a term both patterns match once. A word whose stem is cut below
/// the typed prefix (`runn*`: "running" is the term "run") is still missed.
Xapian::Query with_stemmed_wildcards(const Xapian::Query& query, const Xapian::Stem& stemmer) {
    using Q = Xapian::Query;
    const Q::op op = query.get_type();
    if (op == Q::OP_WILDCARD) {
        const auto [pattern, combiner] = wildcard_parts(query);
        const schema::TermParts parts = schema::classify_term(pattern);
        if (pattern.empty() || !schema::is_free_text(parts.kind) || parts.text.empty()) return query;
        const std::string stem = stemmer(std::string(parts.text));
        if (stem.empty() || stem == parts.text) return query;
        return Q(Q::OP_SYNONYM, query,
                 Q(Q::OP_WILDCARD, std::string(parts.prefix) + stem, max_wildcard_expansion,
                   Q::WILDCARD_LIMIT_MOST_FREQUENT, combiner));
    }
    // The operators a wildcard can sit under, as the QueryParser builds them (none takes a parameter).
    static constexpr Q::op rebuilt[] = {Q::OP_OR,     Q::OP_AND, Q::OP_AND_NOT, Q::OP_AND_MAYBE,
                                        Q::OP_FILTER, Q::OP_XOR, Q::OP_SYNONYM, Q::OP_MAX};
    if (std::find(std::begin(rebuilt), std::end(rebuilt), op) == std::end(rebuilt)) return query;
    std::vector<Q> subqueries;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
        subqueries.push_back(with_stemmed_wildcards(query.get_subquery(i), stemmer));
    return Q(op, subqueries.begin(), subqueries.end());
}

std::string rating_text(const RatingBound& bound) { return number_text(bound.value) + (bound.percent ? "%" : ""); }

std::string required_date_bound(const std::string& text, bool upper, const char* option) {
    auto bound = schema::date_bound(text, upper);
    if (!bound)
        throw QueryError(std::string(option) + " needs a date as YYYY, YYYY-MM or YYYY-MM-DD, not \"" +
                                    text + "\"");
    return *bound;
}

/// One bound of `rating:LOW..HIGH`.
RatingBound rating_range_bound(const std::string& text, const std::string& range) {
    auto bound = parse_rating_bound(text);
    if (!bound)
        throw QueryError(range + ": a rating is a number as shown (4 for 4/5) or a share of its scale (80%), not \"" +
                         text + "\"");
    return *bound;
}

/// One bound of `date:LOW..HIGH` as "YYYYMMDD" (upper: the last day it covers).
std::string date_range_bound(const std::string& text, bool upper, const std::string& range) {
    auto bound = schema::date_bound(text, upper);
    if (!bound) throw QueryError(range + ": a date is YYYY, YYYY-MM or YYYY-MM-DD, not \"" + text + "\"");
    return *bound;
}

/// Checks a range field's value (`8..10`, `2005..`, `5`) and returns it as a range: a single value is an equality
/// (`rating:5` is `rating:5..5`, `date:2006` the whole year). Throws QueryError for an unparsable bound, a range
/// with no bound, or one whose low end is above its high end: each would otherwise search nothing, or the words.
std::string checked_range(const std::string& name, const std::string& value) {
    const auto dots = value.find("..");
    const std::string low = dots == std::string::npos ? value : value.substr(0, dots);
    const std::string high = dots == std::string::npos ? value : value.substr(dots + 2);
    const std::string range = name + ":" + value;
    if (low.empty() && high.empty()) throw QueryError(range + " needs a bound on at least one side of ..");
    if (name == "rating") {
        const RatingBound from = low.empty() ? RatingBound{} : rating_range_bound(low, range);
        const RatingBound to = high.empty() ? RatingBound{} : rating_range_bound(high, range);
        if (!low.empty() && !high.empty() && from.percent != to.percent)
            throw QueryError(range + ": give both bounds as ratings (4..5) or both as shares (80%..100%)");
        if (!low.empty() && !high.empty() && from.value > to.value)
            throw QueryError(range + " is an empty range: " + low + " is above " + high);
    } else {
        const std::string from = low.empty() ? "" : date_range_bound(low, false, range);
        const std::string to = high.empty() ? "~" : date_range_bound(high, true, range);
        if (from > to) throw QueryError(range + " is an empty range: " + low + " is after " + high);
    }
    return low + ".." + high;
}

/// `text` with every range field's value checked and a single value made a range (checked_range); throws
/// QueryError naming the known fields for a `name:word` whose name is no field (`title:coffee` would otherwise
/// search the words "title coffee" and find nothing, silently). A colon inside a phrase, before a space or
/// before what cannot start a word (`http://`, `10:30`, `Note: ...`) is no field.
std::string checked_fields(const std::string& text) {
    std::string result;
    bool in_quotes = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const bool starts_token = i == 0 || std::string_view(" \t\n\r(+-").find(text[i - 1]) != std::string_view::npos;
        if (c == '"') in_quotes = !in_quotes;
        if (in_quotes || !starts_token || !std::isalpha(static_cast<unsigned char>(c))) {
            result += c;
            ++i;
            continue;
        }
        std::size_t colon = i;
        while (colon < text.size() && (std::isalpha(static_cast<unsigned char>(text[colon])) || text[colon] == '_'))
            ++colon;
        const bool field = colon + 1 < text.size() && text[colon] == ':' &&
                           std::string_view(" \t\n\r:/").find(text[colon + 1]) == std::string_view::npos;
        if (!field) {
            result.append(text, i, colon - i);
            i = colon;
            continue;
        }
        const std::string name = text.substr(i, colon - i);
        const std::size_t value_end = std::min(text.find_first_of(" \t\n\r)", colon + 1), text.size());
        if (std::find_if(range_fields.begin(), range_fields.end(), [&](const char* n) { return name == n; }) !=
            range_fields.end()) {
            result += name + ":" + checked_range(name, text.substr(colon + 1, value_end - colon - 1));
            i = value_end;
            continue;
        }
        if (std::none_of(word_fields.begin(), word_fields.end(), [&](const WordField& f) { return name == f.name; }))
            throw QueryError("unknown field \"" + name + ":\"; the fields are " + known_fields() +
                             " (docs/query-syntax.md)");
        result.append(text, i, colon + 1 - i);
        i = colon + 1;
    }
    return result;
}

void and_into(Xapian::Query& accumulated, const Xapian::Query& next) {
    accumulated = accumulated.empty() ? next : Xapian::Query(Xapian::Query::OP_AND, accumulated, next);
}

}  // namespace

Xapian::Query merge_repeated_terms(const Xapian::Query& query) {
    using Q = Xapian::Query;
    const Q::op op = query.get_type();
    const bool merges = op == Q::OP_OR || op == Q::OP_AND;
    if (!merges && op != Q::OP_AND_MAYBE && op != Q::OP_AND_NOT && op != Q::OP_FILTER) return query;
    // A term leaf of the QueryParser always has wqf 1, so two leaves of one term weigh the same in every
    // document, and `count` of them weigh what OP_SCALE_WEIGHT by `count` of one does.
    std::vector<Q> subqueries;
    std::vector<double> counts;
    std::unordered_map<std::string, std::size_t> first_leaf;  // term -> its index in subqueries
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        Q subquery = query.get_subquery(i);
        if (merges && subquery.get_type() == Q::LEAF_TERM) {
            auto [it, first] = first_leaf.try_emplace(*subquery.get_terms_begin(), subqueries.size());
            if (!first) {
                ++counts[it->second];
                continue;
            }
        } else {
            subquery = merge_repeated_terms(subquery);
        }
        subqueries.push_back(std::move(subquery));
        counts.push_back(1);
    }
    for (std::size_t i = 0; i < subqueries.size(); ++i)
        if (counts[i] > 1) subqueries[i] = Q(Q::OP_SCALE_WEIGHT, subqueries[i], counts[i]);
    return Q(op, subqueries.begin(), subqueries.end());
}

std::optional<RatingBound> parse_rating_bound(std::string_view text) {
    RatingBound bound;
    if (!text.empty() && text.back() == '%') {
        bound.percent = true;
        text.remove_suffix(1);
    }
    const std::string number(text);
    char* end = nullptr;
    bound.value = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(bound.value >= 0) || std::isinf(bound.value) ||
        (bound.percent && bound.value > 100))
        return std::nullopt;
    return bound;
}

QueryBuilder::QueryBuilder(const Xapian::Database& database) : database_(database) {
    language_ = database_.get_metadata(std::string(schema::meta_language));
    if (language_.empty()) language_ = default_language;
    stemmer_ = make_snowball_stem(language_);
}

Xapian::QueryParser QueryBuilder::make_parser(MatchMode mode) const {
    Xapian::QueryParser parser;
    parser.set_database(database_);
    parser.set_stemmer(stemmer_);
    parser.set_stemming_strategy(schema::query_stemming);  // as the index: every word, quoted or not, as its stem
    parser.set_default_op(mode == MatchMode::all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    for (const auto& field : word_fields) parser.add_prefix(field.name, std::string(field.prefix));
    parser.add_rangeprocessor((new RatingRangeProcessor())->release());
    parser.add_rangeprocessor((new YearOrDateRangeProcessor())->release());
    parser.set_max_expansion(max_wildcard_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                             Xapian::QueryParser::FLAG_WILDCARD);
    return parser;
}

void QueryBuilder::parse_strictly(Xapian::QueryParser& parser, const std::string& folded, ParsedQuery& parsed) const {
    constexpr unsigned strict_flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                                      Xapian::QueryParser::FLAG_PURE_NOT;
    try {
        parsed.query = parser.parse_query(folded, strict_flags);
        parsed.wildcard_prefixes = find_wildcard_prefixes(folded);
        if (!parsed.wildcard_prefixes.empty()) {
            parsed.query = with_stemmed_wildcards(parsed.query, stemmer_);
            for (std::size_t i = 0, typed = parsed.wildcard_prefixes.size(); i < typed; ++i) {
                std::string stem = stemmer_(parsed.wildcard_prefixes[i]);
                if (!stem.empty() && stem != parsed.wildcard_prefixes[i]) parsed.wildcard_prefixes.push_back(stem);
            }
        }
    } catch (const Xapian::QueryParserError&) {
        // Something pasted (an unbalanced bracket, a stray AND): search its words instead of failing.
        parsed.fell_back = true;
        parsed.query = parser.parse_query(words_only(folded), 0);
    }
}

ParsedQuery QueryBuilder::parse(std::string_view query_string, MatchMode mode, bool plain_text) const {
    ParsedQuery parsed;
    Xapian::QueryParser parser = make_parser(mode);
    std::string folded;
    if (plain_text) {
        folded = words_only(Xapian::Unicode::tolower(fold_diacritics(query_string)), true);
        parsed.query = parser.parse_query(folded, 0);
    } else {
        folded = hyphens_between_letters_as_spaces(lower_case_except_operators(fold_diacritics(query_string)));
        // An unmatched quote (a pasted fragment) would make everything after it one phrase; drop it instead.
        if (std::count(folded.begin(), folded.end(), '"') % 2 == 1) folded.erase(folded.rfind('"'), 1);
        folded = only_excluded_as_not(checked_fields(folded));
        parse_strictly(parser, folded, parsed);
    }
    parsed.query = merge_repeated_terms(parsed.query);
    parsed.terms = count_distinct_terms(parsed.query);
    if (parsed.terms > max_query_terms) {
        // A pasted text, most likely: its first words, with no operators, phrases or wildcards.
        parsed.capped = true;
        parsed.query = merge_repeated_terms(parser.parse_query(first_distinct_words(folded, max_query_terms), 0));
        parsed.wildcard_prefixes.clear();
    }
    if (parsed.query.empty()) {
        // Punctuation alone (`!!!`, `"`, `*`, `-`) used to list every review as if it were a search: say so instead.
        // Listing every review is asked for with an empty query (revsearch --all, or filters alone).
        if (!query_string.empty())
            throw QueryError(
                "the query has no word to search; give a word, or --all to list every review (revsearch --all "
                "--facets -n0: an overview)");
        // No query: every review, weighing nothing, so that filters and signals alone decide.
        parsed.query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query::MatchAll, 0.0);
    }
    return parsed;
}

Xapian::Query QueryBuilder::filter_query(const Filters& filters) const {
    Xapian::Query combined;
    if (filters.min_rating && filters.max_rating && filters.min_rating->percent != filters.max_rating->percent)
        throw QueryError("--min-rating " + rating_text(*filters.min_rating) + " and --max-rating " +
                         rating_text(*filters.max_rating) +
                         ": give both as ratings as shown (4) or both as shares of the scale (80%)");
    if (filters.min_rating && filters.max_rating && filters.min_rating->value > filters.max_rating->value)
        throw QueryError("--min-rating " + rating_text(*filters.min_rating) + " is above --max-rating " +
                         rating_text(*filters.max_rating) + ": no rating is both");
    if (filters.since && filters.until &&
        required_date_bound(*filters.since, false, "--since") > required_date_bound(*filters.until, true, "--until"))
        throw QueryError("--since " + *filters.since + " is after --until " + *filters.until +
                         ": no date is both");
    if (filters.min_rating && !filters.min_rating->percent) {
        // A minimum above every scale would find nothing: say why (an IMDb user may type 9 on a 5-star shop's data).
        const std::string top = database_.get_value_upper_bound(schema::rating_scale);
        if (!top.empty() && filters.min_rating->value > schema::number_of(top))
            throw QueryError("--min-rating " + rating_text(*filters.min_rating) +
                             " is above every rating scale in the index (the highest is " +
                             number_text(schema::number_of(top)) + ")");
    }
    if (filters.min_rating) and_into(combined, rating_bound(Xapian::Query::OP_VALUE_GE, *filters.min_rating));
    if (filters.max_rating) and_into(combined, rating_bound(Xapian::Query::OP_VALUE_LE, *filters.max_rating));
    if (filters.since)
        and_into(combined, Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::date,
                                         required_date_bound(*filters.since, false, "--since")));
    if (filters.until)
        and_into(combined, Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::date,
                                         required_date_bound(*filters.until, true, "--until")));
    if (filters.item) {
        // The writer's form (schema::boolean_term): an id too long for one term is held cut and hashed.
        const std::string id_term = schema::boolean_term(schema::item_id_prefix, *filters.item);
        if (database_.term_exists(id_term)) {
            and_into(combined, Xapian::Query(id_term));
        } else {
            // Not an id we hold: all the title words, as item: would search them.
            Xapian::QueryParser parser = make_parser(MatchMode::all);
            Xapian::Query title = parser.parse_query(words_only(fold_diacritics(*filters.item)), 0,
                                                     std::string(schema::item_prefix));
            and_into(combined, title.empty() ? Xapian::Query::MatchNothing : title);
        }
    }
    if (filters.author)
        and_into(combined, Xapian::Query(schema::boolean_term(schema::author_filter_prefix, fold_for_filter(*filters.author))));
    if (filters.min_votes)
        and_into(combined, Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::helpful_total,
                                         schema::number_value(static_cast<double>(*filters.min_votes))));
    return combined;
}

Xapian::Query QueryBuilder::apply_filters(const Xapian::Query& query, const Filters& filters) const {
    Xapian::Query result = query;
    Xapian::Query filter = filter_query(filters);
    if (!filter.empty()) result = Xapian::Query(Xapian::Query::OP_FILTER, result, filter);
    if (filters.no_spoilers)
        result = Xapian::Query(Xapian::Query::OP_AND_NOT, result, Xapian::Query(std::string(schema::spoiler_term)));
    return result;
}

}  // namespace revsearch
