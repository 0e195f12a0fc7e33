// revindex: reads review batches and maintains the index. Thin dispatch over the subcommands.

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "revsearch/command_line.hpp"
#include "revsearch/exit_codes.hpp"

namespace {

constexpr std::string_view usage = R"(Usage: revindex COMMAND [OPTIONS] [PATH...]

Commands:
  parse    print what the readers understood, as canonical JSON lines (nothing is indexed)
  add      index review batches (each file one transaction; unchanged files are skipped)
  delete   remove reviews by id or by batch file
  stats    describe the index
  rebuild  build a new index beside the live one and switch to it atomically (cron-safe; docs/rebuild.md)
  compact  compact the index into a new generation, switched to the same way
  check    run Xapian's check on every table of the index, naming a damaged one

Run 'revindex COMMAND --help' for a command's options; 'revindex --version' prints the version.
The examples below work on the bundled sample, corpora/.

Examples:
  revindex add --db /tmp/reviews corpora/          index every review file below corpora/
  revindex stats --db /tmp/reviews                 documents, terms, bytes, batches
  revindex parse corpora/canonical-sample.jsonl    what the readers understand, as JSON lines
  revindex check --db /tmp/reviews                 Xapian's check of every table

Exit codes: 0 success; 1 --strict refused a batch, or nothing could be read; 2 error (bad option, I/O,
unreadable index); 3 another revindex holds the index (see --lock-timeout, default 5 s). rebuild and compact:
1 means the new index failed its check and the live one was kept.
)";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "revindex: missing COMMAND (revindex --help lists the commands)\n";
        return revsearch::exit_code::error;
    }
    const std::string_view command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "-h" || command == "--help" || command == "help") {
        std::cout << usage;
        return revsearch::exit_code::ok;
    }
    if (command == "--version") {
        std::cout << revsearch::cli::version_text("revindex");
        return revsearch::exit_code::ok;
    }
    // Each command: parse its options, run it; --help and failures are reported in one place (command_line.hpp).
    const std::string program = "revindex " + std::string(command);
    auto run = [&](auto parse, auto run_parsed) {
        return revsearch::cli::run_command(program, [&] { return run_parsed(parse(args)); });
    };
    if (command == "parse") return run(revindex::parse_parse, revindex::run_parse);
    if (command == "add") return run(revindex::parse_add, revindex::run_add);
    if (command == "delete") return run(revindex::parse_delete, revindex::run_delete);
    if (command == "stats") return run(revindex::parse_stats, revindex::run_stats);
    if (command == "rebuild") return run(revindex::parse_rebuild, revindex::run_rebuild);
    if (command == "compact") return run(revindex::parse_compact, revindex::run_compact);
    if (command == "check") return run(revindex::parse_check, revindex::run_check);
    std::cerr << "revindex: unknown command '" << command << "' (revindex --help lists the commands)\n";
    return revsearch::exit_code::error;
}
