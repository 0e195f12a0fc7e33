#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include "latin_ascii_table.hpp"
#include "revsearch/analyzer.hpp"
#include "unchanged_by_folding.hpp"
#include "revsearch/schema.hpp"

using revsearch::fold_diacritics;
using revsearch::fold_for_filter;
using revsearch::make_snowball_stem;

TEST_CASE("fold_diacritics maps Latin letters to ASCII and keeps case") {
    struct Row {
        std::string input;
        std::string expected;
    };
    const Row rows[] = {
        {"Sørensen", "Sorensen"},         // ø: not a decomposable accent, NFD alone keeps it
        {"Drasbæk", "Drasbaek"},          // æ: a ligature, becomes two letters
        {"Mikkelsen", "Mikkelsen"},       // ASCII: untouched
        {"café", "cafe"},                 // precomposed é
        {"cafe\xCC\x81", "cafe"},         // e + U+0301 COMBINING ACUTE ACCENT
        {"ÆRØ Ærø", "AERO AEro"},         // case kept
        {"Straße", "Strasse"},
        {"Đorđe Zoë naïve Ångström", "Dorde Zoe naive Angstrom"},
        {"Pusher AND Sørensen", "Pusher AND Sorensen"},  // query operators survive
        {"", ""},
        {"Тонни", "Тонни"},               // other scripts pass through
    };
    for (const auto& row : rows) {
        CAPTURE(row.input);
        CHECK(fold_diacritics(row.input) == row.expected);
    }
}

namespace {

/// ICU's own "NFC; Latin-ASCII" over the whole text: the reference fold_diacritics must equal byte for byte.
std::string icu_reference_fold(const std::string& text) {
    static const std::unique_ptr<icu::Transliterator> icu_fold = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> created(
            icu::Transliterator::createInstance("NFC; Latin-ASCII", UTRANS_FORWARD, status));
        if (U_FAILURE(status) || !created) throw std::runtime_error("no ICU transliterator");
        return created;
    }();
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
    icu_fold->transliterate(unicode);
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

}  // namespace

TEST_CASE("fold_diacritics folds without ICU exactly as ICU folds") {
    // fold_diacritics answers texts of ASCII and latin_ascii_table.hpp code points from the table; ICU's own
    // "NFC; Latin-ASCII" is the reference for every code point of the table's ranges, whether the table holds it or
    // not: alone, between neighbours of each kind, and in every pair (Latin-ASCII has context rules).
    const auto reference = [](const std::string& text) { return icu_reference_fold(text); };
    const auto utf8 = [](char32_t code) {
        std::string out;
        icu::UnicodeString(static_cast<UChar32>(code)).toUTF8String(out);
        return out;
    };
    std::vector<std::string> chars;
    for (char32_t code = 0xA0; code < 0x250; ++code) chars.push_back(utf8(code));
    for (char32_t code = 0x2000; code < 0x2070; ++code) chars.push_back(utf8(code));
    CHECK(std::size(revsearch::latin_ascii::table) > 300);
    std::size_t mismatches = 0;
    const auto check = [&](const std::string& text) {
        if (fold_diacritics(text) == reference(text)) return;
        if (++mismatches <= 10) FAIL_CHECK("fold_diacritics differs from ICU for \"" << text << '"');
    };
    for (const auto& c : chars)
        for (const char* context : {"", "a", "A", "é", "É", "1", " ", "."}) {
            check(context + c);
            check(c + context);
        }
    for (const auto& a : chars)
        for (const auto& b : chars) check(a + b);
    CHECK(mismatches == 0);
}

