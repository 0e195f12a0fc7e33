#include "revsearch/document_builder.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <nlohmann/json.hpp>

#include "revsearch/analyzer.hpp"
#include "revsearch/helpfulness.hpp"
#include "revsearch/review_id.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/signal_prior.hpp"
#include "revsearch/spelling_table.hpp"

namespace revsearch {

namespace {

/// Every run of white space becomes one space, ends trimmed: two copies of a text that differ only in line
/// breaks or indentation hash the same.
std::string collapse_whitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (is_ascii_space(c)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

/// A string as to_json_line writes it inside the record (invalid UTF-8 replaced).
std::string json_string(const std::string& text) {
    return nlohmann::ordered_json(text).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

/// The Snowball stemmer behind a SpellingCounter while one is set: TermGenerator with STEM_ALL calls its stemmer
/// once per word occurrence with the word as written (folded by us, lower-cased by Xapian), the very string
/// FLAG_SPELLING would add. So the spelling table gets real words although the index holds stems, and the lookup
/// that counts a word also finds its stem, remembered from its first sighting (SpellingCounter::add_and_stem):
/// Snowball runs once per distinct word. Words of the passes not counted (the headline under its prefix, author,
/// item) take their stems from the same counter without counting.
class WordRecordingStem final : public Xapian::StemImplementation {
public:
    explicit WordRecordingStem(Xapian::Stem stemmer) : stemmer_(std::move(stemmer)) {}

    std::string operator()(const std::string& word) override {
        if (spelling_ == nullptr) return stemmer_(word);
        return counting_ ? spelling_->add_and_stem(word, stemmer_) : spelling_->stem(word, stemmer_);
    }
    std::string get_description() const override { return stemmer_.get_description(); }

    /// Stems through `spelling` (none: Snowball itself), counting each word there when `counting`.
    void use(SpellingCounter* spelling, bool counting) {
        spelling_ = spelling;
        counting_ = counting;
    }

private:
    Xapian::Stem stemmer_;
    SpellingCounter* spelling_ = nullptr;
    bool counting_ = false;
};

DocumentBuilder::DocumentBuilder(const std::string& language, Xapian::WritableDatabase* spelling_db)
    : stem_(new WordRecordingStem(make_snowball_stem(language))), spelling_db_(spelling_db) {
    // No FLAG_SPELLING: the stemmer counts the spelling words (WordRecordingStem). Xapian::Stem owns stem_
    // (reference counted), and term_generator_ keeps that Stem as long as the builder lives.
    term_generator_.set_stemmer(Xapian::Stem(stem_));
    term_generator_.set_stemming_strategy(schema::index_stemming);
}

std::string DocumentBuilder::id_term(const std::string& review_id) {
    return schema::boolean_term(schema::id_prefix, review_id);
}

std::string DocumentBuilder::record_hash(const Review& review) {
    Review without_source = review;
    without_source.source.clear();
    return content_hash(to_json_line(without_source));
}

std::string DocumentBuilder::record_hash_of_line(const Review& review, std::string_view line) {
    // to_json_line writes "id", then "source", first: the line without its source is the same bytes with the
    // source's value emptied. Serialising the review a second time for the hash (record_hash) was 221 M of 8.06 G
    // instructions of `revindex add` (issue 15). Any other start falls back to record_hash itself.
    std::string head = "{\"id\":";
    head.append(json_string(review.id)).append(",\"source\":");
    const std::string source = json_string(review.source);
    if (!line.starts_with(head) || !line.substr(head.size()).starts_with(source)) return record_hash(review);
    std::string without_source;
    without_source.reserve(line.size() - source.size() + 2);
    without_source.append(head).append("\"\"").append(line.substr(head.size() + source.size()));
    return content_hash(without_source);
}

std::string_view DocumentBuilder::source_path_of(std::string_view source) {
    const auto colon = source.rfind(':');
    if (colon == std::string_view::npos) return source;
    std::string_view tail = source.substr(colon + 1);
    if (tail.starts_with("record ")) tail.remove_prefix(7);
    return all_digits(tail) ? source.substr(0, colon) : source;
}

bool DocumentBuilder::same_terms(const Review& a, const Review& b) {
    // What build() makes terms of: the free text (positions follow from headline, body, author and item, in this
    // order), the id, item id, author filter and spoiler terms. The source term is refresh's to swap.
    return a.id == b.id && a.headline == b.headline && a.body == b.body && a.author == b.author &&
           a.item == b.item && a.item_id == b.item_id && a.spoiler == b.spoiler;
}

void DocumentBuilder::refresh(Xapian::Document& stored, const Review& review, std::string_view source_path) {
    if (source_path.empty()) source_path = source_path_of(review.source);
    const std::string source = source_path.empty() ? std::string() : schema::source_term(source_path);
    // The source term is the one term a review read again from another batch file changes. It has no positions, so
    // swapping it leaves Xapian's position lists alone (Document::remove_term marks positions modified only for a
    // term that had some).
    const std::string prefix(schema::source_prefix);
    std::vector<std::string> old_sources;
    bool has_source = false;
    auto term = stored.termlist_begin();
    for (term.skip_to(prefix); term != stored.termlist_end() && (*term).starts_with(prefix); ++term) {
        if (*term == source) has_source = true;
        else old_sources.push_back(*term);
    }
    for (const auto& old : old_sources) stored.remove_term(old);
    if (!source.empty() && !has_source) stored.add_boolean_term(source);
    stored.clear_values();
    set_values_and_data(stored, review, fold_diacritics(review.body));
}

void DocumentBuilder::set_values_and_data(Xapian::Document& doc, const Review& review, const std::string& body) {
    const auto rating = normalised_rating(review);
    doc.add_value(schema::rating_signal, schema::number_value(rating.value_or(0.5)));
    if (rating) {
        doc.add_value(schema::rating10, schema::number_value(*rating * 10));
        doc.add_value(schema::rating_shown, schema::number_value(*review.rating));
        doc.add_value(schema::rating_scale, schema::number_value(*review.rating_max));
    }
    if (review.helpful_total)
        doc.add_value(schema::helpful_total, schema::number_value(static_cast<double>(*review.helpful_total)));
    const double helpful = (review.helpful_yes && review.helpful_total)
                               ? wilson_lower_bound(*review.helpful_yes, *review.helpful_total)
                               : 0.0;
    doc.add_value(schema::helpful_signal, schema::number_value(helpful));
    doc.add_value(schema::prior_signal, schema::number_value(prior_level(helpful, rating.value_or(0.5))));
    if (review.date) {
        std::string date = schema::date_value(*review.date);
        if (!date.empty()) doc.add_value(schema::date, date);
    }
    doc.add_value(schema::body_hash, content_hash(collapse_whitespace(body)));
    std::string record = to_json_line(review);
    doc.add_value(schema::record_hash, record_hash_of_line(review, record));
    doc.set_data(std::move(record));
}

Xapian::Document DocumentBuilder::build(const Review& review, std::string_view source_path,
                                        SpellingCounter* spelling) {
    Xapian::Document doc;
    term_generator_.set_document(doc);

    // Free text, folded first so that "Sorensen" and "Sørensen" index (and later query) alike; each word as its stem
    // with positions (schema.hpp). The headline under S (`headline:`, the headline weight) and unprefixed, where
    // the body is: the default field is one bag of words. Spelling words are counted from the unprefixed copy
    // only, so a headline word counts once, as a body word does.
    // Without a counter, the builder's own keeps the stems: counted words go to spelling_db_ when there is one,
    // else they are forgotten with the document.
    if (spelling == nullptr) spelling = &own_spelling_;
    if (review.headline) {
        const std::string headline = fold_diacritics(*review.headline);
        stem_->use(spelling, false);
        term_generator_.index_text(headline, 1, std::string(schema::headline_prefix));
        stem_->use(spelling, true);
        term_generator_.index_text(headline);
        term_generator_.increase_termpos();  // a gap: no phrase matches across the headline/body border
    }
    const std::string body = fold_diacritics(review.body);
    stem_->use(spelling, true);
    term_generator_.index_text(body);
    stem_->use(spelling, false);
    if (review.author) {
        term_generator_.increase_termpos();
        term_generator_.index_text(fold_diacritics(*review.author), 1, std::string(schema::author_prefix));
    }
    if (review.item) {
        term_generator_.increase_termpos();
        term_generator_.index_text(fold_diacritics(*review.item), 1, std::string(schema::item_prefix));
    }
    stem_->use(nullptr, false);

    // Boolean terms: exact filters, never weighted.
    doc.add_boolean_term(id_term(review.id));
    if (review.item_id && !review.item_id->empty())
        doc.add_boolean_term(schema::boolean_term(schema::item_id_prefix, *review.item_id));
    if (review.author) {
        const std::string author = fold_for_filter(*review.author);
        if (!author.empty()) doc.add_boolean_term(schema::boolean_term(schema::author_filter_prefix, author));
    }
    if (review.spoiler) doc.add_boolean_term(std::string(schema::spoiler_term));
    if (source_path.empty()) source_path = source_path_of(review.source);
    if (!source_path.empty()) doc.add_boolean_term(schema::source_term(source_path));

    set_values_and_data(doc, review, body);
    if (spelling == &own_spelling_) {
        if (spelling_db_ != nullptr) own_spelling_.write_to(*spelling_db_);
        else own_spelling_.clear();
    }
    return doc;
}

}  // namespace revsearch
