#include "revsearch/batch_queries.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace revsearch {

namespace {

std::optional<BatchQuery> parse_json_line(const std::string& line, std::string& reason) {
    auto object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
        reason = "not a JSON object";
        return std::nullopt;
    }
    auto id = object.find("_id");
    auto text = object.find("text");
    if (id == object.end() || !(id->is_string() || id->is_number_integer() || id->is_number_unsigned())) {
        reason = "\"_id\" is missing or not a string";
        return std::nullopt;
    }
    if (text == object.end() || !text->is_string()) {
        reason = "\"text\" is missing or not a string";
        return std::nullopt;
    }
    return BatchQuery{id->is_string() ? id->get<std::string>() : id->dump(), text->get<std::string>()};
}

std::optional<BatchQuery> parse_tsv_line(const std::string& line, std::string& reason) {
    auto tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) {
        reason = "expected id<TAB>query text";
        return std::nullopt;
    }
    return BatchQuery{line.substr(0, tab), line.substr(tab + 1)};
}

}  // namespace

std::vector<BatchQuery> read_batch_queries(std::istream& in, const std::string& file_name, const ProblemSink& report) {
    std::vector<BatchQuery> queries;
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        std::string reason;
        auto query = line.front() == '{' ? parse_json_line(line, reason) : parse_tsv_line(line, reason);
        if (query)
            queries.push_back(std::move(*query));
        else
            report(Problem{file_name, line_number, Severity::error, reason});
    }
    return queries;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

namespace {

/// `values` after the first `count`.
std::vector<double> after(const std::vector<double>& values, std::size_t count) {
    return {values.begin() + static_cast<std::ptrdiff_t>(std::min(count, values.size())), values.end()};
}

}  // namespace

std::string format_batch_timing(const BatchTiming& timing) {
    const auto& all = timing.milliseconds;
    std::string text = fmt::format("{} quer{}", all.size(), all.size() == 1 ? "y" : "ies");
    if (timing.warm_up > 0) text += fmt::format(" ({} warm-up)", std::min(timing.warm_up, all.size()));
    text += fmt::format(" in {:.2f} s", timing.seconds);
    const auto ms = after(all, timing.warm_up);
    if (!ms.empty())
        text += fmt::format("; per query p50 {:.1f} ms, p95 {:.1f} ms, max {:.1f} ms", percentile(ms, 50),
                            percentile(ms, 95), *std::max_element(ms.begin(), ms.end()));
    const auto cpu = after(timing.cpu_milliseconds, timing.warm_up);
    if (!cpu.empty())
        text += fmt::format("; CPU p50 {:.3f} ms, p99 {:.3f} ms", percentile(cpu, 50), percentile(cpu, 99));
    return text;
}

void write_trec_run(std::ostream& out, std::string_view query_id, const SearchResult& result,
                    std::string_view run_tag) {
    for (const Hit& hit : result.hits)
        out << fmt::format("{} Q0 {} {} {:.6f} {}\n", query_id, hit.id, hit.rank, hit.score, run_tag);
}

}  // namespace revsearch
