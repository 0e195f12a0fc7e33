// xapian_search_floor: the search floor of scripts/bench --growth (docs/scaling.md, issue 19). The least work
// Xapian can be given to answer, on our index, the query revsearch runs: the words parsed by Xapian's own
// QueryParser into the terms our index holds (STEM_ALL with the same libstemmer Snowball stemmer: every word as its
// stem, no prefix for the body, as tests/e2e and `revsearch --explain` show revsearch's query terms), BM25Weight
// with revsearch's parameters for a short query (k1 1.2, b 0.5 below five distinct words: ranking.hpp,
// for_query_length), hits collapsed on the body hash as revsearch's are (the scaled corpus lists some texts under
// several products: without it 10-25 of 200 two-word queries rank a copy revsearch shows once), get_mset(0, 10),
// and each hit's stored data read (a user needs it). One Database and one parser, made once. It uses none of the
// project's code (only Xapian and libstemmer), so what it measures is the engine.
//
// usage: xapian_search_floor [--blend] [--min-rating N] [--warm-up N] [--no-collapse] DB QUERIES
//   QUERIES   id<TAB>text lines (scripts/benchmark/growth.py's q-*.tsv; its first line is a warm-up query)
//   --blend   revsearch's default query: OP_AND_MAYBE(text, OP_SCALE_WEIGHT(ValueWeightPostingSource(prior slot),
//             ceiling x prior step)), the ceiling being the text query's BM25 bound as bm25_ceiling.hpp computes it
//   --min-rating N   OP_FILTER on the rating as shown (slot 9) >= N, as revsearch --min-rating N
//   --no-collapse    every copy of a text, as revsearch --no-collapse (the collapse's own cost)
// Output as `revsearch --queries`: a TREC run on stdout (review ids from the unique id term, looked up after the
// query's clock stopped), and one line on stderr with the percentiles of each query's wall and CPU time (the
// searching thread's), in revsearch's words, which scripts/benchmark/run.py reads.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "snowball_stem.hpp"

namespace {

// The layout of our index (common/schema/include/revsearch/schema.hpp), written out here so that the floor links
// none of our code.
constexpr Xapian::valueno rating_shown_slot = 9;  // the rating as the review shows it
constexpr Xapian::valueno body_hash_slot = 7;     // the collapse key
constexpr Xapian::valueno prior_slot = 11;        // the default weights' prior, in whole steps
// signal_prior.hpp: (0.075 + 0.015) / 4095, the size of one step of the prior slot, per unit of the ceiling.
constexpr double prior_step = (0.075 + 0.015) / 4095;
// ranking.hpp: k1 1.2; b 0.5 for a query of fewer than five distinct words (long_query_terms), 0.75 otherwise;
// Xapian's defaults for the rest.
constexpr double k1 = 1.2, k2 = 0, k3 = 1, min_normlen = 0.5;
constexpr double short_b = 0.5, long_b = 0.75;
constexpr unsigned long_query_terms = 5;

struct Options {
    bool blend = false;
    bool collapse = true;
    double min_rating = -1;
    std::size_t warm_up = 0;
    std::string db, queries;
};

struct Query {
    std::string id, text;
};

double thread_cpu_ms() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// revsearch's percentile (searcher/print/src/batch_queries.cpp): the value at rank ceil(p% of n).
double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// The BM25 ceiling of a query of term leaves (each wqf 1, as the QueryParser makes them): the sum over its terms
// of BM25Weight's term weight as the wdf grows without bound, Xapian 1.4's idf (weight/bm25weight.cc), as
// revsearch's bm25_ceiling.cpp computes it. Terms in the query's order, each occurrence counted.
double bm25_ceiling(const Xapian::Database& db, const Xapian::Query& query) {
    const double n = db.get_doccount();
    double sum = 0;
    for (auto it = query.get_terms_begin(); it != query.get_terms_end(); ++it) {
        const double f = db.get_termfreq(*it);
        if (f == 0 || n == 0) continue;
        double ratio = (n - f + 0.5) / (f + 0.5);
        if (ratio < 2) ratio = ratio * 0.5 + 1;
        sum += std::log(ratio) * (k1 + 1);  // times (k3 + 1) wqf / (k3 + wqf), which is 1 for wqf 1
    }
    return sum;
}

std::string id_of(const Xapian::Document& document) {
    auto terms = document.termlist_begin();
    terms.skip_to("Q");
    if (terms != document.termlist_end() && (*terms).rfind('Q', 0) == 0) return (*terms).substr(1);
    return {};
}

int run(const Options& options) {
    std::vector<Query> queries;
    {
        std::ifstream in(options.queries);
        if (!in) {
            std::cerr << "xapian_search_floor: cannot read " << options.queries << '\n';
            return 2;
        }
        for (std::string line; std::getline(in, line);) {
            const auto tab = line.find('\t');
            if (tab != std::string::npos && tab > 0) queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
        }
    }
    Xapian::Database db(options.db);
    Xapian::QueryParser parser;
    parser.set_stemmer(Xapian::Stem(new Snowball));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
    parser.set_default_op(Xapian::Query::OP_OR);
    const Xapian::Query rating_filter(Xapian::Query::OP_VALUE_GE, rating_shown_slot,
                                      Xapian::sortable_serialise(options.min_rating));

    std::vector<double> wall_ms, cpu_ms;
    std::size_t data_bytes = 0;  // what the hits' data add up to, printed so that reading it is not optimised away
    const auto batch_started = std::chrono::steady_clock::now();
    for (const auto& query : queries) {
        const auto started = std::chrono::steady_clock::now();
        const double cpu_started = thread_cpu_ms();

        Xapian::Query text = parser.parse_query(query.text, Xapian::QueryParser::FLAG_DEFAULT);
        const std::set<std::string> distinct(text.get_unique_terms_begin(), text.get_unique_terms_end());
        const double b = distinct.size() < long_query_terms ? short_b : long_b;
        Xapian::Query full = text;
        if (options.blend) {
            const double ceiling = bm25_ceiling(db, text);
            const double factor = (ceiling > 0 ? ceiling : 1.0) * prior_step;
            Xapian::Query prior((new Xapian::ValueWeightPostingSource(prior_slot))->release());
            full = Xapian::Query(Xapian::Query::OP_AND_MAYBE, text,
                                 Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, prior, factor));
        }
        if (options.min_rating >= 0) full = Xapian::Query(Xapian::Query::OP_FILTER, full, rating_filter);
        Xapian::Enquire enquire(db);
        enquire.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        enquire.set_query(full);
        if (options.collapse) enquire.set_collapse_key(body_hash_slot);
        const Xapian::MSet mset = enquire.get_mset(0, 10);
        std::vector<Xapian::Document> documents;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            documents.push_back(it.get_document());
            data_bytes += documents.back().get_data().size();
        }

