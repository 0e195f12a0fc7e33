#pragma once
// Review -> Xapian document, exactly as schema.hpp describes (terms, values, stored data).

#include <string>

#include <xapian.h>

#include "revsearch/review.hpp"

namespace revsearch {

class DocumentBuilder {
public:
    /// `language` is a Snowball language name (analyzer.hpp). When `spelling_db` is given, body and headline
    /// words are added to its spelling table (for "Did you mean").
    explicit DocumentBuilder(const std::string& language, Xapian::WritableDatabase* spelling_db = nullptr);

    Xapian::Document build(const Review& review);

    /// The unique id term (Q + review id): the key of replace_document.
    static std::string id_term(const std::string& review_id);

private:
    Xapian::TermGenerator term_generator_;
};

}  // namespace revsearch
