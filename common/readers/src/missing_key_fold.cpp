#include "missing_key_fold.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace revsearch::detail {

namespace {

/// The keys a hint lists at most: records of exported tables can have dozens.
constexpr std::size_t keys_listed = 8;

}  // namespace

MissingKeyFold::MissingKeyFold(ProblemSink sink, std::string key, bool mapped)
    : sink_(std::move(sink)), key_(std::move(key)), mapped_(mapped) {}

std::string MissingKeyFold::missing_message() const {
    return mapped_ ? fmt::format("key \"{}\" is missing (--json-map maps it to body)", key_)
                   : fmt::format("key \"{}\" is missing", key_);
}

void MissingKeyFold::report(const Problem& problem) {
    release();
    if (sink_) sink_(problem);
}

void MissingKeyFold::missing(const std::string& file, std::size_t line, const nlohmann::json& object) {
    Problem problem{file, line, Severity::error, missing_message()};
    if (releasing_) {
        if (sink_) sink_(problem);
        return;
    }
    if (held_.empty() && object.is_object()) {
        for (auto it = object.begin(); it != object.end(); ++it) keys_seen_.push_back(it.key());
    }
    last_line_ = line;
    if (held_.size() < held_in_full) {
        held_.push_back(std::move(problem));
    } else if (folded_++ == 0) {
        first_folded_line_ = line;
    }
}

void MissingKeyFold::release() {
    if (releasing_) return;
    releasing_ = true;
    if (!sink_) return;
    for (const auto& problem : held_) sink_(problem);
    if (folded_ > 0) {
        // The records between were all rejected for the same reason: nothing else was seen meanwhile.
        sink_(Problem{held_.back().file, first_folded_line_, Severity::error,
                      folded_ == 1 ? missing_message()
                                   : fmt::format("{}, here and in the {} records after this one, up to line {}",
                                                 missing_message(), folded_ - 1, last_line_),
                      folded_});
    }
    held_.clear();
    folded_ = 0;
}

void MissingKeyFold::finish() {
    if (releasing_ || held_.empty()) return;
    releasing_ = true;
    const std::size_t records = held_.size() + folded_;
    std::vector<std::string> quoted;
    for (std::size_t i = 0; i < keys_seen_.size() && i < keys_listed; ++i) quoted.push_back('"' + keys_seen_[i] + '"');
    if (keys_seen_.size() > keys_listed) quoted.push_back(fmt::format("and {} more", keys_seen_.size() - keys_listed));
    const std::string has = quoted.empty() ? "no keys" : fmt::format("the keys {}", fmt::join(quoted, ", "));
    const std::string hint = "name the body's key with --json-map body=KEY (docs/formats.md)";
    if (sink_)
        sink_(Problem{held_.front().file, held_.front().line, Severity::error,
                      fmt::format("key \"{}\" is missing in every record ({} record{}, all rejected); the first has {}: "
                                  "{}",
                                  key_, records, records == 1 ? "" : "s", has, hint),
                      records});
    held_.clear();
    folded_ = 0;
}

}  // namespace revsearch::detail
