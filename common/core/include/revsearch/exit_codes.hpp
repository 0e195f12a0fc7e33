#pragma once
// Exit codes of both tools (documented in --help and README). grep's convention: 0 found, 1 not found, 2 error.
// An error's code comes from its kind, in one place: exit_code_of (error.hpp).

namespace revsearch::exit_code {

inline constexpr int ok = 0;
inline constexpr int no_match = 1;   ///< revsearch: nothing matched. revindex: --strict refused a batch, or no
                                     ///< record could be read at all.
inline constexpr int error = 2;      ///< bad option, missing or unreadable index, I/O error
inline constexpr int locked = 3;     ///< revindex: another revindex held the index past --lock-timeout

}  // namespace revsearch::exit_code