        cpu_ms.push_back(thread_cpu_ms() - cpu_started);
        wall_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
        Xapian::doccount rank = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it, ++rank)
            std::printf("%s Q0 %s %u %.6f floor\n", query.id.c_str(), id_of(documents[rank]).c_str(), rank + 1,
                        it.get_weight());
        std::fflush(stdout);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - batch_started).count();
    const std::size_t skip = std::min(options.warm_up, wall_ms.size());
    const std::vector<double> wall(wall_ms.begin() + static_cast<std::ptrdiff_t>(skip), wall_ms.end());
    const std::vector<double> cpu(cpu_ms.begin() + static_cast<std::ptrdiff_t>(skip), cpu_ms.end());
    std::fprintf(stderr, "xapian_search_floor: %zu queries (%zu warm-up) in %.2f s", wall_ms.size(), skip, seconds);
    if (!wall.empty())
        std::fprintf(stderr, "; per query p50 %.1f ms, p95 %.1f ms, max %.1f ms; CPU p50 %.3f ms, p99 %.3f ms",
                     percentile(wall, 50), percentile(wall, 95), *std::max_element(wall.begin(), wall.end()),
                     percentile(cpu, 50), percentile(cpu, 99));
    std::fprintf(stderr, "; %zu bytes of hit data\n", data_bytes);
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    Options options;
    std::vector<std::string> paths;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--blend") {
                options.blend = true;
            } else if (arg == "--no-collapse") {
                options.collapse = false;
            } else if (arg == "--min-rating" && i + 1 < argc) {
                options.min_rating = std::stod(argv[++i]);
            } else if (arg == "--warm-up" && i + 1 < argc) {
                options.warm_up = std::stoul(argv[++i]);
            } else if (arg.rfind("--", 0) == 0) {
                paths.clear();
                break;
            } else {
                paths.push_back(arg);
            }
        }
    } catch (const std::exception&) {
        paths.clear();
    }
    if (paths.size() != 2) {
        std::cerr << "usage: xapian_search_floor [--blend] [--min-rating N] [--warm-up N] [--no-collapse] DB QUERIES\n";
        return 2;
    }
    options.db = paths[0];
    options.queries = paths[1];
    try {
        return run(options);
    } catch (const Xapian::Error& error) {
        std::cerr << "xapian_search_floor: " << error.get_description() << '\n';
    } catch (const std::exception& error) {
        std::cerr << "xapian_search_floor: " << error.what() << '\n';
    }
    return 2;
}
