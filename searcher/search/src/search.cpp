#include "revsearch/search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <tuple>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

#include "revsearch/added_parts.hpp"
#include "revsearch/bm25_ceiling.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/error.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/match_count.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/spelling.hpp"

namespace revsearch {

namespace {

// A reader two commits behind a writer gets DatabaseModifiedError; reopening gets the newest revision.
constexpr int max_attempts = 5;

/// The generation stub of the index DIR `db_path`, as it is now: which file it is (device, inode, change time,
/// size). A rebuild switches generations by rename()ing a new stub over DIR/XAPIANDB, and a stub edited in place
/// changes its change time, so the signature changes when a search must open the index anew rather than reopen()
/// the one it has (issue 19: opening it was 14% of a search's CPU time at 50,000 reviews, 4% at 1,000,000, `perf
/// record --call-graph dwarf` of revsearch --queries; two stat calls are 1%). nullopt, and each search opens anew
/// as all did before, when there is no generation stub to watch: a legacy index (glass files in DIR itself, which
/// Xapian prefers to a stub), or a stub file given as --db, whose `auto PATH` lines may name index DIRs that switch
/// generations behind their own stubs while the file itself stays the same.
std::optional<std::string> stub_signature(const std::string& db_path) {
    struct stat status {};
    if (::stat((db_path + '/' + std::string(generations::stub_file)).c_str(), &status) != 0) return std::nullopt;
    if (::access((db_path + "/iamglass").c_str(), F_OK) == 0 || !S_ISREG(status.st_mode)) return std::nullopt;
    return std::to_string(status.st_dev) + ':' + std::to_string(status.st_ino) + ':' +
           std::to_string(status.st_ctim.tv_sec) + '.' + std::to_string(status.st_ctim.tv_nsec) + ':' +
           std::to_string(status.st_size);
}

void set_sort(Xapian::Enquire& enquire, SortOrder sort) {
    // Descending: the most helpful, the best rated, the newest first; reviews without the value come last
    // (an absent value is the empty string, which sorts lowest).
    switch (sort) {
        case SortOrder::relevance: enquire.set_sort_by_relevance(); break;
        case SortOrder::helpful: enquire.set_sort_by_value_then_relevance(schema::helpful_signal, true); break;
        case SortOrder::rating: enquire.set_sort_by_value_then_relevance(schema::rating10, true); break;
        case SortOrder::date: enquire.set_sort_by_value_then_relevance(schema::date, true); break;
    }
}

std::string review_id_of(const Xapian::Document& document, const nlohmann::ordered_json& review) {
    if (review.is_object()) {
        auto it = review.find("id");
        if (it != review.end() && it->is_string()) return it->get<std::string>();
    }
    // Fall back on the unique id term.
    auto terms = document.termlist_begin();
    terms.skip_to(std::string(schema::id_prefix));
    if (terms != document.termlist_end() && (*terms).rfind(schema::id_prefix, 0) == 0)
        return (*terms).substr(schema::id_prefix.size());
    return {};
}

std::string string_field(const nlohmann::ordered_json& review, const char* key) {
    if (!review.is_object()) return {};
    auto it = review.find(key);
    return it != review.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A hit for a stored document: its canonical record (null when the stored data is not JSON) and its id.
Hit hit_of(const Xapian::Document& document) {
    Hit hit;
    hit.review = nlohmann::ordered_json::parse(document.get_data(), nullptr, false);
    if (hit.review.is_discarded()) hit.review = nullptr;
    hit.id = review_id_of(document, hit.review);
    return hit;
}

/// The value of the top-level "id" of a JSON object, read by nlohmann's SAX parser, which stops there: the
/// canonical record (review.hpp) has it first, so a hit's id costs a few bytes of parsing, not the whole record.
class IdReader : public nlohmann::json_sax<nlohmann::json> {
public:
    std::optional<std::string> id;

    bool null() override { return scalar(); }
    bool boolean(bool) override { return scalar(); }
    bool number_integer(number_integer_t) override { return scalar(); }
    bool number_unsigned(number_unsigned_t) override { return scalar(); }
    bool number_float(number_float_t, const string_t&) override { return scalar(); }
    bool string(string_t& value) override {
        if (at_id()) {
            id = std::move(value);
            return false;  // found: stop parsing
        }
        return scalar();
    }
    bool binary(binary_t&) override { return scalar(); }
    bool start_object(std::size_t) override { return open(); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(); }
    bool end_array() override { return close(); }
    bool key(string_t& name) override {
        id_key_ = depth_ == 1 && name == "id";
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    bool at_id() const { return depth_ == 1 && id_key_; }
    bool scalar() { return !at_id(); }  // an id that is no string: stop, the caller falls back
    bool open() {
        if (at_id()) return false;
        ++depth_;
        return true;
    }
    bool close() {
        --depth_;
        return true;
    }
    int depth_ = 0;
    bool id_key_ = false;
};

/// A hit with only its id, for a request without details.
Hit id_hit_of(const Xapian::Document& document) {
    IdReader reader;
    const std::string data = document.get_data();
    nlohmann::json::sax_parse(data, &reader, nlohmann::json::input_format_t::json, false);
    Hit hit;
    hit.review = nullptr;
    hit.id = reader.id ? std::move(*reader.id) : review_id_of(document, hit.review);
    return hit;
}

/// The white-space separated words of `text`, counting stops at `stop`. A query of more than max_query_terms
/// words gets no spelling help: it is a pasted text, which the hint would repeat word for word, and checking each
/// of its words (spelling.hpp) took 2 s for a 1 MB query.
std::size_t count_words(std::string_view text, std::size_t stop) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!space && !in_word && ++words == stop) break;
        in_word = !space;
    }
    return words;
}

/// Counts the rating of every match once per collapsed text (each copy when `collapse` is off, as the hits show).
/// A ValueCountMatchSpy would be cheaper but sees matches before collapsing: on Amazon data, where one text is
/// listed under many variants, it counted 1956 ratings for 600 distinct matching reviews. Boolean weighting: only
/// membership matters here.
RatingFacets count_ratings(const Xapian::Database& database, const Xapian::Query& query, bool collapse) {
    Xapian::Enquire enquire = membership_enquire(database, query, collapse);
    Xapian::MSet all = enquire.get_mset(0, database.get_doccount());
    RatingFacets facets;
    for (auto it = all.begin(); it != all.end(); ++it) {
        const Xapian::Document document = it.get_document();
        std::string value = document.get_value(schema::rating10);
        if (value.empty()) {
            ++facets.unknown;
            continue;
        }
        long bucket = std::clamp(std::lround(schema::number_of(value)), 1L, 10L);
        ++facets.buckets[static_cast<std::size_t>(bucket - 1)];
        const std::string scale = document.get_value(schema::rating_scale);
        if (!scale.empty())
            ++facets.by_scale[schema::number_of(scale)][std::lround(schema::number_of(document.get_value(schema::rating_shown)))];
    }
    return facets;
}

/// The document of the review `id` (its unique id term, as the writer made it), if the index holds it.
std::optional<Xapian::docid> docid_of_review(const Xapian::Database& database, const std::string& id) {
    const std::string term = DocumentBuilder::id_term(id);
    auto posting = database.postlist_begin(term);
    if (posting == database.postlist_end(term)) return std::nullopt;
    return *posting;
}

/// The review `id`'s document and the copies of its text (same body hash): what --like leaves out.
struct LikeSource {
    FeedbackDocuments feedback;
    Xapian::Query itself;
};

LikeSource like_source(const Xapian::Database& database, const std::string& id) {
    const std::optional<Xapian::docid> docid = docid_of_review(database, id);
    if (!docid) throw Error(ErrorKind::not_found, "no review with id " + id + " in the index (each hit shows its id)");
    LikeSource source;
    source.feedback.push_back(*docid);
    source.itself = Xapian::Query(DocumentBuilder::id_term(id));
    const std::string body_hash = database.get_document(*docid).get_value(schema::body_hash);
    if (!body_hash.empty())
        source.itself = Xapian::Query(Xapian::Query::OP_OR, source.itself,
                                      Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::body_hash, body_hash, body_hash));
    return source;
}

