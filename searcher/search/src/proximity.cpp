#include "revsearch/proximity.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "revsearch/schema.hpp"
#include "setting_list.hpp"

namespace revsearch {

namespace {

using Q = Xapian::Query;

/// The term of a bare word: an unprefixed stem leaf, or one under OP_SCALE_WEIGHT (merge_repeated_terms' repeat);
/// empty for anything else.
std::string bare_word(const Q& query) {
    if (query.get_type() == Q::OP_SCALE_WEIGHT && query.get_num_subqueries() == 1) return bare_word(query.get_subquery(0));
    if (query.get_type() != Q::LEAF_TERM) return {};
    std::string term = *query.get_terms_begin();
    return schema::classify_term(term).kind == schema::TermKind::stem ? term : std::string();
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

void add_pair(Pairs& pairs, const std::string& first, const std::string& second) {
    if (first == second || pairs.size() >= max_proximity_pairs) return;
    const bool known = std::any_of(pairs.begin(), pairs.end(), [&](const auto& pair) {
        return (pair.first == first && pair.second == second) || (pair.first == second && pair.second == first);
    });
    if (!known) pairs.emplace_back(first, second);
}

using IsCommon = std::function<bool(const std::string&)>;

void collect_pairs(const Q& query, const IsCommon& is_common, Pairs& pairs) {
    switch (query.get_type()) {
        case Q::OP_OR:
        case Q::OP_AND: {
            std::string previous;  // the bare word just before, empty after anything else
            for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
                const Q subquery = query.get_subquery(i);
                std::string word = bare_word(subquery);
                if (word.empty()) {
                    collect_pairs(subquery, is_common, pairs);
                } else if (is_common && is_common(word)) {
                    continue;  // skipped: its neighbours pair across it
                } else if (!previous.empty()) {
                    add_pair(pairs, previous, word);
                }
                previous = std::move(word);
            }
            return;
        }
        case Q::OP_AND_MAYBE:  // +a b: each side is typed words of its own
            for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
                collect_pairs(query.get_subquery(i), is_common, pairs);
            return;
        case Q::OP_AND_NOT:  // not what is excluded, nor what a filter selects
        case Q::OP_FILTER:
            if (query.get_num_subqueries() > 0) collect_pairs(query.get_subquery(0), is_common, pairs);
            return;
        default: return;  // a word alone, a phrase, NEAR, a wildcard, XOR, a synonym: nothing to add
    }
}

}  // namespace

void apply_proximity_spec(ProximityParams& params, std::string_view spec) {
    if (spec == "off") {
        params.weight = 0;
        return;
    }
    ProximityParams result = params;
    detail::for_each_setting(spec, [&](std::string_view key, std::string_view text) {
        if (key == "order") {
            if (text != "any" && text != "typed")
                throw std::invalid_argument("order takes any or typed, not \"" + std::string(text) + "\"");
            result.ordered = text == "typed";
            return;
        }
        const double value = detail::setting_number(key, text);
        if (key == "common") {
            if (!(value > 0 && value <= 1)) throw std::invalid_argument("common takes a share of the documents, above 0 and at most 1");
            result.common = value;
        } else if (key == "weight") {
            if (value < 0 || value > 10) throw std::invalid_argument("weight must be between 0 and 10");
            result.weight = value;
        } else if (key == "window") {
            if (value < 2 || value > 50 || value != static_cast<double>(static_cast<int>(value)))
                throw std::invalid_argument("window takes a whole number of positions from 2 to 50");
            result.window = static_cast<Xapian::termpos>(value);
        } else {
            throw std::invalid_argument("unknown setting \"" + std::string(key) +
                                        "\" (weight, window, order, common; or off)");
        }
    });
    params = result;
}

std::string proximity_spec(const ProximityParams& params) {
    if (params.weight <= 0) return "off";
    std::ostringstream out;
    out << "weight=" << params.weight << ",window=" << params.window << ",order=" << (params.ordered ? "typed" : "any")
        << ",common=" << params.common;
    return out.str();
}

std::vector<std::pair<std::string, std::string>> adjacent_word_pairs(const Xapian::Query& words,
                                                                     const IsCommon& is_common) {
    Pairs pairs;
    collect_pairs(words, is_common, pairs);
    return pairs;
}

Xapian::Query proximity_boost(const Xapian::Database& database, const Xapian::Query& words,
                              const ProximityParams& params) {
    if (params.weight <= 0) return {};
    const double documents = database.get_doccount();
    const Pairs pairs = adjacent_word_pairs(words, [&](const std::string& word) {
        return database.get_termfreq(word) > params.common * documents;
    });
    if (pairs.empty()) return {};
    std::vector<Q> scaled;
    scaled.reserve(pairs.size());
    const Q::op op = params.ordered ? Q::OP_PHRASE : Q::OP_NEAR;
    for (const auto& [first, second] : pairs) {
        const Q terms[] = {Q(first), Q(second)};
        scaled.emplace_back(Q::OP_SCALE_WEIGHT, Q(op, std::begin(terms), std::end(terms), params.window), params.weight);
    }
    return scaled.size() == 1 ? scaled.front() : Q(Q::OP_OR, scaled.begin(), scaled.end());
}

Xapian::Query with_proximity(const Xapian::Query& query, const Xapian::Query& boost) {
    if (boost.empty()) return query;
    // One OP_AND_MAYBE per pair, not one over the OR of the pairs: Xapian 1.4.22 weighs an OR of two or more
    // OP_NEAR (or OP_PHRASE) on the optional side of OP_AND_MAYBE wrongly for some documents (a review of the
    // sample corpora got 9.48 where its words and its one close pair weigh 5.19, and shards disagreed with one
    // index), while each OP_NEAR on its own is weighed exactly (tests/unit/proximity_test.cpp checks the sums).
    if (boost.get_type() != Q::OP_OR) return Q(Q::OP_AND_MAYBE, query, boost);
    Q chained = query;
    for (std::size_t i = 0; i < boost.get_num_subqueries(); ++i)
        chained = Q(Q::OP_AND_MAYBE, chained, boost.get_subquery(i));
    return chained;
}

}  // namespace revsearch
