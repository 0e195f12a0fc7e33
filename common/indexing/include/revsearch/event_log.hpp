#pragma once
// What a job that publishes a generation (rebuild, compact, add --jobs) says as it goes.

#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace revsearch {

/// One line per event: "revindex rebuild: switched gen-000001 -> gen-000002", or with json a JSON object per
/// line ({"time", "command", "event", "message", ...fields}) for journald and log shippers. quiet keeps errors only.
class EventLog {
public:
    EventLog(std::string command, bool json, bool quiet, std::ostream& out, std::ostream& errors);
    void info(std::string_view event, const std::string& message, nlohmann::ordered_json fields = nlohmann::ordered_json::object());
    void error(const std::string& message, nlohmann::ordered_json fields = nlohmann::ordered_json::object());

private:
    void write(std::ostream& stream, std::string_view event, const std::string& message,
               nlohmann::ordered_json fields);
    std::string command_;
    bool json_, quiet_;
    std::ostream& out_;
    std::ostream& errors_;
};

}  // namespace revsearch
