// The schema's term classification and value encodings: what a term of the index is, and the date slot's values.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "revsearch/schema.hpp"

namespace schema = revsearch::schema;
using schema::TermKind;

TEST_CASE("schema: a term's kind, field prefix and text") {
    struct Row {
        const char* term;
        TermKind kind;
        const char* prefix;
        const char* text;
    };
    const Row rows[] = {
        {"heroin", TermKind::stem, "", "heroin"},
        {"movi", TermKind::stem, "", "movi"},  // the stem of "movie" and "movies": a body stem
        {"2005", TermKind::stem, "", "2005"},
        {"\xd0\xba\xd0\xbe\xd1\x82", TermKind::stem, "", "\xd0\xba\xd0\xbe\xd1\x82"},  // кот: not Latin, not folded
        {"", TermKind::stem, "", ""},
        {"Sdrug", TermKind::field_stem, "S", "drug"},
        {"Arefn", TermKind::field_stem, "A", "refn"},
        {"XTpusher", TermKind::field_stem, "XT", "pusher"},
        {"XT", TermKind::field_stem, "XT", ""},
        {"Q0123456789abcdef", TermKind::filter, "", "Q0123456789abcdef"},
        {"XItt0385887", TermKind::filter, "", "XItt0385887"},
        {"XAnicolas winding refn", TermKind::filter, "", "XAnicolas winding refn"},
        {"XF0123", TermKind::filter, "", "XF0123"},
        {"XSPOILER", TermKind::filter, "", "XSPOILER"},
        {"Zheroin", TermKind::filter, "", "Zheroin"},  // schema version 1's stems: no longer written
    };
    for (const Row& row : rows) {
        const std::string term = row.term;
        CAPTURE(term);
        const schema::TermParts parts = schema::classify_term(term);
        CHECK(parts.kind == row.kind);
        CHECK(parts.prefix == row.prefix);
        CHECK(parts.text == row.text);
    }
}

TEST_CASE("schema: free text by kind") {
    CHECK(schema::is_free_text(TermKind::stem));
    CHECK(schema::is_free_text(TermKind::field_stem));
    CHECK_FALSE(schema::is_free_text(TermKind::filter));
}

TEST_CASE("schema: the terms the schema builds classify as what they are") {
    CHECK(schema::classify_term(schema::boolean_term(schema::id_prefix, "abc")).kind == TermKind::filter);
    CHECK(schema::classify_term(schema::boolean_term(schema::item_id_prefix, "tt1")).kind == TermKind::filter);
    CHECK(schema::classify_term(schema::boolean_term(schema::author_filter_prefix, "a b")).kind == TermKind::filter);
    CHECK(schema::classify_term(schema::source_term("/tmp/batch.txt")).kind == TermKind::filter);
    CHECK(schema::classify_term(schema::spoiler_term).kind == TermKind::filter);
    for (std::string_view prefix : {schema::headline_prefix, schema::author_prefix, schema::item_prefix}) {
        CAPTURE(prefix);
        CHECK(schema::classify_term(std::string(prefix) + "word").prefix == prefix);
        CHECK(schema::classify_term(std::string(prefix) + "word").kind == TermKind::field_stem);
    }
}

TEST_CASE("schema: the date slot's value of an ISO date") {
    struct Row {
        const char* iso;
        const char* value;
    };
    const Row rows[] = {
        {"2009-02-08", "20090208"}, {"1999-12-31", "19991231"}, {"2009-2-8", ""},   {"2009/02/08", ""},
        {"20090208", ""},           {"2009-02-0x", ""},         {"", ""},           {"2009-02-08T10:00", ""},
    };
    for (const Row& row : rows) {
        const std::string iso = row.iso;
        CAPTURE(iso);
        CHECK(schema::date_value(row.iso) == row.value);
    }
}

TEST_CASE("schema: date bounds cover whole years and months") {
    struct Row {
        const char* text;
        bool upper;
        std::optional<std::string> expected;
    };
    const Row rows[] = {
        {"2005", false, "20050101"},       {"2005", true, "20051231"},
        {"2005-03", false, "20050301"},    {"2005-03", true, "20050331"},
        {"2005-03-07", false, "20050307"}, {"2005-03-07", true, "20050307"},
        {"20050307", true, "20050307"},    {"2005-13", false, std::nullopt},
        {"2005-02-32", true, std::nullopt}, {"05", false, std::nullopt},
        {"abcd", false, std::nullopt},     {"2005/03/07", false, std::nullopt},
        {"", false, std::nullopt},         {"2005-3-7", false, std::nullopt},
    };
    for (const Row& row : rows) {
        const std::string text_text = row.text;
        CAPTURE(text_text);
        CAPTURE(row.upper);
        CHECK(schema::date_bound(row.text, row.upper) == row.expected);
        // A bound of a full date is that date's slot value, so --since 2005-03-07 keeps a review of that day.
        if (row.expected && std::string(row.text).size() == 10) CHECK(schema::date_value(row.text) == *row.expected);
    }
}

TEST_CASE("schema: number values round-trip and sort as their numbers") {
    const double numbers[] = {-1.5, 0.0, 0.5, 0.76, 1.0, 7.0, 10.0, 62.0, 12345.0};
    std::string previous;
    for (double number : numbers) {
        CAPTURE(number);
        const std::string value = schema::number_value(number);
        CHECK(schema::number_of(value) == number);
        if (!previous.empty()) CHECK(previous < value);  // value ranges compare the strings
        previous = value;
    }
    CHECK(schema::number_of("") == 0.0);
    CHECK(schema::number_of("", 0.5) == 0.5);
}
