#pragma once
// Stable review ids: the same review read twice, from the same or a re-scraped batch, gets the same id.

#include <initializer_list>
#include <string>
#include <string_view>

namespace revsearch {

/// 16 lower-case hex digits of XXH3-64 over the natural key's parts (joined with a unit separator, after
/// case folding of nothing: the parts are taken as the source spells them). `kind` names the layout
/// ("imdb", "amazon", ...) so that keys of different sources never collide.
std::string review_id(std::string_view kind, std::initializer_list<std::string_view> natural_key);

/// 32 hex digits of XXH3-128 over a byte string: batch file content hashes, body hashes.
std::string content_hash(std::string_view bytes);

}  // namespace revsearch
