#pragma once
// The command line of both tools, written once: how a command declares its options (Boost.Program_options),
// the options both tools share (--db, --json, --quiet), what --help prints, and how an error becomes one line
// and an exit code. Each command is parse() -> its Options struct, then run(Options) (indexer/cli/options.hpp,
// searcher/cli/options.hpp); the unit tests check parse() on tables of command lines.

#include <deque>
#include <utility>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "revsearch/error.hpp"

namespace revsearch::cli {

namespace po = boost::program_options;

/// --help or --version was given: run_command prints `text` on stdout and exits 0.
struct HelpRequested {
    std::string text;
};

/// What --version prints for `tool`: "revsearch 0.1.0 (Xapian 1.4.22)", the version of CMakeLists.txt's project
/// and of the Xapian library loaded.
std::string version_text(std::string_view tool);

/// One command's options: its usage text, the options it takes, its positional arguments.
class CommandLine {
public:
    /// `program`: how messages start ("revindex add"); `usage`: the text above the option list in --help.
    /// -h/--help and --version are declared here.
    CommandLine(std::string program, const std::string& usage);

    po::options_description_easy_init add_options() { return visible_.add_options(); }
    /// Options shown under their own heading in --help ("Filters"), in the order the headings first appear.
    po::options_description_easy_init add_options(const std::string& heading);
    /// Text printed after the option list (e.g. "Examples:\n  revsearch ...").
    void epilogue(std::string text) { epilogue_ = std::move(text); }
    /// Every word that is no option goes to `name`, a hidden option (e.g. the paths, the query's words).
    void positional(const std::string& name, const po::value_semantic* value);
    /// What to say instead of pointing at --help when `option` is unknown (nullopt: point at --help).
    void on_unknown_option(std::function<std::optional<std::string>(const std::string& option)> hint) {
        unknown_option_hint_ = std::move(hint);
    }

    /// Parses `args` (the words after the program and command names). Throws HelpRequested for -h/--help,
    /// Error (usage) naming the program for anything Boost rejects, and whatever a notifier throws.
    po::variables_map parse(const std::vector<std::string>& args) const;

    /// The usage text and the option list.
    std::string help() const;

private:
    /// Adds the headed groups to visible_, once, after the last add_options: Boost copies a group when it is added,
    /// and prints one description's groups in one aligned column.
    void compose() const;

    std::string program_;
    mutable po::options_description visible_;
    std::deque<std::pair<std::string, po::options_description>> groups_;  ///< a deque: references stay valid
    mutable bool composed_ = false;
    std::string epilogue_;
    po::options_description hidden_;
    po::positional_options_description positional_;
    std::function<std::optional<std::string>(const std::string&)> unknown_option_hint_;
};

/// --db DIR. The index is this, else $REVSEARCH_DB, else the XDG data directory (db_location.hpp).
/// Each of these takes the heading to list the option under in --help ("": the first, untitled list).
void add_db_option(CommandLine& line, std::optional<std::string>& db, const char* description = "the index directory",
                   const std::string& heading = "");
/// --json: what the command prints, as JSON.
void add_json_option(CommandLine& line, bool& json, const char* description, const std::string& heading = "");
/// -q, --quiet: less on stderr; what is left out depends on the command.
void add_quiet_option(CommandLine& line, bool& quiet, const char* description, const std::string& heading = "");

/// What gets past the error, with the flag or command that does it ("" for none): the one table of both tools.
std::string remedy_hint(Remedy remedy);
/// The error's message and, after "; ", its remedy's hint.
std::string describe(const Error& error);

/// The exception in flight as an Error (call from a catch block): an Error as it is, a bad option (Boost, or
/// std::invalid_argument from a value's parser) as usage, anything else as io. `translate` is asked first
/// (each tool turns Xapian's errors into Errors its own way); it returns nullopt for what it does not know.
Error current_error(const std::function<std::optional<Error>()>& translate = {});

/// Runs a command: --help prints its text (exit 0); a failure prints "PROGRAM: message; hint" on stderr and
/// returns the exit code of its kind (exit_code_of). `translate` as for current_error.
int run_command(std::string_view program, const std::function<int()>& command,
                const std::function<std::optional<Error>()>& translate = {});

}  // namespace revsearch::cli