/// Whether `query` is a plain OR of words (the default for bare words), whose matches expansion may widen; a
/// query with AND, NOT, phrases or fields keeps its matches and is only re-ranked by the expansion terms.
bool is_word_disjunction(const Xapian::Query& query) {
    switch (query.get_type()) {
        case Xapian::Query::LEAF_TERM:
        case Xapian::Query::OP_WILDCARD: return true;
        case Xapian::Query::OP_SCALE_WEIGHT: return is_word_disjunction(query.get_subquery(0));
        case Xapian::Query::OP_OR:
            for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
                if (!is_word_disjunction(query.get_subquery(i))) return false;
            return true;
        default: return false;
    }
}

/// Pseudo-relevance feedback: the top `params.documents` distinct texts of `filtered`, text ranking alone (the
/// weighting scheme of the search, no signals).
FeedbackDocuments feedback_documents(const Xapian::Database& database, const Xapian::Query& filtered,
                                const RankingParams& ranking, const ExpansionParams& params, bool collapse) {
    Xapian::Enquire enquire(database);
    enquire.set_query(filtered);
    enquire.set_weighting_scheme(*make_weight(ranking, database));
    if (collapse) enquire.set_collapse_key(schema::body_hash);
    FeedbackDocuments feedback;
    const Xapian::MSet top = enquire.get_mset(0, params.documents);
    for (auto it = top.begin(); it != top.end(); ++it) feedback.push_back(*it);
    return feedback;
}

