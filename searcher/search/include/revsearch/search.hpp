#pragma once
// One search against the index: query + filters + ranking -> ranked, collapsed hits with score parts,
// snippets, an optional rating histogram and a spelling hint. What revsearch prints is output.hpp.

#include <array>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "revsearch/expansion.hpp"
#include "revsearch/proximity.hpp"
#include "revsearch/query_builder.hpp"
#include "revsearch/ranking.hpp"
#include "revsearch/snippet.hpp"
#include "revsearch/spelling.hpp"
#include "revsearch/stub_database.hpp"

namespace revsearch {

enum class SortOrder { relevance, helpful, rating, date };

/// "relevance", "helpful", "rating", "date"; nullopt for anything else.
std::optional<SortOrder> parse_sort_order(std::string_view name);

/// When a search adds the expansion terms of its top hits: never (--no-expand, "off"), for long queries only (the
/// default, "long"), or always (--expand, "on").
enum class ExpandWhen { never, long_queries, always };

/// "off", "long" or "on" (the JSON summary's `expand`).
std::string_view expand_when_name(ExpandWhen when);

/// A query that searches at least this many distinct words is long: pasted text or a need written out (Cranfield
/// and MEDLINE ask in sentences of 15 words at the median, ArguAna's queries are whole arguments), not the 1-4
/// words a shopper types. By default such a query is expanded (ExpandWhen::long_queries): chosen on the tune
/// halves of Cranfield, MEDLINE and ArguAna, reported on their test halves (docs/ranking.md, "Long queries").
constexpr std::size_t long_query_terms = 5;

/// A long query of at least this many distinct words is pasted text (ArguAna's arguments: 34 at the fewest, 106
/// at the median); one of long_query_terms up to this is a need written out as a sentence (Cranfield and MEDLINE:
/// 15 and 14 at the median, 37 and 52 at the most). The two expand with different settings by default
/// (expansion_for). Chosen on the tune halves (python3 -m evaluation.expansion_kinds): every N from 38 to 42 gives
/// the best of both, Cranfield and MEDLINE 0.5350 mean nDCG@10 (0.5147 with --expand's settings for every long
/// query) and ArguAna's 0.4593 unchanged; below 38 two long Cranfield needs (34 and 37 words) lose a little, above
/// 42 ArguAna's shortest arguments do. 40, a short paragraph, is that plateau's round middle: the data do not pin
/// it closer (docs/ranking.md, "Long queries are expanded by default").
constexpr std::size_t pasted_text_terms = 40;

/// What a long query of each kind expands with by default. A written-out need: Amati's Bo1, 3 feedback
/// documents, 20 terms (the best of 112 cells on the tune halves of Cranfield and MEDLINE by nDCG@10: 0.5553
/// against 0.5316 for --expand's settings; it loses ArguAna's tune half, 0.4080 against 0.4593). Pasted text:
/// --expand's settings (ExpansionParams' defaults: trad, 3 documents, 10 terms), the best on ArguAna's tune half.
ExpansionParams written_need_expansion();

struct SearchRequest {
    std::string query;
    MatchMode match = MatchMode::any;
    bool plain_text = false;                ///< --plain: words only, no operators (QueryBuilder::parse)
    Filters filters;
    RankingParams ranking;
    /// --proximity: words typed side by side gain where they stand close in a review (proximity.hpp)
    ProximityParams proximity;
    SortOrder sort = SortOrder::relevance;  ///< helpful, rating, date: that value first (descending), then score
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    bool facets = false;                    ///< count every match (exact count) into a rating histogram
    bool count = true;                      ///< count the matches, exactly up to 2,000 (batch runs print no count)
    bool collapse = true;                   ///< show a text listed several times (same body) once
    bool suggest = true;                    ///< check the spelling: correct likely typos, hint at others
    bool as_typed = false;                  ///< --as-typed: search the words as typed (corrections become hints)
    bool snippets = true;                   ///< compute snippets (batch runs need none)
    /// each hit's whole record (Hit::review) and its score split into parts (Hit::parts); without, a hit has its
    /// id, rank and score only, what a batch run's TREC lines print: parsing the records and reading the signal
    /// slots of the parts were 19% of a blended batch search's CPU time at 50,000 reviews (issue 19). Snippets
    /// need the record, so `snippets` brings the details with it.
    bool details = true;
    /// each hit's score split into parts (Hit::parts), when `details`: what --explain and JSON print. Plain text
    /// prints none, and reading the three signal slots of each hit's stored document was 1.7% of a whole `revsearch
    /// great` (callgrind, issue 15 point 5).
    bool score_parts = true;
    std::size_t snippet_bytes = 240;
    /// --expand, --no-expand: when the terms of the top documents of a first pass (pseudo-relevance feedback) join the
    /// query; `expansion` says how many (--expand-with)
    ExpandWhen expand = ExpandWhen::long_queries;
    ExpansionParams expansion;
    /// --like ID: no query; the terms that best tell this review apart (ExpansionParams::terms of them) find
    /// reviews like it, the review itself and copies of its text left out
    std::optional<std::string> like;
    /// One review's 25 best terms by Robertson's selection value (not --expand's defaults, which were chosen for
    /// pseudo-relevance feedback)
    ExpansionParams like_params{1, 25, 1.0, "trad", 1};
};

/// The one place that decides whether and how a query of `terms` distinct words (as parsed) is expanded:
/// `request.expansion` as given for every query under ExpandWhen::always (--expand, --expand-with); under
/// ExpandWhen::long_queries (the default) nothing below long_query_terms, written_need_expansion() below
/// pasted_text_terms and `request.expansion` (--expand's settings unless a caller set others) from there;
/// nothing under ExpandWhen::never, for --like (an expansion of its own) or for a query of no word.
std::optional<ExpansionParams> expansion_for(const SearchRequest& request, std::size_t terms);

struct Hit {
    Xapian::doccount rank = 0;  ///< 1-based, counting from the first result (offset included)
    std::string id;             ///< the review's id
    double score = 0;
    ScoreParts parts;
    nlohmann::ordered_json review;  ///< the canonical JSON record stored as the document data, in its key order
    Snippet snippet;            ///< of the body
    Snippet headline;           ///< the whole headline, matches marked
};

/// Rating histograms over all matches. buckets[i] counts ratings whose share of their scale rounds to i+1 on 0..10
/// (0 counts as 1); by_scale holds one histogram per scale present (5 for 4/5), counting each rating as shown,
/// rounded (4.5/10 counts as 5); `unknown` the matches without a rating. Each text counts once, as in the hits
/// (collapsed), unless the request turned collapsing off.
struct RatingFacets {
    std::array<Xapian::doccount, 10> buckets{};
    std::map<double, std::map<long, Xapian::doccount>> by_scale;
    Xapian::doccount unknown = 0;
};

struct SearchResult {
    std::vector<Hit> hits;
    std::string parsed;                     ///< Query::get_description() of the query that ran
    bool fell_back = false;                 ///< the query did not parse; its words were searched
    std::size_t terms = 0;                  ///< distinct terms of the query as written
    bool capped = false;                    ///< terms > max_query_terms: only the first distinct words searched
    Xapian::doccount estimated = 0;         ///< matches: exact up to 2,000 or with facets, else Xapian's estimate
    bool exact = false;                     ///< the estimate is the exact count
    std::optional<std::string> suggestion;  ///< "did you mean", never applied
    WeightedTerms expansion;                ///< the terms --expand or --like searched, best first
    std::optional<ExpansionParams> expanded_with;  ///< the settings that expanded it (expansion_for), when expanded
    /// expansion terms joined the query (--expand, or a long query)
    bool expanded() const { return expanded_with.has_value(); }
    bool expanded_as_long = false;  ///< expanded because it is long (the default), not because --expand asked
    bool long_query = false;                ///< the query searches long_query_terms distinct words or more
    bool proximity = false;                 ///< close pairs of the query's words were boosted (--proximity)
    double bm25_b = 0;                      ///< BM25's b it ranked with (RankingParams::short_query_b if short)
    std::string query;                      ///< the query as given
    std::optional<std::string> corrected;   ///< the query searched instead of the one given (spelling.hpp)
    std::vector<WordCorrection> corrections;  ///< the words corrected in it
    std::optional<RatingFacets> facets;
    SignalScale scale;                      ///< the absolute signal factors used
    double milliseconds = 0;
    /// With --allow-partial, the shards of a stub that failed (the answer comes from the rest), and how many
    /// the stub lists (stub_database.hpp). Empty for a whole answer.
    std::vector<std::string> failed_shards;
    std::size_t shard_count = 0;
};

class Searcher {
public:
    /// Opens the index read-only. Throws Error: not_found (Remedy::create_index) when there is none, corrupt
    /// (Remedy::rebuild_index) when it was built with another schema version or its stub is unusable, unavailable
    /// when a shard of a stub file cannot be reached (naming it); Xapian::Error when it is unreadable. With `allow_partial`, a failed shard is left out instead and
    /// each result names it, unless every shard failed.
    explicit Searcher(const std::string& db_path, bool allow_partial = false);