TEST_CASE("unchanged_by_folding.hpp holds exactly the code points ICU leaves alone in the blocks it covers") {
    // Derived from ICU again: a code point belongs when NFC keeps it alone and it never combines with the one before
    // it (Normalizer2::hasBoundaryBefore), and "NFC; Latin-ASCII" keeps it alone and beside ASCII letters, digits, a
    // space, punctuation and an accented letter. The blocks: C1 controls, Latin-1 Supplement to Latin Extended-B
    // (the signs the Latin table leaves out: £, °, ´), Greek to Cyrillic, Hebrew and Arabic, Thai, general
    // punctuation to miscellaneous symbols, CJK punctuation and kana, CJK ideographs, Hangul syllables, private use,
    // half- and full-width forms and specials, emoji and pictographs.
    struct Block {
        char32_t first, last;
    };
    const Block blocks[] = {{0x80, 0x9F},     {0xA0, 0x24F},    {0x370, 0x52F},   {0x590, 0x6FF},
                            {0xE00, 0xE7F},   {0x2000, 0x2BFF}, {0x3000, 0x30FF}, {0x4E00, 0x9FFF},
                            {0xAC00, 0xD7A3}, {0xE000, 0xF8FF}, {0xFF00, 0xFFFD}, {0x1F000, 0x1FAFF}};
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    REQUIRE(U_SUCCESS(status));
    const auto utf8 = [](const icu::UnicodeString& text) {
        std::string out;
        text.toUTF8String(out);
        return out;
    };
    const auto unchanged = [&](char32_t code) {
        const icu::UnicodeString alone(static_cast<UChar32>(code));
        const bool assigned = u_isdefined(static_cast<UChar32>(code)) || (code >= 0x80 && code <= 0x9F);
        if (!assigned || !nfc->isNormalized(alone, status) || !nfc->hasBoundaryBefore(static_cast<UChar32>(code)))
            return false;
        const std::string c = utf8(alone);
        if (icu_reference_fold(c) != c) return false;
        for (const std::string context : {"a", "A", "1", " ", ".", "é"})
            if (icu_reference_fold(context + c) != icu_reference_fold(context) + c ||
                icu_reference_fold(c + context) != c + icu_reference_fold(context))
                return false;
        return true;
    };
    std::vector<revsearch::unchanged_by_folding::Range> derived;
    for (const Block& block : blocks)
        for (char32_t code = block.first; code <= block.last; ++code) {
            if (!unchanged(code)) continue;
            if (!derived.empty() && derived.back().last + 1 == code)
                derived.back().last = code;
            else
                derived.push_back({code, code});
        }
    // Every code point of the table must be one ICU leaves alone: that is what makes the fold correct. A newer
    // ICU may leave more alone (Unicode adds emoji next to these ranges); those only go through ICU, so they are
    // reported, not failed: regenerate the table from `derived` when they matter.
    const auto& table = revsearch::unchanged_by_folding::ranges;
    const auto derived_has = [&](char32_t code) {
        return std::any_of(derived.begin(), derived.end(), [&](const auto& r) { return r.first <= code && code <= r.last; });
    };
    std::size_t listed = 0, wrong = 0;
    for (const auto& range : table)
        for (char32_t code = range.first; code <= range.last; ++code, ++listed)
            if (!derived_has(code) && ++wrong <= 10) FAIL_CHECK("U+" << std::hex << unsigned(code) << " is changed by ICU");
    CHECK(wrong == 0);
    std::size_t derived_count = 0;
    for (const auto& range : derived) derived_count += range.last - range.first + 1;
    if (derived_count != listed)
        MESSAGE("this ICU leaves " << derived_count - listed << " more code points alone than the table lists");
    // The table's ranges and the Latin table's code points never overlap, and the ranges are sorted.
    for (std::size_t i = 1; i < std::size(table); ++i) CHECK(table[i - 1].last < table[i].first);
    for (const auto& fold : revsearch::latin_ascii::table)
        for (const auto& range : table) CHECK_FALSE((range.first <= fold.code && fold.code <= range.last));
}

