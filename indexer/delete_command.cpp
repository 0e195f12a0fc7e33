// Placeholder until the 'delete' command lands.
#include <iostream>

#include "commands.hpp"
#include "revsearch/exit_codes.hpp"

namespace revindex {
int run_delete(const std::vector<std::string>&) {
    std::cerr << "revindex delete: not implemented yet\n";
    return revsearch::exit_code::error;
}
}  // namespace revindex