/// The proximity pairs' and the expansion terms' shares of each hit's score, taken out of its bm25 part, so that
/// --explain and JSON `parts` show the words' own BM25 beside what each addition gave (added_parts.hpp). One
/// small search per addition, among the page's hits only.
void move_additions_out_of_bm25(const Xapian::Database& database, const Xapian::MSet& mset,
                                const Xapian::Query& boost, const Xapian::Query& added, const Xapian::Weight& weight,
                                std::vector<Hit>& hits) {
    if ((boost.empty() && added.empty()) || hits.empty()) return;
    std::vector<std::string> id_terms;
    for (const Hit& hit : hits) id_terms.push_back(DocumentBuilder::id_term(hit.id));
    const auto proximity = added_weights(database, boost, id_terms, weight);
    const auto expansion = added_weights(database, added, id_terms, weight);
    std::size_t i = 0;
    for (auto it = mset.begin(); it != mset.end() && i < hits.size(); ++it, ++i) {
        ScoreParts& parts = hits[i].parts;
        if (auto found = proximity.find(*it); found != proximity.end()) parts.proximity = found->second;
        if (auto found = expansion.find(*it); found != expansion.end()) parts.expansion = found->second;
        parts.bm25 -= parts.proximity + parts.expansion;
    }
}

}  // namespace

std::optional<SortOrder> parse_sort_order(std::string_view name) {
    if (name == "relevance") return SortOrder::relevance;
    if (name == "helpful") return SortOrder::helpful;
    if (name == "rating") return SortOrder::rating;
    if (name == "date") return SortOrder::date;
    return std::nullopt;
}

std::string_view expand_when_name(ExpandWhen when) {
    switch (when) {
        case ExpandWhen::never: return "off";
        case ExpandWhen::long_queries: return "long";
        case ExpandWhen::always: return "on";
    }
    return "long";
}

ExpansionParams written_need_expansion() {
    ExpansionParams need;
    need.scheme = "bo1";
    need.documents = 3;
    need.terms = 20;
    return need;
}

std::optional<ExpansionParams> expansion_for(const SearchRequest& request, std::size_t terms) {
    if (request.like || terms == 0) return std::nullopt;
    switch (request.expand) {
        case ExpandWhen::never: return std::nullopt;
        case ExpandWhen::always: return request.expansion;
        case ExpandWhen::long_queries:
            if (terms < long_query_terms) return std::nullopt;
            if (terms < pasted_text_terms) return written_need_expansion();
            return request.expansion;
    }
    return std::nullopt;
}

