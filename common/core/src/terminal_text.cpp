#include "revsearch/terminal_text.hpp"

#include <unicode/utf8.h>  // U8_APPEND_UNSAFE: a macro, no ICU library is linked

#include "revsearch/windows_1252.hpp"

namespace revsearch {

void append_for_terminal(std::string& out, std::string_view text) {
    constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
    std::size_t copied = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const bool c0_or_delete = (byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F;
        const bool c1 = byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (!c0_or_delete && !c1) continue;
        out.append(text, copied, i - copied);
        const char32_t shown = c1 ? windows_1252_c1[static_cast<unsigned char>(text[i + 1]) - 0x80] : 0;
        if (shown == 0) {
            out += replacement;
        } else {
            char encoded[U8_MAX_LENGTH];
            std::size_t length = 0;
            U8_APPEND_UNSAFE(encoded, length, shown);
            out.append(encoded, length);
        }
        if (c1) ++i;
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
