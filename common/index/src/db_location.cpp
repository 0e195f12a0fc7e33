#include "revsearch/db_location.hpp"

#include <cstdlib>

namespace revsearch {

namespace {
std::optional<std::string> non_empty_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}
}  // namespace

std::string resolve_db_path(const std::optional<std::string>& db_flag) {
    if (db_flag && !db_flag->empty()) return *db_flag;
    if (auto env = non_empty_env("REVSEARCH_DB")) return *env;
    if (auto xdg = non_empty_env("XDG_DATA_HOME")) return *xdg + "/revsearch/index";
    if (auto home = non_empty_env("HOME")) return *home + "/.local/share/revsearch/index";
    return ".revsearch-index";
}

}  // namespace revsearch
