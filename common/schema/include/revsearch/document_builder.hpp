#pragma once
// Review -> Xapian document, exactly as schema.hpp describes (terms, values, stored data).

#include <string>
#include <string_view>

#include <xapian.h>

#include "revsearch/review.hpp"
#include "revsearch/spelling_table.hpp"

namespace revsearch {

class WordRecordingStem;

class DocumentBuilder {
public:
    /// `language` is a Snowball language name (analyzer.hpp). When `spelling_db` is given, body and headline
    /// words are added to its spelling table (for "Did you mean"), once per distinct word of each document
    /// (the batch writers count a whole batch instead: the `spelling` argument of build).
    explicit DocumentBuilder(const std::string& language, Xapian::WritableDatabase* spelling_db = nullptr);

    /// The XF (source) term is made from `source_path` when given (the indexer passes the batch file's absolute
    /// path), else from the path part of review.source ("path:line" or "path:record N").
    /// Each body and headline word is counted into `spelling`, when given, as written (folded, lower-cased): the
    /// index holds only stems, so the spelling table's words come from here. `spelling` also remembers each
    /// word's stem (SpellingCounter::add_and_stem): a writer passes the same counter for every document.
    Xapian::Document build(const Review& review, std::string_view source_path = {},
                           SpellingCounter* spelling = nullptr);

    /// Whether `a` and `b` make the same terms with the same positions: they differ at most in what only values and
    /// the stored record hold (rating, votes, date, byline, item year, source). Both as read, by the same builder.
    static bool same_terms(const Review& a, const Review& b);

    /// `stored` (a document just read with get_document, whose terms were made from a review for which
    /// same_terms(that review, `review`) holds) brought to what build(review, source_path) makes: its values and
    /// data replaced, and its source (XF) term, which has no positions, swapped when the batch differs. Passed to
    /// replace_document, Xapian then rewrites that document's values and data and no posting or position list:
    /// re-scraped reviews with new vote counts cost about what their values weigh (issue 15, docs/indexing.md).
    void refresh(Xapian::Document& stored, const Review& review, std::string_view source_path = {});

    /// The unique id term (Q + review id): the key of replace_document.
    static std::string id_term(const std::string& review_id);

    /// content_hash of the review's canonical JSON line with the source left out (the same review read from
    /// another line or file is the same record): the value of schema::record_hash.
    static std::string record_hash(const Review& review);

    /// record_hash(review), from `line`, the review's to_json_line already made for the document data, without
    /// serialising the review again.
    static std::string record_hash_of_line(const Review& review, std::string_view line);

    /// The path part of Review::source: "dir/a.txt:12" and "b.csv:record 3" give "dir/a.txt" and "b.csv".
    static std::string_view source_path_of(std::string_view source);

private:
    /// The value slots and the stored record of `review`, whose body folded is `body` (build and refresh).
    static void set_values_and_data(Xapian::Document& doc, const Review& review, const std::string& body);

    WordRecordingStem* stem_;  ///< owned by term_generator_'s Xapian::Stem (reference counted)
    Xapian::TermGenerator term_generator_;
    Xapian::WritableDatabase* spelling_db_ = nullptr;
    /// The words of build calls given no counter: their stems kept, their counts for spelling_db_, if any.
    SpellingCounter own_spelling_;
};

}  // namespace revsearch