Searcher::Searcher(const std::string& db_path, bool allow_partial)
    : db_path_(db_path), allow_partial_(allow_partial) {
    // What to say when there is no index to open. The directory is listed (and its stub read) only then, not on
    // every search for a message that no successful open prints.
    const auto no_index = [&] {
        try {
            generations::inspect(db_path);
        } catch (const Error& e) {
            return e;  // generations without their stub: say how to restore it, not to start anew
        } catch (const std::exception&) {
        }
        return Error(ErrorKind::not_found, "no index at " + db_path, Remedy::create_index);
    };
    std::error_code error;
    if (!std::filesystem::exists(db_path, error)) throw no_index();
    // Retried like a search: a rebuild may remove the generation the stub named between our reading the stub
    // and opening its files (generations.hpp).
    for (int attempt = 1;; ++attempt) {
        try {
            open_anew();
            break;
        } catch (const Xapian::DatabaseNotFoundError&) {
            if (attempt == max_attempts) throw no_index();
        } catch (const Xapian::DatabaseOpeningError& e) {
            // A file that is no stub (--db pointed at a review file, say): Xapian reads it as a stub and says
            // "FILE:1: Bad line"; say what the path is not instead.
            if (std::filesystem::is_regular_file(db_path, error))
                throw Error(ErrorKind::not_found,
                            db_path + " is not a revsearch index (neither an index directory nor a stub file of "
                                      "shards: " + e.get_msg() + ")");
            if (attempt == max_attempts) throw;
        } catch (const Xapian::NetworkError&) {
            const bool named = note_failed_shards();  // throws Error (unavailable) unless partial answers are allowed
            if ((!named && attempt >= max_attempts) || attempt >= 2 * max_attempts) throw;
        }
    }
    // An empty stub (or one of comments only) opens as a Database of no database, which Enquire refuses with
    // "uninitialised Database object": say what is wrong instead.
    try {
        Xapian::Enquire probe(database_);
    } catch (const Xapian::InvalidArgumentError&) {
        throw Error(ErrorKind::corrupt, "the stub at " + db_path + " names no database; restore it (docs/rebuild.md) or "
                    "rebuild the index with revindex");
    }
    // A remote stub's spelling side table (docs/scaling.md, "Spelling over remote shards").
    const std::string side_table = db_path + ".spelling";
    if (std::filesystem::is_directory(side_table, error)) speller_ = Xapian::Database(side_table);
    std::string version = database_.get_metadata(std::string(schema::meta_schema_version));
    if (!version.empty() && version != std::to_string(schema::version))
        throw Error(ErrorKind::corrupt,
                    "the index at " + db_path + " has schema version " + version + "; this revsearch reads version " +
                        std::to_string(schema::version),
                    Remedy::rebuild_index);
}

Xapian::Database Searcher::open_database() const {
    if (failed_shards_.empty()) return Xapian::Database(db_path_);
    Xapian::Database database;
    const auto stub_dir = std::filesystem::path(db_path_).parent_path();
    for (const auto& entry : read_stub_entries(db_path_)) {
        const bool failed = std::any_of(failed_shards_.begin(), failed_shards_.end(),
                                        [&](const ShardFailure& failure) { return failure.shard.line == entry.line; });
        if (!failed) database.add_database(open_stub_entry(entry, stub_dir));
    }
    return database;
}

void Searcher::open_anew() {
    // The signature before opening: a switch between the two is then seen by the next search, which opens anew.
    std::optional<std::string> stub = stub_signature(db_path_);
    opened_stub_.reset();
    database_ = open_database();
    opened_stub_ = std::move(stub);
}

void Searcher::refresh_database(bool anew) {
    if (!anew && opened_stub_ && failed_shards_.empty() && stub_signature(db_path_) == opened_stub_) {
        database_.reopen();  // the same generation: its newest revision, without opening its tables again
        return;
    }
    open_anew();
}

bool Searcher::note_failed_shards() {
    const auto entries = read_stub_entries(db_path_);
    auto failures = probe_stub_entries(db_path_, entries);
    if (failures.empty()) return false;
    if (!allow_partial_ || failures.size() == entries.size())
        throw Error(ErrorKind::unavailable,
                    describe_failures(failures, entries.size()) + (allow_partial_ ? "; no shard answers" : ""),
                    allow_partial_ ? Remedy::none : Remedy::answer_partially);
    failed_shards_ = std::move(failures);
    shard_count_ = entries.size();
    return true;
}

