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
    /// index holds only stems, so the spelling table's words come from here.
    Xapian::Document build(const Review& review, std::string_view source_path = {},
                           SpellingCounter* spelling = nullptr);

    /// The unique id term (Q + review id): the key of replace_document.
    static std::string id_term(const std::string& review_id);

    /// content_hash of the review's canonical JSON line with the source left out (the same review read from
    /// another line or file is the same record): the value of schema::record_hash.
    static std::string record_hash(const Review& review);

    /// The path part of Review::source: "dir/a.txt:12" and "b.csv:record 3" give "dir/a.txt" and "b.csv".
    static std::string_view source_path_of(std::string_view source);

private:
    WordRecordingStem* stem_;  ///< owned by term_generator_'s Xapian::Stem (reference counted)
    Xapian::TermGenerator term_generator_;
    Xapian::WritableDatabase* spelling_db_ = nullptr;
};

}  // namespace revsearch