TEST_CASE("fold_diacritics folds texts of unchanged code points beside table ones as ICU folds them") {
    // Pairs of a sample of each range (its first, middle and last code point) with each other and with every
    // Latin table code point, both orders: what NFC or Latin-ASCII could do across two neighbours.
    std::vector<std::string> unchanged;
    const auto utf8 = [](char32_t code) {
        std::string out;
        icu::UnicodeString(static_cast<UChar32>(code)).toUTF8String(out);
        return out;
    };
    for (const auto& range : revsearch::unchanged_by_folding::ranges)
        for (const char32_t code : {range.first, char32_t(range.first + (range.last - range.first) / 2), range.last})
            unchanged.push_back(utf8(code));
    std::vector<std::string> latin;
    for (const auto& fold : revsearch::latin_ascii::table) latin.push_back(utf8(fold.code));
    std::size_t mismatches = 0;
    const auto check = [&](const std::string& text) {
        if (fold_diacritics(text) == icu_reference_fold(text)) return;
        if (++mismatches <= 10) FAIL_CHECK("fold_diacritics differs from ICU for \"" << text << '"');
    };
    for (const auto& a : unchanged) {
        for (const auto& b : unchanged) check(a + b);
        for (const auto& b : latin) {
            check(a + b);
            check(b + a);
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("fold_diacritics hands ICU only the pieces it needs and folds as ICU folds the whole text") {
    // A text with a character outside the table is folded piece by piece between ASCII white space, ICU only for
    // the pieces that need it (issue 15): the output must be ICU's on the whole text. Pieces of each kind, in every
    // ordered pair and with every separator: a combining mark after a Latin letter, a digit, a space or another
    // script (Latin-ASCII drops it only after a Latin letter or digit), other scripts, a decomposed letter, the C1
    // controls and marks aclImdb's reviews carry, emoji, invalid UTF-8, table characters beside non-table ones.
    const std::vector<std::string> pieces = {
        "plain",
        "café",
        "cafe\xCC\x81",             // e + U+0301
        "\xCC\x81tail",             // a combining mark first: after white space, ICU keeps it
        "9\xCC\x81",                // a digit, then a combining mark: dropped
        "Тонни\xCC\x81",            // Cyrillic, then a combining mark: kept
        "ÆRØ",
        "Ærø",
        "ǅemal",                     // U+01C5, a titlecase digraph
        "ẞa",                        // U+1E9E, outside the table's ranges
        "film\xC2\x96" "ending",     // U+0096, a C1 control (cp1252's dash read as Latin-1)
        "\xC2\x85",                 // U+0085 alone
        "don\xC2\xB4t",             // U+00B4 ACUTE ACCENT: spacing, outside the table
        "\xC2\xA3""5",              // £5
        "東京",
        "ok\xF0\x9F\x98\x80",     // an emoji
        "bad\xC3",                   // invalid UTF-8: a lead byte alone
        "\xFF\xFE",                 // invalid bytes
        "“quoted”—dash",
        "Ωmega",
        "Ελληνικά",                  // Greek with a precomposed accent (U+03AC)
        "שלום",                       // Hebrew
        "مرحبا",                      // Arabic
        "한국어",                      // Hangul syllables
        "ｆｕｌｌ",                    // full-width letters: NFC keeps them
        "\xE2\x9D\xA4\xEF\xB8\x8F",   // U+2764 U+FE0F: a variation selector, which ICU drops after a letter
        "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",  // an emoji, a zero-width joiner, an emoji
        "\xEF\xBF\xBD",             // U+FFFD
        "\xED\xA0\x80x",            // a UTF-16 surrogate encoded in UTF-8: invalid
        "\xF0\x80\x80\x80",         // an overlong four-byte form: invalid
        "\xF4\x90\x80\x80",         // past U+10FFFF: invalid
        "\xE3\x81\x8B\xE3\x82\x99",   // U+304B U+3099: kana and a combining voiced mark, composed by NFC
        "",
    };
    const std::vector<std::string> separators = {" ", "  ", "\t", "\n", "\r\n", " \f\v "};
    std::size_t mismatches = 0;
    const auto check = [&](const std::string& text) {
        if (fold_diacritics(text) == icu_reference_fold(text)) return;
        if (++mismatches <= 10) FAIL_CHECK("fold_diacritics differs from ICU for \"" << text << '"');
    };
    for (const auto& a : pieces)
        for (const auto& b : pieces)
            for (const auto& separator : separators) {
                check(a + separator + b);
                check(separator + a + separator + b + separator);
                check(a + b + separator + "ÆRØ naïve" + separator + a);
            }
    CHECK(mismatches == 0);
    // Rows with their expected output, for a reader of this file.
    CHECK(fold_diacritics("Sørensen 東京 café") == "Sorensen 東京 cafe");
    CHECK(fold_diacritics("naïve \xCC\x81x 9\xCC\x81 Ærø") == "naive \xCC\x81x 9 AEro");
    CHECK(fold_diacritics("end\xC2\x96 Straße\n") == icu_reference_fold("end\xC2\x96 Straße\n"));
}

TEST_CASE("fold_diacritics never throws on invalid UTF-8") {
    const std::string bad = "caf\xC3 \xFF S\xC3\xB8rensen";
    std::string folded;
    CHECK_NOTHROW(folded = fold_diacritics(bad));
    CHECK(folded.find("Sorensen") != std::string::npos);
}

TEST_CASE("fold_for_filter folds and lower-cases") {
    struct Row {
        std::string input;
        std::string expected;
    };
    const Row rows[] = {
        {"UlrikSander", "ulriksander"},
        {"Anne Sørensen", "anne sorensen"},
        {"ÉMILE", "emile"},
        {"PAolo-10", "paolo-10"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.input);
        CHECK(fold_for_filter(row.input) == row.expected);
    }
}

TEST_CASE("snowball stemmer: English by default, other languages on request") {
    struct Row {
        std::string language;
        std::string word;
        std::string expected;
    };
    const Row rows[] = {
        {"english", "reviews", "review"},
        {"english", "generously", "generous"},  // Snowball, not the original Porter ("gener")
        {"english", "dying", "die"},
        {"english", "running", "run"},
        {"english", "mikkelsen", "mikkelsen"},
        {"danish", "filmene", "film"},
        {"german", "häuser", "haus"},
        {"french", "continuellement", "continuel"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.language);
        CAPTURE(row.word);
        Xapian::Stem stem = make_snowball_stem(row.language);
        CHECK(stem(row.word) == row.expected);
    }
    CHECK(std::string(revsearch::default_language) == "english");
}

TEST_CASE("snowball stemmer agrees with Xapian's built-in English stemmer") {
    Xapian::Stem ours = make_snowball_stem("english");
    Xapian::Stem builtin("english");
    for (const char* word : {"helpful", "helpfulness", "gangsters", "respected", "brutally", "authenticity",
                             "synthesizer", "trilogy", "criminals", "pusher"}) {
        CAPTURE(word);
        CHECK(ours(word) == builtin(word));
    }
    CHECK(ours.get_description().find("english") != std::string::npos);
}

TEST_CASE("unknown stemming language is refused with the valid names") {
    CHECK_THROWS_AS(make_snowball_stem("klingon"), std::invalid_argument);
    try {
        make_snowball_stem("klingon");
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        CHECK(message.find("klingon") != std::string::npos);
        CHECK(message.find("english") != std::string::npos);
        CHECK(message.find("danish") != std::string::npos);
    }
    const auto languages = revsearch::snowball_languages();
    CHECK(languages.size() >= 20);
}

TEST_CASE("tokenizing folded text: TermGenerator with our stemmer gives the expected terms") {
    struct Row {
        const char* text;
        std::vector<std::string> expected;  // a subset of the terms the document must have
    };
    const std::vector<Row> rows = {
        {"Anne Sørensen", {"ann", "sorensen"}},
        {"Laura Drasbæk", {"laura", "drasbaek"}},
        {"Mads Mikkelsen's reviews", {"mad", "mikkelsen", "review"}},  // stems only (schema::index_stemming)
        {"Café au lait", {"cafe", "au", "lait"}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text);
        Xapian::TermGenerator generator;
        generator.set_stemmer(make_snowball_stem("english"));
        generator.set_stemming_strategy(revsearch::schema::index_stemming);
        Xapian::Document doc;
        generator.set_document(doc);
        generator.index_text(fold_diacritics(row.text));
        std::vector<std::string> terms(doc.termlist_begin(), doc.termlist_end());
        for (const auto& term : row.expected) {
            CAPTURE(term);
            CHECK(std::find(terms.begin(), terms.end(), term) != terms.end());
        }
        CHECK(terms.size() == row.expected.size());
    }
}
