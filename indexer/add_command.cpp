// Placeholder until the 'add' command lands.
#include <iostream>

#include "commands.hpp"
#include "revsearch/exit_codes.hpp"

namespace revindex {
int run_add(const std::vector<std::string>&) {
    std::cerr << "revindex add: not implemented yet\n";
    return revsearch::exit_code::error;
}
}  // namespace revindex