template <typename Read>
auto Searcher::with_retries(Read read) -> decltype(read()) {
    // Each read sees the newest committed revision of the live generation: the database already open is
    // reopen()ed while its stub (generations.hpp) is unchanged; DIR is opened anew, through its stub, when the
    // stub changed (reopen() would stay on a generation that a rebuild has switched away from) and on every
    // retry. A generation removed between reading the stub and opening its files (DatabaseOpeningError) or a
    // writer committing twice under the read (DatabaseModifiedError) is retried on the new one; a shard
    // that stops answering is named, or left out with --allow-partial (stub_database.hpp).
    for (int attempt = 1;; ++attempt) {
        try {
            refresh_database(attempt > 1);
            return read();
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == max_attempts) throw;
        } catch (const Xapian::DatabaseOpeningError&) {
            if (attempt == max_attempts) throw;
        } catch (const Xapian::NetworkError&) {
            const bool named = note_failed_shards();  // throws Error (unavailable) unless partial answers are allowed
            if ((!named && attempt >= max_attempts) || attempt >= 2 * max_attempts) throw;
        }
    }
}

SearchResult Searcher::search(const SearchRequest& request) {
    return with_retries([&] {
        SearchResult result = search_once(request);
        for (const auto& failure : failed_shards_)
            result.failed_shards.push_back(describe_failures({failure}, shard_count_));
        result.shard_count = shard_count_;
        return result;
    });
}

