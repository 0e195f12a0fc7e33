// revindex's command lines (indexer/cli/command_options.hpp), table-driven (option_rows.hpp).

#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "option_rows.hpp"
#include "command_options.hpp"
#include "revsearch/command_line.hpp"

using namespace revindex;
using Args = std::vector<std::string>;

namespace {

std::string show(const std::optional<std::string>& text) { return text ? *text : "-"; }
std::string show(const std::optional<unsigned>& number) { return number ? std::to_string(*number) : "-"; }
std::string show(const std::optional<revsearch::Format>& format) {
    return format ? std::string(revsearch::format_name(*format)) : "-";
}
std::string show(const revsearch::BatchOptions& batch) {
    return fmt::format("format={} csv_map={} json_map={} strict={}", show(batch.format), batch.csv_map, batch.json_map,
                       batch.strict);
}

std::string show(const AddOptions& o) {
    return fmt::format("db={} paths={} {} language={} lock={}ms jobs={} shards={} quiet={}", show(o.db), o.paths,
                       show(o.batch), show(o.language), o.lock_timeout.count(), show(o.jobs), show(o.shards), o.quiet);
}
std::string show(const ParseOptions& o) { return fmt::format("paths={} {} quiet={}", o.paths, show(o.batch), o.quiet); }
std::string show(const DeleteOptions& o) {
    return fmt::format("db={} ids={} source={} lock={}ms", show(o.db), o.ids, show(o.source), o.lock_timeout.count());
}
std::string show(const StatsOptions& o) { return fmt::format("db={} json={}", show(o.db), o.json); }
std::string show(const CheckOptions& o) { return fmt::format("db={}", show(o.db)); }
std::string show(const RebuildCommand& o) {
    const auto& j = o.job;
    return fmt::format("db={} from={} keep={} if_changed={} lock={}ms expect={} format={} jobs={} shards={} "
                       "allow_loss={} log_json={} quiet={}",
                       show(o.db), j.from, j.keep, j.if_changed, j.lock_timeout.count(),
                       j.expect_documents ? std::to_string(*j.expect_documents) : "-", show(j.format), j.jobs,
                       show(j.shards), j.allow_loss, o.log_json, o.quiet);
}
std::string show(const CompactCommand& o) {
    return fmt::format("db={} keep={} lock={}ms log_json={} quiet={}", show(o.db), o.job.keep,
                       o.job.lock_timeout.count(), o.log_json, o.quiet);
}

template <class Options>
void check_rows(Options (*parse)(const Args&), const std::vector<OptionRow>& rows) {
    check_option_rows(parse, [](const Options& options) { return show(options); }, rows);
}

}  // namespace

TEST_CASE("revindex add: options") {
    check_rows(parse_add, {
        {{"a.txt"}, "db=- paths=[\"a.txt\"] format=- csv_map= json_map= strict=false language=- lock=5000ms jobs=- shards=- quiet=false"},
        {{"--db", "/tmp/x", "-f", "csv", "--strict", "-q", "a", "b"},
         "db=/tmp/x paths=[\"a\", \"b\"] format=csv csv_map= json_map= strict=true language=- lock=5000ms jobs=- shards=- quiet=true"},
        {{"--csv-map", "body=Text", "--language", "danish", "--lock-timeout", "0.25", "-j", "0", "--shards", "4", "-"},
         "db=- paths=[\"-\"] format=- csv_map=body=Text json_map= strict=false language=danish lock=250ms jobs=0 shards=4 quiet=false"},
        {{}, "error: missing PATH"},
        {{"--format", "xml", "a"}, "error: unknown format 'xml' (known: imdb, jsonl, mcauley, blitzer, csv)"},
        {{"--csv-map", "colour=red", "a"}, "error: --csv-map: unknown key \"colour\""},
        {{"--json-map", "body=text,headline=title", "a"},
         "db=- paths=[\"a\"] format=- csv_map= json_map=body=text,headline=title strict=false language=- lock=5000ms jobs=- shards=- quiet=false"},
        {{"--json-map", "text=body", "a"}, "error: --json-map: unknown key \"text\""},
        {{"--language", "klingon", "a"}, "error: klingon"},
        {{"--lock-timeout", "-1", "a"}, "error: --lock-timeout must be between 0 and 86400 seconds"},
        {{"--lock-timeout", "86401", "a"}, "error: --lock-timeout must be between 0 and 86400 seconds"},
        {{"--lock-timeout", "soon", "a"}, "error: lock-timeout"},
        {{"--shards", "0", "a"}, "error: --shards must be between 1 and 256"},
        {{"--shards", "257", "a"}, "error: --shards must be between 1 and 256"},
        {{"--no-such-option", "a"}, "error: revindex add --help lists the options"},
    });
}

