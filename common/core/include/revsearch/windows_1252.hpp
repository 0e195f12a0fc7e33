#pragma once
// What the bytes 0x80-0x9F mean in Windows-1252: text written in that code page and read as Latin-1 carries them
// as the C1 control characters U+0080-U+009F (1,571 of aclImdb's 50,000 reviews hold them: dashes, quotes, ellipses).
// The WHATWG Encoding Standard's index for windows-1252 (https://encoding.spec.whatwg.org/index-windows-1252.txt),
// which HTML5 also applies to numeric references such as &#146;.

#include <array>

namespace revsearch {

/// The character Windows-1252 puts at 0x80 + i; 0 where it leaves the byte undefined (0x81, 0x8D, 0x8F, 0x90,
/// 0x9D).
inline constexpr std::array<char32_t, 32> windows_1252_c1 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

}  // namespace revsearch
