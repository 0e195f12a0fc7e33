// revindex: reads review batches and maintains the index. Thin dispatch over the subcommands.

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "revsearch/exit_codes.hpp"

namespace {

constexpr std::string_view usage = R"(usage: revindex COMMAND [OPTIONS] [PATH...]

Commands:
  parse    print what the readers understood, as canonical JSON lines (nothing is indexed)
  add      index review batches (each file one transaction; unchanged files are skipped)
  delete   remove reviews by id or by batch file
  stats    describe the index
  rebuild  build a new index beside the live one and switch to it atomically (cron-safe; docs/rebuild.md)
  compact  compact the index into a new generation, switched to the same way
  check    run Xapian's check on every table of the index, naming a damaged one

Run 'revindex COMMAND --help' for a command's options.

Exit codes: 0 success; 1 --strict refused a batch, or nothing could be read; 2 error (bad option, I/O,
unreadable index); 3 another revindex holds the index (see --lock-timeout). rebuild and compact: 1 means
the new index failed its check and the live one was kept.
)";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << usage;
        return revsearch::exit_code::error;
    }
    std::string_view command = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "-h" || command == "--help" || command == "help") {
        std::cout << usage;
        return revsearch::exit_code::ok;
    }
    if (command == "parse") return revindex::run_parse(args);
    if (command == "add") return revindex::run_add(args);
    if (command == "delete") return revindex::run_delete(args);
    if (command == "stats") return revindex::run_stats(args);
    if (command == "rebuild") return revindex::run_rebuild(args);
    if (command == "compact") return revindex::run_compact(args);
    if (command == "check") return revindex::run_check(args);
    std::cerr << "revindex: unknown command '" << command << "'\n" << usage;
    return revsearch::exit_code::error;
}
