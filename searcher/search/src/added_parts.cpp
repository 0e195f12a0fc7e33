#include "revsearch/added_parts.hpp"

#include "revsearch/proximity.hpp"

namespace revsearch {

std::unordered_map<Xapian::docid, double> added_weights(const Xapian::Database& database,
                                                        const Xapian::Query& addition,
                                                        const std::vector<std::string>& id_terms,
                                                        const Xapian::Weight& weight) {
    using Q = Xapian::Query;
    std::unordered_map<Xapian::docid, double> weights;
    if (addition.empty() || id_terms.empty()) return weights;
    // The hits alone, weighing nothing (a scale of 0 makes Xapian treat them as a filter), with the addition
    // joined as with_proximity joins the pairs in the search: one OP_AND_MAYBE per subquery of an OP_OR.
    const Q hits(Q::OP_SCALE_WEIGHT, Q(Q::OP_OR, id_terms.begin(), id_terms.end()), 0.0);
    const Q query = with_proximity(hits, addition);
    Xapian::Enquire enquire(database);
    enquire.set_weighting_scheme(weight);
    enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(id_terms.size()));
    for (auto it = mset.begin(); it != mset.end(); ++it)
        if (it.get_weight() > 0) weights.emplace(*it, it.get_weight());
    return weights;
}

}  // namespace revsearch
