#include "revsearch/command_line.hpp"

#include <iostream>
#include <sstream>
#include <stdexcept>

#include <xapian.h>

#include "revsearch/exit_codes.hpp"

namespace revsearch::cli {

namespace {

// --help's columns: Boost's default of 80 wraps most descriptions; 100 keeps them on one or two lines.
constexpr unsigned help_width = 100;

}  // namespace

std::string version_text(std::string_view tool) {
    return std::string(tool) + " " + REVSEARCH_VERSION + " (Xapian " + Xapian::version_string() + ")\n";
}

CommandLine::CommandLine(std::string program, const std::string& usage)
    : program_(std::move(program)), visible_(usage, help_width, help_width / 2) {
    visible_.add_options()("help,h", "print this help")("version", "print the version (and Xapian's) and exit");
}

po::options_description_easy_init CommandLine::add_options(const std::string& heading) {
    for (auto& [name, group] : groups_)
        if (name == heading) return group.add_options();
    return groups_.emplace_back(heading, po::options_description(heading, help_width, help_width / 2)).second.add_options();
}

void CommandLine::compose() const {
    if (composed_) return;
    for (const auto& [name, group] : groups_) visible_.add(group);
    composed_ = true;
}

void CommandLine::positional(const std::string& name, const po::value_semantic* value) {
    hidden_.add_options()(name.c_str(), value);
    positional_.add(name.c_str(), -1);
}

po::variables_map CommandLine::parse(const std::vector<std::string>& args) const {
    compose();
    po::options_description all;
    all.add(visible_).add(hidden_);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional_).run(), vm);
    } catch (const po::unknown_option& e) {
        std::optional<std::string> hint;
        if (unknown_option_hint_) hint = unknown_option_hint_(e.get_option_name());
        throw Error(ErrorKind::usage,
                    std::string(e.what()) + " (" + hint.value_or(program_ + " --help lists the options") + ")");
    } catch (const po::error& e) {
        throw Error(ErrorKind::usage, std::string(e.what()) + " (" + program_ + " --help lists the options)");
    }
    if (vm.count("help")) throw HelpRequested{help()};
    if (vm.count("version")) throw HelpRequested{version_text(program_.substr(0, program_.find(' ')))};
    try {
        po::notify(vm);
    } catch (const po::error& e) {
        throw Error(ErrorKind::usage, e.what());
    }
    return vm;
}

std::string CommandLine::help() const {
    compose();
    std::ostringstream text;
    text << visible_;
    if (!epilogue_.empty()) text << '\n' << epilogue_;
    return text.str();
}

namespace {

po::options_description_easy_init options_under(CommandLine& line, const std::string& heading) {
    return heading.empty() ? line.add_options() : line.add_options(heading);
}

}  // namespace

void add_db_option(CommandLine& line, std::optional<std::string>& db, const char* description,
                   const std::string& heading) {
    options_under(line, heading)(
        "db", po::value<std::string>()->value_name("DIR")->notifier([&db](const std::string& v) { db = v; }),
        description);
}

void add_json_option(CommandLine& line, bool& json, const char* description, const std::string& heading) {
    options_under(line, heading)("json", po::bool_switch(&json), description);
}

void add_quiet_option(CommandLine& line, bool& quiet, const char* description, const std::string& heading) {
    options_under(line, heading)("quiet,q", po::bool_switch(&quiet), description);
}

std::string remedy_hint(Remedy remedy) {
    switch (remedy) {
        case Remedy::none: return "";
        case Remedy::wait_longer: return "see --lock-timeout";
        case Remedy::name_sources: return "give --from PATH... to build from the files you have";
        case Remedy::accept_loss: return "rebuild with --allow-loss to switch anyway";
        case Remedy::rebuild_elsewhere: return "rebuild it in a new --db to change that";
        case Remedy::answer_partially: return "--allow-partial answers from the rest";
        case Remedy::create_index: return "create one with revindex add";
        case Remedy::rebuild_index: return "rebuild it with revindex rebuild";
    }
    return "";
}

std::string describe(const Error& error) {
    const std::string hint = remedy_hint(error.remedy());
    return hint.empty() ? std::string(error.what()) : std::string(error.what()) + "; " + hint;
}

Error current_error(const std::function<std::optional<Error>()>& translate) {
    if (translate) {
        if (auto translated = translate()) return *translated;
    }
    try {
        throw;
    } catch (const Error& e) {
        return e;
    } catch (const po::error& e) {
        return Error(ErrorKind::usage, e.what());
    } catch (const std::invalid_argument& e) {
        return Error(ErrorKind::usage, e.what());
    } catch (const std::exception& e) {
        return Error(ErrorKind::io, e.what());
    } catch (...) {
        return Error(ErrorKind::io, "unknown error");
    }
}

int run_command(std::string_view program, const std::function<int()>& command,
                const std::function<std::optional<Error>()>& translate) {
    try {
        return command();
    } catch (const HelpRequested& help) {
        std::cout << help.text;
        return exit_code::ok;
    } catch (...) {
        const Error error = current_error(translate);
        std::cerr << program << ": " << describe(error) << '\n';
        return exit_code_of(error.kind());
    }
}

}  // namespace revsearch::cli
