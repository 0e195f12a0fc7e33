// libFuzzer target: query parsing and search over a small real index (the 25 reviews of the bundled IMDb page,
// indexed once per process into a temp directory by the production IndexWriter).
// Input: first byte = options (match mode, sort order, facets, spelling hint); then the query string up to the
// first '\n'; the next two lines, when present, are the --since and --until filter values.
// Checked: Searcher::search and both printers never crash, and throw nothing but std::invalid_argument
// (a bad filter value, search.hpp); revsearch turns that into exit 2.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <unistd.h>

#include "revsearch/index_writer.hpp"
#include "revsearch/output.hpp"
#include "revsearch/search.hpp"

namespace {

namespace fs = std::filesystem;

std::string build_index() {
    const fs::path path = fs::temp_directory_path() / ("revsearch-fuzz-query-" + std::to_string(::getpid()));
    fs::remove_all(path);
    Xapian::WritableDatabase db = revsearch::open_index_for_writing(path.string(), std::chrono::seconds(5));
    const std::string language = revsearch::settle_index_language(db, std::nullopt);
    revsearch::IndexWriter writer(db, language);
    revsearch::BatchOptions options;
    options.format = revsearch::Format::imdb;
    auto outcome = writer.add_batch(REVSEARCH_SAMPLE_PAGE, options, {});
    if (outcome.added < 20) throw std::runtime_error("fuzz_query: the sample page gave too few reviews");
    db.close();
    return path.string();
}

struct Index {
    std::string path = build_index();
    revsearch::Searcher searcher{path};
    ~Index() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

Index& index() {
    static Index instance;
    return instance;
}

std::string_view next_line(std::string_view& rest) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    return line;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    index();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t flags = data[0];
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

    revsearch::SearchRequest request;
    request.query = std::string(next_line(rest));
    request.match = (flags & 1) ? revsearch::MatchMode::all : revsearch::MatchMode::any;
    request.sort = static_cast<revsearch::SortOrder>((flags >> 1) & 3);
    request.facets = (flags & 8) != 0;
    request.suggest = (flags & 16) != 0;
    request.limit = (flags & 32) ? 3 : 10;
    if (!rest.empty()) request.filters.since = std::string(next_line(rest));
    if (!rest.empty()) request.filters.until = std::string(next_line(rest));

    revsearch::SearchResult result;
    try {
        result = index().searcher.search(request);
    } catch (const revsearch::QueryError&) {
        return 0;  // a query or filter the user must change (an unknown field, a bad date): revsearch exits 2
    } catch (const std::invalid_argument&) {
        return 0;  // a bad --since/--until value: revsearch reports it and exits 2
    }
    std::ostringstream out;
    revsearch::write_text(out, result, revsearch::TextStyle{(flags & 64) != 0, (flags & 128) != 0});
    revsearch::write_json_lines(out, request, result);
    return 0;
}
