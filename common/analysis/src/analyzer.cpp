#include "revsearch/analyzer.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include <libstemmer.h>
#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <unicode/utypes.h>

#include "latin_ascii_table.hpp"
#include "unchanged_by_folding.hpp"

namespace revsearch {

namespace {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// "Latin-ASCII" (CLDR) maps ø→o, æ→ae, ß→ss, đ→d and strips accents from precomposed letters, keeping case;
// NFD plus mark removal alone leaves ø and æ as they are. NFC first so that a decomposed "e + U+0301" reaches
// Latin-ASCII as "é". Non-Latin scripts pass through untouched.
constexpr const char* folding_rules = "NFC; Latin-ASCII";

// A Transliterator is not thread-safe: each thread builds its own, once.
icu::Transliterator& folding_transliterator() {
    thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> created(
            icu::Transliterator::createInstance(folding_rules, UTRANS_FORWARD, status));
        if (U_FAILURE(status) || !created)
            throw std::runtime_error(std::string("ICU transliterator \"") + folding_rules +
                                     "\" unavailable: " + u_errorName(status));
        return created;
    }();
    return *transliterator;
}

/// The table's ASCII for the code point, or nullptr when the table does not know it.
const char* table_fold(char32_t code) {
    const auto* end = std::end(latin_ascii::table);
    const auto* it = std::lower_bound(std::begin(latin_ascii::table), end, code,
                                      [](const latin_ascii::Fold& entry, char32_t c) { return entry.code < c; });
    return it != end && it->code == code ? it->ascii : nullptr;
}

/// True for a code point of unchanged_by_folding.hpp: ICU's fold is the code point itself.
bool is_unchanged_by_folding(char32_t code) {
    const auto* end = std::end(unchanged_by_folding::ranges);
    const auto* it = std::lower_bound(std::begin(unchanged_by_folding::ranges), end, code,
                                      [](const unchanged_by_folding::Range& range, char32_t c) { return range.last < c; });
    return it != end && it->first <= code;
}

/// Appends `text` folded without ICU, for a text of ASCII, table code points (accented Latin letters, curly
/// quotes, dashes: most non-ASCII reviews) and code points ICU leaves unchanged (C1 controls, other scripts,
/// emoji); false for anything else, invalid UTF-8 included, which ICU folds (`out` then holds part of the text:
/// the caller cuts it back).
bool fold_from_table(std::string_view text, std::string& out) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());  // a piece between white space: far below 2 GiB
    for (std::int32_t i = 0; i < length;) {
        if (bytes[i] < 0x80) {
            out += static_cast<char>(bytes[i]);
            ++i;
            continue;
        }
        const std::int32_t start = i;
        UChar32 code = 0;
        U8_NEXT(bytes, i, length, code);  // negative for invalid UTF-8 (overlong forms, surrogates included)
        if (code < 0) return false;
        if (const char* ascii = table_fold(static_cast<char32_t>(code))) {
            out += ascii;
        } else if (is_unchanged_by_folding(static_cast<char32_t>(code))) {
            out.append(text, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
        } else {
            return false;
        }
    }
    return true;
}

std::string to_utf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

icu::UnicodeString from_utf8(std::string_view text) {
    // Invalid sequences become U+FFFD rather than an error.
    return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

/// libstemmer's Snowball stemmer behind Xapian's stemming interface, so TermGenerator and QueryParser share it.
/// One sb_stemmer per instance: it owns the buffer its result lives in.
class SnowballStemImplementation final : public Xapian::StemImplementation {
public:
    explicit SnowballStemImplementation(const std::string& language)
        : language_(language), stemmer_(sb_stemmer_new(language.c_str(), "UTF_8")) {
        if (stemmer_ == nullptr) throw std::runtime_error("libstemmer could not create a stemmer for " + language);
    }
    ~SnowballStemImplementation() override { sb_stemmer_delete(stemmer_); }
    SnowballStemImplementation(const SnowballStemImplementation&) = delete;
    SnowballStemImplementation& operator=(const SnowballStemImplementation&) = delete;

    std::string operator()(const std::string& word) override {
        const sb_symbol* stemmed = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                                   static_cast<int>(word.size()));
        if (stemmed == nullptr) return word;  // out of memory inside libstemmer: the unstemmed word is still a term
        return std::string(reinterpret_cast<const char*>(stemmed),
                           static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
    }

    std::string get_description() const override { return "snowball(" + language_ + ")"; }

private:
    std::string language_;
    sb_stemmer* stemmer_;
};

}  // namespace

std::string fold_diacritics(std::string_view text) {
    if (is_ascii(text)) return std::string(text);
    // Piece by piece between ASCII white space, each piece from the table when it can be, through ICU only when
    // it cannot: a review with one character outside the table (an emoji, a Greek letter) handed whole to the
    // transliterator was 2.5% of the samples of `revindex add` (issue 15). The output is ICU's on the whole text:
    // NFC composes nothing with ASCII white space, and Latin-ASCII's only context rule, dropping combining marks
    // after a Latin letter or digit, never looks past one (tests/unit/analyzer_test.cpp compares mixed texts with
    // ICU itself). An ASCII byte is never inside a UTF-8 sequence, valid or not, so no sequence is cut.
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t space_start = i;
        while (i < text.size() && is_ascii_space(text[i])) ++i;
        out.append(text, space_start, i - space_start);
        const std::size_t piece_start = i;
        while (i < text.size() && !is_ascii_space(text[i])) ++i;
        const std::string_view piece = text.substr(piece_start, i - piece_start);
        const std::size_t mark = out.size();
        if (fold_from_table(piece, out)) continue;
        out.resize(mark);
        icu::UnicodeString unicode = from_utf8(piece);
        folding_transliterator().transliterate(unicode);
        unicode.toUTF8String(out);
    }
    return out;
}

std::string fold_for_filter(std::string_view text) {
    std::string folded = fold_diacritics(text);
    if (is_ascii(folded)) {
        std::transform(folded.begin(), folded.end(), folded.begin(), [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        });
        return folded;
    }
    icu::UnicodeString unicode = from_utf8(folded);
    unicode.toLower(icu::Locale::getRoot());
    return to_utf8(unicode);
}

std::vector<std::string> snowball_languages() {
    std::vector<std::string> names;
    for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) names.emplace_back(*name);
    std::sort(names.begin(), names.end());
    return names;
}

Xapian::Stem make_snowball_stem(const std::string& language) {
    const auto names = snowball_languages();
    // Only the canonical names: the language is stored in the index metadata and compared as a string,
    // so "en" and "english" must not both be accepted.
    if (std::find(names.begin(), names.end(), language) == names.end()) {
        std::string valid;
        for (const auto& name : names) valid += (valid.empty() ? "" : ", ") + name;
        throw std::invalid_argument("unknown stemming language '" + language + "'; valid: " + valid);
    }
    return Xapian::Stem(new SnowballStemImplementation(language));
}

}  // namespace revsearch
