#pragma once
// Internal: one line instead of thousands when every record of a file lacks the key the body is read from.
// Your own JSON lines with the text under another key ("text", "review") would otherwise print one identical
// `key "body" is missing` per line and no hint. While every record so far lacks it, those rejections are held
// back (the first few in full, the rest counted); the first record that has the key, or any other problem,
// releases them in order, so a file where only some records lack it reports each as before. At the end of a
// file where every record lacked it, one line says so, names the keys the records do have, and the option
// that maps one (--json-map body=KEY).

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "revsearch/problem.hpp"

namespace revsearch::detail {

class MissingKeyFold {
public:
    /// `key`: the source key the body is read from; `mapped`: whether --json-map named it.
    MissingKeyFold(ProblemSink sink, std::string key, bool mapped);

    /// The sink the reader reports through: every problem but the held ones passes on, releasing them first.
    void report(const Problem& problem);
    /// A record at `line` lacks the key; `object` is the record (its keys make the hint).
    void missing(const std::string& file, std::size_t line, const nlohmann::json& object);
    /// A record was accepted: whatever was held is released.
    void accepted() { release(); }
    /// The input ended: what is still held was every record of the file, said in one line.
    void finish();

    /// The message of one record without the key.
    std::string missing_message() const;

private:
    void release();

    /// Held in full before they are folded into one "... and N more" line.
    static constexpr std::size_t held_in_full = 3;

    ProblemSink sink_;
    std::string key_;
    bool mapped_;
    bool releasing_ = false;  ///< something else was seen: report each record as it comes
    std::vector<Problem> held_;
    std::size_t folded_ = 0;  ///< records held beyond held_in_full
    std::size_t first_folded_line_ = 0;
    std::size_t last_line_ = 0;
    std::vector<std::string> keys_seen_;  ///< of the first record held, in its order
};

}  // namespace revsearch::detail
