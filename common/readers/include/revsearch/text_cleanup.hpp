#pragma once
// Text cleanup that every reader applies to the text it extracts.

#include <string>
#include <string_view>

namespace revsearch {

/// Replaces invalid UTF-8 sequences with U+FFFD; returns true when anything was replaced.
bool repair_utf8(std::string& text);

/// Decodes HTML entities: named ones (&amp; &eacute; ..., HTML 4 table from libxml2) and numeric ones
/// (&#39; &#x27;). A bare "&" or an unknown name stays as it is.
std::string decode_entities(std::string_view text);

/// HTML to plain text: <br>, <br />, <p> and </p> become line breaks, other tags are removed,
/// entities decoded. Text that merely contains "<" (e.g. "a < b") is kept.
std::string strip_html(std::string_view text);

/// White space normalised: runs of spaces/tabs collapse to one space, lines are trimmed, more than one blank
/// line between paragraphs becomes one, leading and trailing blank lines go. Paragraph breaks ("\n\n") and
/// single line breaks are kept.
std::string normalise_whitespace(std::string_view text);

/// The whole pipeline readers use: repair_utf8, strip_html (which decodes entities), normalise_whitespace.
/// `repaired` is set when invalid UTF-8 was replaced, so that the reader can report it.
std::string clean_text(std::string_view raw, bool* repaired = nullptr);

}  // namespace revsearch
