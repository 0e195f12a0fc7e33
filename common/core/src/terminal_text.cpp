#include "revsearch/terminal_text.hpp"

#include <unicode/utf8.h>  // U8_APPEND_UNSAFE: a macro, no ICU library is linked

#include "revsearch/windows_1252.hpp"

namespace revsearch {

char32_t c1_control_at(std::string_view text, std::size_t i) {
    if (i + 1 >= text.size() || text[i] != '\xC2') return 0;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    return second >= 0x80 && second <= 0x9F ? second : 0;
}

void append_for_terminal(std::string& out, std::string_view text) {
    constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
    std::size_t copied = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const bool c0_or_delete = (byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F;
        const char32_t c1 = c1_control_at(text, i);
        if (!c0_or_delete && c1 == 0) continue;
        out.append(text, copied, i - copied);
        const char32_t shown = c1 != 0 ? windows_1252_c1[c1 - 0x80] : 0;
        if (shown == 0) {
            out += replacement;
        } else {
            char encoded[U8_MAX_LENGTH];
            std::size_t length = 0;
            U8_APPEND_UNSAFE(encoded, length, shown);
            out.append(encoded, length);
        }
        if (c1 != 0) ++i;
        copied = i + 1;
    }
    out.append(text, copied, std::string_view::npos);
}

std::string for_terminal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_for_terminal(out, text);
    return out;
}

}  // namespace revsearch
