#pragma once
// Test helpers for the search tests: real reviews from the bundled IMDb page, small indexes in temp dirs built
// with the production DocumentBuilder, and searches returning authors (readable) rather than hash ids.

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <xapian.h>

#include "revsearch/batch_input.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/schema.hpp"
#include "revsearch/search.hpp"

namespace search_fixture {

using revsearch::Review;

/// The 25 reviews of corpora/pusher-ii-2004.txt, read by the IMDb page reader.
inline const std::vector<Review>& pusher_reviews() {
    static const std::vector<Review> reviews = [] {
        std::vector<Review> read;
        revsearch::read_input(std::string(REVSEARCH_CORPORA) + "/pusher-ii-2004.txt", revsearch::Format::imdb, {},
                              [](const revsearch::Problem&) {}, [&](Review&& review) { read.push_back(std::move(review)); });
        if (read.size() < 20) throw std::runtime_error("the IMDb reader found too few reviews in the sample page");
        return read;
    }();
    return reviews;
}

inline Review by_author(const std::string& author) {
    for (const auto& review : pusher_reviews())
        if (review.author == author) return review;
    throw std::runtime_error("no review by " + author + " in the sample page");
}

/// A fresh index in its own temp directory, removed at the end of the test.
class TempIndex {
public:
    explicit TempIndex(const std::vector<Review>& reviews) {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("revsearch-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        Xapian::WritableDatabase database(path_.string(), Xapian::DB_CREATE_OR_OVERWRITE);
        revsearch::DocumentBuilder builder("english", &database);
        for (const auto& review : reviews)
            database.replace_document(revsearch::DocumentBuilder::id_term(review.id), builder.build(review));
        database.set_metadata(std::string(revsearch::schema::meta_language), "english");
        database.set_metadata(std::string(revsearch::schema::meta_schema_version),
                              std::to_string(revsearch::schema::version));
        database.commit();
    }
    ~TempIndex() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempIndex(const TempIndex&) = delete;
    TempIndex& operator=(const TempIndex&) = delete;

    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

/// The index of the whole sample page, built once for all tests.
inline const TempIndex& pusher_index() {
    static const TempIndex index(pusher_reviews());
    return index;
}

inline std::string author_of(const revsearch::Hit& hit) {
    const auto& author = hit.review.at("author");
    return author.is_string() ? author.get<std::string>() : std::string();
}

/// Authors of the hits in rank order.
inline std::vector<std::string> ranked_authors(const revsearch::SearchResult& result) {
    std::vector<std::string> authors;
    for (const auto& hit : result.hits) authors.push_back(author_of(hit));
    return authors;
}

inline std::set<std::string> author_set(const revsearch::SearchResult& result) {
    auto authors = ranked_authors(result);
    return {authors.begin(), authors.end()};
}

inline revsearch::SearchRequest request_for(const std::string& query, Xapian::doccount limit = 100) {
    revsearch::SearchRequest request;
    request.query = query;
    request.limit = limit;
    return request;
}

/// Authors of the sample reviews for which `keep` holds: the oracle filter tests compare against.
template <typename Predicate>
std::set<std::string> authors_where(Predicate keep) {
    std::set<std::string> authors;
    for (const auto& review : pusher_reviews())
        if (keep(review)) authors.insert(review.author.value_or(""));
    return authors;
}

}  // namespace search_fixture