    /// Sees the newest committed revision; retries a few times, reopening, when a writer commits twice under a
    /// running search (Xapian::DatabaseModifiedError).
    /// Throws std::invalid_argument for a bad filter value.
    SearchResult search(const SearchRequest& request);

    /// The reviews with these ids, whole (the snippet holds the body as stored, the headline unmarked), in the
    /// order given; an id not in the index is left out. Retried as search() is.
    std::vector<Hit> lookup(const std::vector<std::string>& ids);

    const Xapian::Database& database() const { return database_; }

private:
    SearchResult search_once(const SearchRequest& request);
    /// Runs `read` on the newest revision of the live index, retried (on the index opened anew) as search() says;
    /// returns what it returns.
    template <typename Read>
    auto with_retries(Read read) -> decltype(read());
    /// The index, or with failed shards known, the stub's other entries.
    Xapian::Database open_database() const;
    /// database_ = open_database(), noting the stub it was opened through (opened_stub_).
    void open_anew();
    /// database_ at the newest revision of the live index: reopen()ed when the stub it was opened through is
    /// unchanged and `anew` is false, opened anew otherwise.
    void refresh_database(bool anew);
    /// After a network error: finds which shards of the stub failed. Throws Error (unavailable) unless partial
    /// answers are allowed and some shard still answers; returns false when no shard is found failing (a
    /// transient error, worth a retry).
    bool note_failed_shards();

    std::string db_path_;  ///< opened anew by a search that finds its stub changed: a rebuild switched generations
    bool allow_partial_ = false;
    std::vector<ShardFailure> failed_shards_;
    std::size_t shard_count_ = 0;
    Xapian::Database database_;
    /// What the stub database_ was opened through said (stub_signature in search.cpp); nullopt: open anew.
    std::optional<std::string> opened_stub_;
    /// The spelling table suggestions come from: a remote stub's side table (STUB.spelling, written by
    /// scripts/serve-shards, since Xapian's remote protocol carries no spelling data), else the index itself.
    std::optional<Xapian::Database> speller_;
};

}  // namespace revsearch
