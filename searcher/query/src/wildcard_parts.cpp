#include "revsearch/wildcard_parts.hpp"

#include <string_view>

namespace revsearch {

std::pair<std::string, Xapian::Query::op> wildcard_parts(const Xapian::Query& wildcard) {
    constexpr std::string_view head = "Query(WILDCARD ";
    const std::string description = wildcard.get_description();
    if (!description.starts_with(head) || !description.ends_with(")")) return {};
    const std::size_t space = description.find(' ', head.size());
    if (space == std::string::npos) return {};
    const std::string combiner = description.substr(head.size(), space - head.size());
    std::string pattern = description.substr(space + 1, description.size() - space - 2);
    if (pattern.empty() || pattern.find_first_of("\\ ") != std::string::npos) return {};
    if (combiner == "SYNONYM") return {pattern, Xapian::Query::OP_SYNONYM};
    if (combiner == "OR") return {pattern, Xapian::Query::OP_OR};
    if (combiner == "MAX") return {pattern, Xapian::Query::OP_MAX};
    return {};
}

}  // namespace revsearch
