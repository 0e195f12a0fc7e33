// revindex stats: what the index holds (revsearch/index_stats.hpp), as text or as one JSON object.

#include <iostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "index_errors.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/index_stats.hpp"

namespace revindex {

namespace {

nlohmann::json null_unless(const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

void print_json(std::ostream& out, const revsearch::IndexStats& stats) {
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& source : stats.sources)
        sources.push_back({{"path", source.path},
                           {"documents", source.documents},
                           {"records", source.records},
                           {"rejected", source.rejected},
                           {"hash", source.hash},
                           {"time", source.time}});
    nlohmann::json shards = nlohmann::json::array();
    for (const auto& shard : stats.shards)
        shards.push_back({{"shard", shard.shard},
                          {"path", shard.path},
                          {"documents", shard.documents},
                          {"bytes", shard.bytes},
                          {"revision", shard.revision}});
    const nlohmann::json object = {{"path", stats.path},
                                   {"documents", stats.documents},
                                   {"terms", stats.terms},
                                   {"bytes", stats.bytes},
                                   {"batches", stats.sources.size()},
                                   {"language", stats.language},
                                   {"schema", null_unless(stats.schema)},
                                   {"revision", stats.revision},
                                   {"last_change", null_unless(stats.last_change)},
                                   {"sources", sources},
                                   {"generation", stats.generation},
                                   {"shards", shards},
                                   {"disk", {{"total", stats.disk.total},
                                             {"live", stats.disk.live},
                                             {"kept_generations", stats.disk.kept_generations},
                                             {"kept_generation_count", stats.disk.kept_generation_count},
                                             {"inputs", stats.disk.inputs}}}};
    out << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void print_text(std::ostream& out, const revsearch::IndexStats& stats) {
    out << fmt::format("index        {}\n", stats.path) << fmt::format("documents    {}\n", stats.documents)
        << fmt::format("terms        {}\n", stats.terms)
        << fmt::format("bytes        {} ({:.1f} MB)\n", stats.bytes, static_cast<double>(stats.bytes) / 1e6)
        << fmt::format("language     {}\n", stats.language)
        << fmt::format("schema       {}\n", stats.schema.value_or("-"))
        << fmt::format("revision     {}\n", stats.revision)
        << fmt::format("last change  {}\n", stats.last_change.value_or("-"))
        << fmt::format("batches      {}\n", stats.sources.size());
    for (const auto& source : stats.sources)
        out << fmt::format("  {:>8} documents  {}  {}\n", source.documents, source.time, source.path);
    const auto megabytes = [](std::uintmax_t bytes) { return static_cast<double>(bytes) / 1e6; };
    out << fmt::format("disk         {:.1f} MB in all (as du counts): live generation {:.1f} MB, {} kept "
                       "generation{} {:.1f} MB, kept stream inputs {:.1f} MB\n",
                       megabytes(stats.disk.total), megabytes(stats.disk.live), stats.disk.kept_generation_count,
                       stats.disk.kept_generation_count == 1 ? "" : "s", megabytes(stats.disk.kept_generations),
                       megabytes(stats.disk.inputs));
    out << fmt::format("shards       {}\n", stats.shards.size());
    for (const auto& shard : stats.shards)
        out << fmt::format("  {:>8} documents  {:>8.1f} MB  {}\n", shard.documents,
                           static_cast<double>(shard.bytes) / 1e6, shard.path);
}

}  // namespace

int run_stats(const StatsOptions& options) {
    const std::string db_path = revsearch::resolve_db_path(options.db);
    const auto stats = on_index(db_path, Corruption::as_reported, [&] { return revsearch::inspect_index(db_path); });
    if (options.json) print_json(std::cout, stats);
    else print_text(std::cout, stats);
    return revsearch::exit_code::ok;
}

}  // namespace revindex
