#pragma once
// Text from a review or an input file as a terminal should show it, not obey it.

#include <string>
#include <string_view>

namespace revsearch {

/// Appends `text` with each control character other than tab and line break replaced: a terminal obeys them
/// (ESC starts colour changes, cursor moves and window titles; the C1 controls U+0080-U+009F include CSI, which
/// some terminals take for ESC [), so a scraped review or a line of a bad input file could repaint or rewrite
/// the screen of whoever reads it. A C1 control is shown as the Windows-1252 character of its byte, which it
/// nearly always is (text in that code page read as Latin-1: aclImdb's dashes and quotes), any other control
/// (and the five C1 bytes Windows-1252 leaves undefined) as U+FFFD. Other bytes, invalid UTF-8 included, are
/// copied as they are.
void append_for_terminal(std::string& out, std::string_view text);

/// The C1 control (U+0080-U+009F) whose UTF-8 form (0xC2, then 0x80-0x9F) starts at text[i], or 0 when none does.
char32_t c1_control_at(std::string_view text, std::size_t i);

/// `text` as append_for_terminal shows it.
std::string for_terminal(std::string_view text);

}  // namespace revsearch