TEST_CASE("revindex parse: options") {
    check_rows(parse_parse, {
        {{"a"}, "paths=[\"a\"] format=- csv_map= json_map= strict=false quiet=false"},
        {{"--format", "blitzer", "--strict", "--quiet", "a", "b"}, "paths=[\"a\", \"b\"] format=blitzer csv_map= json_map= strict=true quiet=true"},
        {{"--csv-map", "rating_max=10", "a"}, "paths=[\"a\"] format=- csv_map=rating_max=10 json_map= strict=false quiet=false"},
        {{}, "error: missing PATH"},
        {{"--format", "imdbx", "a"}, "error: unknown format 'imdbx'"},
        {{"--csv-map", "rating_max=1000", "a"}, "error: --csv-map: rating_max must be a number in (0, 100]"},
        {{"--json-map", "body=review", "a"}, "paths=[\"a\"] format=- csv_map= json_map=body=review strict=false quiet=false"},
        {{"--json-map", "body", "a"}, "error: --json-map: expected KEY=SOURCE_KEY, found \"body\""},
        {{"--db", "x", "a"}, "error: unrecognised option '--db'"},
    });
}

TEST_CASE("revindex delete: options") {
    check_rows(parse_delete, {
        {{"--id", "a1", "b2"}, "db=- ids=[\"a1\", \"b2\"] source=- lock=5000ms"},
        {{"--db", "d", "--source", "x.json", "--lock-timeout", "1"}, "db=d ids=[] source=x.json lock=1000ms"},
        {{}, "error: give either --id ID... or --source PATH"},
        {{"--id", "a", "--source", "x"}, "error: give either --id ID... or --source PATH"},
        {{"--source", ""}, "error: give either --id ID... or --source PATH"},
        {{"stray"}, "error: revindex delete --help lists the options"},
    });
}

TEST_CASE("revindex stats: options") {
    check_rows(parse_stats, {
        {{}, "db=- json=false"},
        {{"--db", "d", "--json"}, "db=d json=true"},
        {{"--json", "extra"}, "error: revindex stats --help lists the options"},
    });
}

TEST_CASE("revindex check: options") {
    check_rows(parse_check, {
        {{}, "db=-"},
        {{"--db", "d"}, "db=d"},
        {{"--db"}, "error: the required argument for option '--db' is missing"},
        {{"--json"}, "error: revindex check --help lists the options"},
    });
}

TEST_CASE("revindex rebuild and compact: options, one lock timeout default with add and delete") {
    check_rows(parse_rebuild, {
        {{}, "db=- from=[] keep=2 if_changed=false lock=5000ms expect=- format=- jobs=0 shards=- allow_loss=false "
             "log_json=false quiet=false"},
        {{"--from", "a", "b", "--keep", "3", "--if-changed", "--expect-documents", "7", "-f", "jsonl", "-j", "2",
          "--shards", "3", "--allow-loss", "--log-json", "-q", "--lock-timeout", "600"},
         "db=- from=[\"a\", \"b\"] keep=3 if_changed=true lock=600000ms expect=7 format=jsonl jobs=2 shards=3 "
         "allow_loss=true log_json=true quiet=true"},
        {{"--keep", "0"}, "error: --keep must be at least 1 (the live generation)"},
        {{"--shards", "0"}, "error: --shards must be between 1 and 256"},
        {{"--format", "pdf"}, "error: unknown format 'pdf'"},
        {{"--lock-timeout", "nan"}, "error: --lock-timeout must be between 0 and 86400 seconds"},
    });
    check_rows(parse_compact, {
        {{}, "db=- keep=2 lock=5000ms log_json=false quiet=false"},
        {{"--db", "d", "--keep", "1", "--lock-timeout", "0", "--log-json", "--quiet"},
         "db=d keep=1 lock=0ms log_json=true quiet=true"},
        {{"--keep", "0"}, "error: --keep must be at least 1"},
        {{"--from", "a"}, "error: unrecognised option '--from'"},
    });
}

TEST_CASE("revindex: --help is the usage text and every option, with the exit codes") {
    const std::vector<std::pair<std::string, std::function<void(const Args&)>>> commands = {
        {"parse", [](const Args& a) { parse_parse(a); }},     {"add", [](const Args& a) { parse_add(a); }},
        {"delete", [](const Args& a) { parse_delete(a); }},   {"stats", [](const Args& a) { parse_stats(a); }},
        {"rebuild", [](const Args& a) { parse_rebuild(a); }}, {"compact", [](const Args& a) { parse_compact(a); }},
        {"check", [](const Args& a) { parse_check(a); }},
    };
    for (const auto& command : commands) {
        // Named copies, not a structured binding: clang 14 (the sanitizer build) cannot capture bindings.
        const std::string& name = command.first;
        const auto& parse = command.second;
        CAPTURE(name);
        for (const Args& args : {Args{"--help"}, Args{"-h"}, Args{"--bad", "-h"}}) {
            std::string text;
            try {
                parse(args);
            } catch (const revsearch::cli::HelpRequested& help) {
                text = help.text;
            } catch (const revsearch::Error&) {
                text = "usage error";  // an unknown option is reported before --help is looked at
            }
            if (args.front() == "--bad") {
                CHECK(text == "usage error");
                continue;
            }
            CHECK(text.find("usage: revindex " + name) == 0);
            CHECK(text.find("Exit codes") != std::string::npos);
            CHECK(text.find("--help") != std::string::npos);
        }
    }
}
