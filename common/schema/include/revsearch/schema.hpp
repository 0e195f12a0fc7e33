#pragma once
// The index schema: the one place that says which terms, values and metadata a review becomes.
// Both tools include this; nothing else spells a prefix or a slot number.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

namespace revsearch::schema {

/// Bump when a change needs a rebuild; stored in metadata. revsearch refuses an index of another version, and
/// `revindex add` too (naming `revindex rebuild`, which replays the ledger into this layout).
/// 1: STEM_SOME (each word twice: as written with positions, and Z + stem; the headline four times).
/// 2: the rating as shown and its scale (slots rating_shown, rating_scale).
/// 3: STEM_ALL: each word once, its stem with positions (issue 15).
/// 4: prior_signal, the default weights' prior of helpfulness and rating in one slot (issue 19).
/// 5: no slots that nothing read (helpful votes, body length); spelling counts staged per batch (issue 15).
inline constexpr int version = 5;

// What stays, and which feature reads it (issue 15: every term, value and byte of document data that no feature
// reads goes). One line per term prefix, value slot and record field, next to its declaration below; the stored
// record is the canonical JSON line (Review, review.hpp), whose every field `revsearch --json` and `--show`
// print, and the text output's lines read:
//   id          the hit's id (`--show ID`, `--like ID` take it back); source: the text output's `path:line`
//   item, item_year, headline, author, byline, date, rating, rating_max, helpful_yes, helpful_total, spoiler:
//               the text output's title and meta line, and `--json`'s record
//   body        snippets and `--full` (the index holds stems only, so the text cannot be rebuilt from it)
// A rebuild reads the batch files again, not the stored records.

// Free-text fields. Every word is indexed once per field, as its stem (folded, lower-cased, Snowball) with
// positions, so phrases match on stems: Xapian's STEM_ALL at index and query time (index_stemming,
// query_stemming; no Z terms). Body and headline words are unprefixed (one bag of words: the default field of a
// query, ranked as before), headline words also under S (`headline:`, and the headline weight of
// RankingParams), author and item only under their prefix (Xapian's conventions: single capitals for
// well-known fields, X... for our own). Measured in docs/benchmarks.md, "One posting per word".
inline constexpr std::string_view headline_prefix = "S";   // headline:word, --field-weights headline=W
inline constexpr std::string_view author_prefix = "A";     // author:word
inline constexpr std::string_view item_prefix = "XT";      // item:word, --item (with XI)
inline constexpr auto index_stemming = Xapian::TermGenerator::STEM_ALL;
inline constexpr auto query_stemming = Xapian::QueryParser::STEM_ALL;

// Boolean (filter) terms: exact values, never weighted.
inline constexpr std::string_view id_prefix = "Q";           // Q<review id>, unique: upserts, delete --id, --show
inline constexpr std::string_view item_id_prefix = "XI";     // XI<item id as given>, e.g. XItt0385887: --item
inline constexpr std::string_view author_filter_prefix = "XA";  // XA<folded lower-case full author name>: --author
inline constexpr std::string_view source_prefix = "XF";      // XF<hash of the batch path>: delete --source, stats,
                                                             // rebuild's count per batch (see source_term)
inline constexpr std::string_view spoiler_term = "XSPOILER";  // on reviews with a spoiler warning: --no-spoilers

/// Value slots. Numbers are Xapian::sortable_serialise'd doubles unless noted, so that a stock
/// ValueWeightPostingSource (ranking, also on a remote server) and range processors can read them.
/// Slots 2 (the helpful votes) and 6 (the body length in words) were written up to schema version 4 and read by
/// nothing: the votes are in the stored record, the ranking reads helpful_signal, and BM25 its own lengths.
enum Slot : Xapian::valueno {
    rating_signal = 0,   ///< rating on 0..1, 0.5 when unknown: the R signal of the ranking (--weights)
    rating10 = 1,        ///< rating on a 0..10 scale, only when known: rating:70%..100% ranges, --sort rating
    helpful_total = 3,   ///< votes cast, only when known: --min-votes
    helpful_signal = 4,  ///< Wilson lower bound (95%) of the helpful votes, 0 without: H signal, --sort helpful
    date = 5,            ///< "YYYYMMDD" as a plain string (sorts as text), only when known: date:, --since,
                         ///< --sort date (date_value)
    body_hash = 7,       ///< content_hash (32 hex) of the folded, white-space-normalised body: collapse key
                         ///< (copies of a text shown once), --like leaves the review's copies out
    rating_shown = 9,    ///< the rating as the review shows it (4 of 4/5), only when known: rating:4..5, the
                         ///< rating facets
    rating_scale = 10,   ///< the top of its scale (5 of 4/5), only when the rating is known: facets per scale,
                         ///< rating: ranges without a % (their scale)
    /// content_hash (32 hex) of the canonical record without its source (DocumentBuilder::record_hash): how an
    /// upsert tells an unchanged review without decompressing the stored record. Indexes written before the
    /// slot existed lack it; the writer then compares the stored record itself.
    record_hash = 8,
    /// prior_level(H, R): the default weights' blend of helpful_signal and rating_signal, in whole steps, in one
    /// slot, so that the default ranking reads one short value stream instead of two (signal_prior.hpp,
    /// docs/ranking.md "Cost").
    prior_signal = 11,
};

// Metadata keys.
inline constexpr std::string_view meta_schema_version = "revsearch.schema";
inline constexpr std::string_view meta_language = "revsearch.language";
inline constexpr std::string_view meta_batch_prefix = "revsearch.batch:";  // + absolute path -> JSON ledger entry
inline constexpr std::string_view meta_tombstone_prefix = "revsearch.tombstone:";  // + review id -> JSON tombstone
inline constexpr std::string_view meta_sequence = "revsearch.sequence";  // last batch/deletion sequence number
/// + batch sequence number and a random suffix -> a committed batch's spelling counts (SpellingCounter::serialise)
/// that are not yet in the spelling table (IndexWriter::write_staged_spelling).
inline constexpr std::string_view meta_spelling_prefix = "revsearch.spelling:";

/// What a term of the index is, read from its first bytes. Xapian's convention (its "Term Prefixes" document):
/// a prefix is capitals, so a term that does not start with one is unprefixed: a stem of the body or headline.
enum class TermKind {
    stem,        ///< unprefixed: the stem of a body or headline word
    field_stem,  ///< headline, author or item prefix + stem
    filter,      ///< a boolean filter term (Q, XI, XA, XF, XSPOILER) or any other capitalised term
};

struct TermParts {
    TermKind kind;
    std::string_view prefix;  ///< the field prefix of a field stem, else empty
    std::string_view text;    ///< the stem without its field prefix; the whole term for a filter
};

/// Splits `term` (a view into it is returned) by the prefixes above. Never throws.
TermParts classify_term(std::string_view term);

/// Text a query's words can match (a stem of any field), as opposed to a boolean filter term.
inline bool is_free_text(TermKind kind) { return kind != TermKind::filter; }

/// A number slot's value: Xapian::sortable_serialise, the form ValueWeightPostingSource and value ranges read.
inline std::string number_value(double number) { return Xapian::sortable_serialise(number); }
/// The number a slot's value holds; `fallback` when the document has no value there.
inline double number_of(const std::string& value, double fallback = 0.0) {
    return value.empty() ? fallback : Xapian::sortable_unserialise(value);
}

/// The date slot's value of an ISO date: "2009-02-08" -> "20090208"; empty for anything that is not
/// YYYY-MM-DD with digits.
std::string date_value(std::string_view iso);

/// Earliest (upper=false) or latest (upper=true) date slot value a date written as YYYY, YYYY-MM, YYYY-MM-DD or
/// YYYYMMDD covers, so that a year range covers whole years; nullopt when `text` is not such a date.
std::optional<std::string> date_bound(std::string_view text, bool upper);

/// Xapian refuses terms longer than this many bytes.
inline constexpr std::size_t max_term_bytes = 245;

/// prefix + value, or, when that would pass max_term_bytes, prefix + the value's first bytes (cut at a UTF-8
/// character boundary) + "#" + content_hash(value): still unique per value, never throws. Used for the Q, XI and
/// XA terms, so a searcher filtering on an item id or author must build its term with this too.
std::string boolean_term(std::string_view prefix, std::string_view value);

/// Filter term for a batch file: XF + content_hash(absolute path), so any path fits Xapian's term limit.
std::string source_term(std::string_view absolute_path);

}  // namespace revsearch::schema