SearchResult Searcher::search_once(const SearchRequest& request) {
    auto started = std::chrono::steady_clock::now();
    SearchResult result;
    // Spelling first: a likely typo is corrected before the query is parsed, unless --as-typed.
    QueryBuilder builder(database_);
    std::string query_text = request.query;
    result.query = request.query;
    if (request.suggest && count_words(request.query, max_query_terms + 1) <= max_query_terms) {
        SpellingCheck spelling =
            check_spelling(database_, speller_ ? *speller_ : database_, builder.stemmer(), request.query,
                           !request.as_typed);
        result.suggestion = std::move(spelling.suggestion);
        result.corrections = std::move(spelling.corrections);
        if (spelling.corrected) query_text = *spelling.corrected;
        result.corrected = std::move(spelling.corrected);
    }
    ParsedQuery parsed = builder.parse(query_text, request.match, request.plain_text);
    result.fell_back = parsed.fell_back;
    result.terms = parsed.terms;
    result.capped = parsed.capped;

    result.long_query = !request.like && parsed.terms >= long_query_terms;
    // A short query (what a shopper types) ranks with short_query_b; --like ranks its many terms as a long one.
    const RankingParams ranking = for_query_length(request.ranking, !request.like && !result.long_query);
    result.bm25_b = ranking.b;

    Xapian::Query text = parsed.query;
    if (request.like) {
        const LikeSource source = like_source(database_, *request.like);
        result.expansion = expansion_terms(database_, source.feedback, {}, request.like_params);
        text = Xapian::Query(Xapian::Query::OP_AND_NOT, weighted_terms_query(result.expansion, 1.0), source.itself);
    }

    // The signals' scale is the text query's BM25 ceiling (bm25_ceiling.hpp): computed from the term statistics
    // Xapian merges over shards, before and without matching, so the blended query runs once and ranks the same
    // on one index and on shards, local or remote. With --expand, of the words as typed: the expansion terms
    // weigh less and would otherwise inflate it. The headline weight (ranking.hpp) adds to the text query's
    // score, so the ceiling covers it too.
    // The proximity boost is left out of the ceiling, as the expansion terms are: it adds to the reviews whose
    // words stand close, and counted in the unit it would shrink the signals of every query of two words or more.
    const bool widen = is_word_disjunction(text);
    const Xapian::Query boost = request.like ? Xapian::Query() : proximity_boost(database_, text, request.proximity);
    result.proximity = !boost.empty();
    text = with_field_weights(text, ranking);
    // Plain BM25 (both weights 0) scales no signal, so its ceiling is not computed: its term statistics were 3% of
    // a plain search's CPU time at 50,000 reviews (issue 19).
    const bool signals = ranking.helpful_weight > 0 || ranking.rating_weight > 0;
    result.scale = relative_signal_scale(ranking, signals ? bm25_ceiling(database_, text, ranking) : 0);
    text = with_proximity(text, boost);

    Xapian::Query added;
    if (const std::optional<ExpansionParams> expansion = expansion_for(request, parsed.terms)) {
        const FeedbackDocuments feedback = feedback_documents(database_, builder.apply_filters(text, request.filters),
                                                         ranking, *expansion, request.collapse);
        result.expansion = expansion_terms(database_, feedback, text, *expansion);
        if (!result.expansion.empty()) result.expanded_with = expansion;
        result.expanded_as_long = result.expanded() && request.expand == ExpandWhen::long_queries;
        added = weighted_terms_query(result.expansion, expansion->weight);
        if (!added.empty())
            text = Xapian::Query(widen ? Xapian::Query::OP_OR : Xapian::Query::OP_AND_MAYBE, text, added);
    }

    Xapian::Enquire enquire(database_);
    const std::unique_ptr<Xapian::Weight> weight = make_weight(ranking, database_);
    enquire.set_weighting_scheme(*weight);
    Xapian::Query query = builder.apply_filters(blend_signals(text, result.scale), request.filters);
    result.parsed = query.get_description();
    enquire.set_query(query);
    // The same text listed under several products (variants) is shown once, unless --no-collapse.
    if (request.collapse) enquire.set_collapse_key(schema::body_hash);
    set_sort(enquire, request.sort);

    // Only the page: with no more matches asked for or to be checked, Xapian's matcher raises its minimum weight
    // to the page's last score as soon as the page is full, and skips the documents that cannot reach it (an OR
    // of words becomes an AND_MAYBE or an AND once one word alone cannot reach the page). Each candidate still
    // costs the blend a lookup in each signal's value stream: docs/ranking.md, "Cost".
    Xapian::MSet mset = enquire.get_mset(request.offset, request.limit);
    result.estimated = mset.get_matches_estimated();
    result.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    if (request.facets) {
        result.facets = count_ratings(database_, query, request.collapse);
        // Every match was counted: the exact number.
        result.estimated = result.facets->unknown;
        for (auto count : result.facets->buckets) result.estimated += count;
        result.exact = true;
    } else if (request.count) {
        std::tie(result.estimated, result.exact) =
            count_matches(database_, builder.apply_filters(text, request.filters), request.collapse);
    }

    SnippetMatcher matcher(text, builder.stemmer(), parsed.wildcard_prefixes);
    const bool details = request.details || request.snippets;  // a snippet is cut from the record's body
    const bool score_parts = details && request.score_parts;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document document = it.get_document();
        Hit hit = details ? hit_of(document) : id_hit_of(document);
        hit.rank = it.get_rank() + 1;  // get_rank counts from the first match, offset included
        hit.score = it.get_weight();
        if (score_parts) hit.parts = split_score(hit.score, document, result.scale);
        if (request.snippets) {
            hit.snippet = make_snippet(string_field(hit.review, "body"), matcher, request.snippet_bytes);
            hit.headline = highlight_whole(string_field(hit.review, "headline"), matcher);
        }
        result.hits.push_back(std::move(hit));
    }
    if (score_parts) move_additions_out_of_bm25(database_, mset, boost, added, *weight, result.hits);
    result.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::vector<Hit> Searcher::lookup(const std::vector<std::string>& ids) {
    return with_retries([&] {
        std::vector<Hit> hits;
        for (const auto& id : ids) {
            const std::optional<Xapian::docid> docid = docid_of_review(database_, id);
            if (!docid) continue;
            Hit hit = hit_of(database_.get_document(*docid));
            hit.rank = static_cast<Xapian::doccount>(hits.size() + 1);
            hit.snippet.text = string_field(hit.review, "body");
            hit.headline.text = string_field(hit.review, "headline");
            hits.push_back(std::move(hit));
        }
        return hits;
    });
}

}  // namespace revsearch
