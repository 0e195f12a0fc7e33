#pragma once
// Where the index lives: the same resolution in both tools.

#include <optional>
#include <string>

namespace revsearch {

/// --db wins, then $REVSEARCH_DB, then $XDG_DATA_HOME/revsearch/index, then ~/.local/share/revsearch/index.
std::string resolve_db_path(const std::optional<std::string>& db_flag);

}  // namespace revsearch
