#pragma once
// Internal: the part the two JSON-lines layouts share: one object a line, bounded in size and depth.

#include <nlohmann/json.hpp>

#include "reader_fields.hpp"
#include "revsearch/line_source.hpp"
#include "revsearch/reader.hpp"

namespace revsearch::detail {

/// Deeper than this is no review record. nlohmann's DOM and dump recurse per level, so a line of a million "["
/// must be refused before it is built; reviews nest two levels at most (McAuley's "style" object).
inline constexpr int max_json_depth = 32;

/// Parses one line into `out`; on failure returns false and sets `error` (bad JSON, too deep).
bool parse_json_line(std::string_view line, nlohmann::json& out, std::string& error);

/// Reads JSON lines; each subclass maps one object onto a Review.
class JsonLinesReader : public ReviewReader {
public:
    JsonLinesReader(std::istream& in, std::string name, ProblemSink sink, const ReaderOptions& options)
        : lines_(in, options.max_record_bytes), name_(std::move(name)), sink_(std::move(sink)),
          max_bytes_(options.max_record_bytes) {}

    bool next(Review& out) final;

protected:
    /// Maps the object; false (after problems.reject) when the record is refused.
    virtual bool convert(const nlohmann::json& object, Review& out, RecordProblems& problems) = 0;
    /// Called once when the input ends (after the last record).
    virtual void end_of_input() {}
    std::size_t line_number() const { return lines_.line_number(); }
    const std::string& name() const { return name_; }

private:
    LineSource lines_;
    std::string name_;
    ProblemSink sink_;
    std::size_t max_bytes_;
    std::string line_;
    bool ended_ = false;
};

/// The string value of `key`, or nullopt when absent or null; a number is accepted as its text. Any other type
/// gives a warning.
std::optional<std::string> json_text(const nlohmann::json& object, const char* key, RecordProblems& problems);

}  // namespace revsearch::detail
