// Placeholder until the 'parse' command lands.
#include <iostream>

#include "commands.hpp"
#include "revsearch/exit_codes.hpp"

namespace revindex {
int run_parse(const std::vector<std::string>&) {
    std::cerr << "revindex parse: not implemented yet\n";
    return revsearch::exit_code::error;
}
}  // namespace revindex
