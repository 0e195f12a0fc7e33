#pragma once
// revindex's subcommands, each in its own file; main.cpp only dispatches.

#include <string>
#include <vector>

namespace revindex {

/// Each takes the arguments after the subcommand name and returns the process exit code (exit_codes.hpp).
int run_parse(const std::vector<std::string>& args);
int run_add(const std::vector<std::string>& args);
int run_delete(const std::vector<std::string>& args);
int run_stats(const std::vector<std::string>& args);
int run_rebuild(const std::vector<std::string>& args);
int run_compact(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);

}  // namespace revindex
