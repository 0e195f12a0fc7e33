// The one reader and writer of Xapian stub files (stub_codec.hpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "revsearch/stub_codec.hpp"
#include "temp_dir.hpp"

namespace codec = revsearch::stub_codec;

TEST_CASE("stub codec: a stub's database lines") {
    struct Row {
        const char* text;
        std::vector<codec::Line> lines;
    };
    const Row rows[] = {
        {"", {}},
        {"auto gen-000002\n", {{1, "auto gen-000002", "auto", "gen-000002"}}},
        {"auto gen-000002", {{1, "auto gen-000002", "auto", "gen-000002"}}},
        {"auto gen-000002\r\n", {{1, "auto gen-000002", "auto", "gen-000002"}}},
        {"  auto   gen-000005  \n", {{1, "auto   gen-000005", "auto", "gen-000005"}}},
        {"# by hand\n\n  # indented\nremote 10.0.0.2:33333\n",
         {{4, "remote 10.0.0.2:33333", "remote", "10.0.0.2:33333"}}},
        {"remote :ssh host xapian-progsrv /srv/s1\n",
         {{1, "remote :ssh host xapian-progsrv /srv/s1", "remote", ":ssh host xapian-progsrv /srv/s1"}}},
        {"auto shard-0\nauto shard-1\n",
         {{1, "auto shard-0", "auto", "shard-0"}, {2, "auto shard-1", "auto", "shard-1"}}},
        {"auto\n", {{1, "auto", "auto", ""}}},
        {"auto\tgen-000002\n", {{1, "auto\tgen-000002", "auto\tgen-000002", ""}}},  // Xapian splits at a space only
    };
    for (const Row& row : rows) {
        const std::string text = row.text;
        CAPTURE(text);
        const std::vector<codec::Line> lines = codec::parse(row.text);
        REQUIRE(lines.size() == row.lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            CHECK(lines[i].number == row.lines[i].number);
            CHECK(lines[i].text == row.lines[i].text);
            CHECK(lines[i].type == row.lines[i].type);
            CHECK(lines[i].target == row.lines[i].target);
        }
    }
    CHECK(codec::local_stub_text({}) == "");
    CHECK(codec::local_stub_text({"shard-0", "shard-1"}) == "auto shard-0\nauto shard-1\n");
    CHECK(codec::parse(codec::local_stub_text({"gen-000003"})).front().target == "gen-000003");
}

TEST_CASE("stub codec: a durable replace leaves the new text and no temporary file") {
    TempDir dir("stub_codec");
    const std::filesystem::path stub = dir.path / "XAPIANDB";
    codec::replace_durably(stub, "auto gen-000001\n");
    CHECK(codec::read_text(stub) == "auto gen-000001\n");
    codec::replace_durably(stub, "auto gen-000002\n");
    CHECK(codec::read_text(stub) == "auto gen-000002\n");
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path)) ++files;
    CHECK(files == 1);
    CHECK(codec::read_text(dir.path / "absent") == "");
    CHECK_THROWS_AS(codec::replace_durably(dir.path / "no-such-dir" / "XAPIANDB", "auto x\n"), std::runtime_error);
}
