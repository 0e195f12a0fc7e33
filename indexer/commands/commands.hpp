#pragma once
// revindex's subcommands, each in its own file: run() takes what cli/command_options.hpp parsed and returns the exit
// code (exit_codes.hpp); a failure is thrown as revsearch::Error and reported once, by main.cpp.

#include "command_options.hpp"

namespace revindex {

int run_parse(const ParseOptions& options);
int run_add(const AddOptions& options);
int run_delete(const DeleteOptions& options);
int run_stats(const StatsOptions& options);
/// rebuild and compact report their own failures in their log (generation_job.hpp).
int run_rebuild(const RebuildCommand& command);
int run_compact(const CompactCommand& command);
int run_check(const CheckOptions& options);

}  // namespace revindex
