#include "revsearch/event_log.hpp"

#include <ostream>

#include "revsearch/batch_ledger.hpp"

namespace revsearch {

EventLog::EventLog(std::string command, bool json, bool quiet, std::ostream& out, std::ostream& errors)
    : command_(std::move(command)), json_(json), quiet_(quiet), out_(out), errors_(errors) {}

void EventLog::info(std::string_view event, const std::string& message, nlohmann::ordered_json fields) {
    if (!quiet_) write(out_, event, message, std::move(fields));
}

void EventLog::error(const std::string& message, nlohmann::ordered_json fields) {
    // JSON lines stay on one stream for a log shipper; plain errors go where a terminal or cron shows them.
    write(json_ ? out_ : errors_, "error", message, std::move(fields));
}

void EventLog::write(std::ostream& stream, std::string_view event, const std::string& message,
                     nlohmann::ordered_json fields) {
    if (json_) {
        nlohmann::ordered_json line = {{"time", utc_timestamp_now()},
                                       {"command", command_},
                                       {"event", event},
                                       {"message", message}};
        for (auto& [key, value] : fields.items()) line[key] = value;
        stream << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    } else {
        stream << "revindex " << command_ << ": " << message << std::endl;
    }
}

}  // namespace revsearch
