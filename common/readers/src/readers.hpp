#pragma once
// Internal: the factory of each layout's reader; make_reader (reader_factory.cpp) dispatches to them.

#include <istream>
#include <memory>
#include <string>

#include "revsearch/reader.hpp"

namespace revsearch::detail {

std::unique_ptr<ReviewReader> make_imdb_page_reader(std::istream& in, std::string name, ProblemSink sink,
                                                    const ReaderOptions& options);
std::unique_ptr<ReviewReader> make_jsonl_reader(std::istream& in, std::string name, ProblemSink sink,
                                                const ReaderOptions& options);
std::unique_ptr<ReviewReader> make_mcauley_reader(std::istream& in, std::string name, ProblemSink sink,
                                                  const ReaderOptions& options);
std::unique_ptr<ReviewReader> make_blitzer_reader(std::istream& in, std::string name, ProblemSink sink,
                                                  const ReaderOptions& options);
std::unique_ptr<ReviewReader> make_csv_reader(std::istream& in, std::string name, ProblemSink sink,
                                              const ReaderOptions& options);

}  // namespace revsearch::detail
