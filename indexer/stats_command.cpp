// Placeholder until the 'stats' command lands.
#include <iostream>

#include "commands.hpp"
#include "revsearch/exit_codes.hpp"

namespace revindex {
int run_stats(const std::vector<std::string>&) {
    std::cerr << "revindex stats: not implemented yet\n";
    return revsearch::exit_code::error;
}
}  // namespace revindex
