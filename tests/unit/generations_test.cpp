// Generations of the index directory (generations.hpp), the directory lock (index_lock.hpp), and the rebuild
// and compact jobs (rebuild.hpp): names and stubs, the atomic switch as readers see it, recovery after a kill,
// --keep, --if-changed's change test, the new generation's check, and searches under repeated rebuilds.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <xapian.h>

#include "error_kind.hpp"
#include "revsearch/generations.hpp"
#include "revsearch/index_lock.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/new_index_cleanup.hpp"
#include "revsearch/rebuild.hpp"
#include "revsearch/search.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
namespace gen = revsearch::generations;

namespace {

const std::string page = std::string(REVSEARCH_CORPORA) + "/pusher-ii-2004.txt";               // 25 reviews
const std::string books = std::string(REVSEARCH_CORPORA) + "/blitzer-books-positive-100.review";  // 100

void add_documents(const fs::path& path, int count) {
    Xapian::WritableDatabase database(path.string(), Xapian::DB_CREATE_OR_OPEN);
    for (int i = 0; i < count; ++i) {
        Xapian::Document document;
        document.add_term("word");
        document.set_data("{}");
        database.add_document(document);
    }
    database.commit();
}

Xapian::doccount documents_at(const fs::path& path) { return Xapian::Database(path.string()).get_doccount(); }

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

revsearch::JobResult rebuild_from(const fs::path& dir, std::vector<std::string> from, unsigned keep = 2) {
    std::ostringstream ignored;
    revsearch::EventLog log("rebuild", false, false, ignored, ignored);
    revsearch::RebuildOptions options;
    options.dir = dir.string();
    options.from = std::move(from);
    options.keep = keep;
    return revsearch::rebuild_index(options, log);
}

Xapian::doccount matches(revsearch::Searcher& searcher, const std::string& query = "good") {
    revsearch::SearchRequest request;
    request.query = query;
    request.facets = true;  // an exact count
    request.suggest = false;
    request.snippets = false;
    request.limit = 0;
    return searcher.search(request).estimated;
}

}  // namespace

TEST_CASE("generation names and stub texts parse back, anything else is refused") {
    struct Row {
        std::string text;
        std::optional<unsigned> number;
    };
    const std::vector<Row> names = {
        {"gen-000002", 2},    {"gen-123456", 123456}, {"gen-1234567", 1234567}, {"gen-000000", std::nullopt},
        {"gen-1", std::nullopt}, {"gen-00000a", std::nullopt}, {"xgen-000001", std::nullopt}, {"", std::nullopt},
        {"gen-+00001", std::nullopt},
    };
    for (const auto& row : names) {
        CAPTURE(row.text);
        CHECK(gen::parse_generation_name(row.text) == row.number);
    }
    const std::vector<Row> stubs = {
        {"auto gen-000002\n", 2},      {"auto gen-000002", 2},          {"auto gen-000002\r\n", 2},
        {"glass gen-000002\n", 2},      {"auto /abs/gen-000002", std::nullopt},
        {"auto gen-000002\nauto gen-000003\n", std::nullopt}, {"", std::nullopt},
        {"# written by hand\n\nauto gen-000004\n", 4}, {"  auto   gen-000005  \n", 5}, {"# only a comment\n", std::nullopt},
        {"remote 127.0.0.1:1\n", std::nullopt}, {"auto gen-000002/../x\n", std::nullopt}, {"chert gen-000002\n", std::nullopt},
    };
    for (const auto& row : stubs) {
        CAPTURE(row.text);
        CHECK(gen::parse_stub_text(row.text) == row.number);
    }
    CHECK(gen::parse_stub_text("auto /x/idx/gen-000003\n", "/x/idx") == 3u);
    CHECK(gen::parse_stub_text("auto /x/other/gen-000003\n", "/x/idx") == std::nullopt);
    CHECK(gen::generation_name(7) == "gen-000007");
    CHECK(gen::stub_text(7) == "auto gen-000007\n");
}

TEST_CASE("a new layout opens through the stub for reading and writing, and a switch is seen by a fresh reader") {
    TempDir dir;
    gen::create_layout(dir.path);
    CHECK(names_in(dir.path) == std::vector<std::string>{"XAPIANDB", "gen-000001"});
    CHECK(gen::inspect(dir.path).layout == gen::Layout::generations);
    add_documents(dir.path, 3);  // WritableDatabase(DIR) writes generation 1 through the stub
    CHECK(documents_at(dir.path / "gen-000001") == 3);

    Xapian::Database old_reader(dir.path.string());
    add_documents(dir.path / "gen-000002", 5);
    gen::point_stub_at(dir.path, 2);
    CHECK(documents_at(dir.path) == 5);
    CHECK(*gen::live_database_path(dir.path) == dir.path / "gen-000002");
    old_reader.reopen();  // reopen() stays with the generation it opened: why Searcher opens DIR anew
    CHECK(old_reader.get_doccount() == 3);
    CHECK(gen::next_generation_number(gen::inspect(dir.path)) == 3);
}

TEST_CASE("remove_old_generations keeps the live generation and the keep - 1 before it") {
    struct Row {
        unsigned keep;
        std::vector<unsigned> removed;
    };
    for (const Row& row : std::vector<Row>{{1, {1, 2, 3}}, {2, {1, 2}}, {3, {1}}, {4, {}}, {9, {}}}) {
        CAPTURE(row.keep);
        TempDir dir;
        for (unsigned n = 1; n <= 5; ++n) fs::create_directory(dir.path / gen::generation_name(n));
        gen::point_stub_at(dir.path, 4);  // generation 5 is newer than the live one: left to recovery
        CHECK(gen::remove_old_generations(dir.path, row.keep) == row.removed);
        CHECK(fs::exists(dir.path / "gen-000004"));
        CHECK(fs::exists(dir.path / "gen-000005"));
    }
}

TEST_CASE("finish_interrupted_work removes scratch, stub temp files and never-switched generations") {
    TempDir dir;
    gen::create_layout(dir.path);
    fs::create_directories(dir.path / ".building-123-gen-000002" / "sub");
    std::ofstream(dir.path / "XAPIANDB.tmp-123") << "auto gen-000002\n";
    add_documents(dir.path / "gen-000002", 1);  // promoted, killed before the switch
    const auto done = gen::finish_interrupted_work(dir.path);
    CHECK(done.size() == 3);
    CHECK(names_in(dir.path) == std::vector<std::string>{"XAPIANDB", "gen-000001"});
    CHECK(gen::finish_interrupted_work(dir.path).empty());
}

TEST_CASE("a legacy glass directory switches with one rename and keeps its old index whole in gen-000001") {
    TempDir dir;
    add_documents(dir.path, 4);  // a plain glass database in DIR itself
    CHECK(gen::inspect(dir.path).layout == gen::Layout::legacy);
    Xapian::Database reader(dir.path.string());
    add_documents(dir.path / "gen-000002", 6);
    gen::point_stub_at(dir.path, 2);
    CHECK(documents_at(dir.path) == 4);  // Xapian prefers DIR/iamglass to the stub: nothing switched yet
    gen::switch_from_legacy(dir.path, 2);
    CHECK(documents_at(dir.path) == 6);
    CHECK(documents_at(dir.path / "gen-000001") == 4);
    CHECK(reader.get_doccount() == 4);
    CHECK(names_in(dir.path) == std::vector<std::string>{"XAPIANDB", "gen-000001", "gen-000002"});

    SUBCASE("glass files left by a move killed after the switch are moved into gen-000001") {
        TempDir other;
        add_documents(other.path, 2);
        fs::create_directory(other.path / "gen-000001");
        fs::rename(other.path / "iamglass", other.path / "gen-000001" / "iamglass");
        add_documents(other.path / "gen-000002", 1);
        gen::point_stub_at(other.path, 2);
        CHECK(!gen::inspect(other.path).legacy_leftovers.empty());
        gen::finish_interrupted_work(other.path);
        CHECK(names_in(other.path) == std::vector<std::string>{"XAPIANDB", "gen-000001", "gen-000002"});
        CHECK(documents_at(other.path / "gen-000001") == 2);
    }
}

TEST_CASE("the index lock is re-entrant within a process and excludes another holder until the timeout") {
    TempDir dir;
    auto first = revsearch::IndexLock::acquire(dir.path.string(), std::chrono::milliseconds(0));
    REQUIRE(first);
    CHECK(revsearch::IndexLock::acquire(dir.path.string(), std::chrono::milliseconds(0)));

    TempDir other;
    const std::string lock_file = revsearch::index_lock_path(other.path.string());
    const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX) == 0);  // as flock(1) in the cron example, or another revindex
    const auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(revsearch::IndexLock::acquire(other.path.string(), std::chrono::milliseconds(200)));
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(200));
    ::close(fd);
    CHECK(revsearch::IndexLock::acquire(other.path.string(), std::chrono::milliseconds(0)));
}

TEST_CASE("change_since_ledger: what --if-changed rebuilds for") {
    const std::vector<revsearch::BatchLedgerEntry> ledger = {{"/a", "h1", 1, 0, "t", "", "", 0, "", "", ""}, {"/b", "h2", 1, 0, "t", "", "", 0, "", "", ""}};
    struct Row {
        std::map<std::string, std::string> current;
        std::optional<std::string> reason;
    };
    const std::vector<Row> rows = {
        {{{"/a", "h1"}, {"/b", "h2"}}, std::nullopt},
        {{{"/a", "h1"}, {"/b", "XX"}}, "/b changed"},
        {{{"/a", "h1"}, {"/b", ""}}, "/b cannot be read"},
        {{{"/a", "h1"}, {"/b", "h2"}, {"/c", "h3"}}, "new source /c"},
        {{{"/a", "h1"}}, "source /b is no longer among the sources"},
    };
    for (const auto& row : rows) CHECK(revsearch::change_since_ledger(ledger, row.current) == row.reason);
}

TEST_CASE("check_generation refuses an empty index and an unexpected count") {
    TempDir dir;
    add_documents(dir.path / "empty", 0);
    CHECK(error_kind_of([&] { revsearch::check_generation((dir.path / "empty").string(), std::nullopt); }) ==
          revsearch::ErrorKind::check_failed);
    add_documents(dir.path / "three", 3);
    CHECK(revsearch::check_generation((dir.path / "three").string(), std::nullopt) == 3);
    CHECK(revsearch::check_generation((dir.path / "three").string(), 3) == 3);
    CHECK(error_kind_of([&] { revsearch::check_generation((dir.path / "three").string(), 4); }) ==
          revsearch::ErrorKind::check_failed);
}

TEST_CASE("a long-lived Searcher follows switches, also when the generation it read is deleted") {
    TempDir dir;
    rebuild_from(dir.path, {page});
    revsearch::Searcher searcher(dir.path.string());
    const auto small = matches(searcher);
    REQUIRE(small > 0);

    // A reader holding generation 1 while --keep 1 deletes it: its open files keep answering.
    Xapian::Database held((dir.path / "gen-000001").string());
    Xapian::Enquire enquire(held);
    enquire.set_query(Xapian::Query("good"));
    const auto before = enquire.get_mset(0, 100).size();

    const auto result = rebuild_from(dir.path, {page, books}, 1);
    CHECK(result.removed == std::vector<unsigned>{1});
    CHECK_FALSE(fs::exists(dir.path / "gen-000001"));
    CHECK(enquire.get_mset(0, 100).size() == before);
    const auto large = matches(searcher);
    CHECK(large > small);
    rebuild_from(dir.path, {page}, 1);
    CHECK(matches(searcher) == small);
}

TEST_CASE("a Searcher's first read sees a switch or a commit made after the constructor opened the index") {
    // The first read reopen()s the constructor's open when the stub is unchanged (search.hpp, refresh_database):
    // a switch between the constructor and that read must still be seen, and so must a commit in the live
    // generation.
    TempDir dir;
    rebuild_from(dir.path, {page});
    const auto small = [&] {
        revsearch::Searcher searcher(dir.path.string());
        return matches(searcher);
    }();
    REQUIRE(small > 0);
    {
        revsearch::Searcher searcher(dir.path.string());
        rebuild_from(dir.path, {page, books});  // the generation it opened is kept, still readable
        CHECK(matches(searcher) > small);
    }
    {
        revsearch::Searcher searcher(dir.path.string());
        const Xapian::doccount before = searcher.database().get_doccount();
        const auto live = revsearch::generations::live_database_path(dir.path);
        REQUIRE(live);
        add_documents(*live, 3);
        matches(searcher);
        CHECK(searcher.database().get_doccount() == before + 3);
    }
    {
        // Nothing changed: the first read uses the open index as it is.
        revsearch::Searcher searcher(dir.path.string());
        CHECK(matches(searcher) > small);
    }
}

TEST_CASE("a Searcher reopens its generation for a writer's commits and opens the index anew after a switch") {
    TempDir dir;
    rebuild_from(dir.path, {page});
    revsearch::Searcher searcher(dir.path.string());
    const auto before = matches(searcher, "word");
    // Commits to the live generation (through the stub, as revindex add writes): seen by reopen(), twice over.
    add_documents(dir.path, 2);
    CHECK(matches(searcher, "word") == before + 2);
    add_documents(dir.path, 3);
    add_documents(dir.path, 1);
    CHECK(matches(searcher, "word") == before + 6);
    // A switch renames a new stub over the old one: the next search opens the new generation.
    rebuild_from(dir.path, {page});
    CHECK(matches(searcher, "word") == before);
}

TEST_CASE("a Searcher over a stub file naming an index DIR sees that DIR's switches") {
    // The stub file itself does not change when the DIR it names switches generations behind its own stub, so
    // such a Searcher opens anew for each read instead of reopen()ing (search.cpp, stub_signature).
    TempDir dir;
    rebuild_from(dir.path / "index", {page});
    const fs::path outer = dir.path / "outer.stub";
    std::ofstream(outer) << "auto " << (dir.path / "index").string() << "\n";
    revsearch::Searcher searcher(outer.string());
    const auto small = matches(searcher);
    REQUIRE(small > 0);
    rebuild_from(dir.path / "index", {page, books});
    CHECK(matches(searcher) > small);
}

TEST_CASE("compact_index keeps every document and switches like a rebuild") {
    TempDir dir;
    rebuild_from(dir.path, {page, books});
    std::ostringstream out;
    revsearch::EventLog log("compact", true, false, out, out);
    revsearch::CompactOptions options;
    options.dir = dir.path.string();
    const auto result = revsearch::compact_index(options, log);
    CHECK(result.documents == 125);
    CHECK(result.to_generation == 2);
    CHECK(documents_at(dir.path) == 125);
    CHECK(out.str().find("\"event\":\"switched\"") != std::string::npos);
}

TEST_CASE("searches in a loop while another process rebuilds: no failure, whole generations only") {
    TempDir dir;
    rebuild_from(dir.path, {page, books});
    revsearch::Searcher probe(dir.path.string());
    const auto large = matches(probe);
    rebuild_from(dir.path, {page});
    const auto small = matches(probe);
    REQUIRE(small != large);

    constexpr int rebuilds = 8;
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int code = 0;
        try {
            for (int i = 0; i < rebuilds; ++i) rebuild_from(dir.path, i % 2 == 0 ? std::vector{page, books}
                                                                                   : std::vector{page}, 1);
        } catch (const Xapian::Error& e) {
            std::cerr << "rebuild in the child failed: " << e.get_description() << "\n";
            code = 1;
        } catch (const std::exception& e) {
            std::cerr << "rebuild in the child failed: " << e.what() << "\n";
            code = 1;
        }
        ::_exit(code);
    }

    revsearch::Searcher long_lived(dir.path.string());
    int searches = 0, failed = 0, partial = 0;
    double longest_ms = 0, longest_after_switch_ms = 0;
    std::vector<double> times_ms;
    Xapian::doccount previous = 0;
    std::set<Xapian::doccount> seen;
    int status = 0;
    bool child_running = true;
    while (child_running || searches < 200) {
        child_running = ::waitpid(child, &status, WNOHANG) == 0;
        for (int fresh = 0; fresh < 2; ++fresh) {
            const auto started = std::chrono::steady_clock::now();
            try {
                // Opening the path afresh each time, as a revsearch process does, and through a long-lived one.
                Xapian::doccount count = 0;
                if (fresh == 1) {
                    revsearch::Searcher searcher(dir.path.string());
                    count = matches(searcher);
                } else {
                    count = matches(long_lived);
                }
                seen.insert(count);
                if (count != small && count != large) ++partial;
                if (previous != 0 && count != previous)  // the first search to see a new generation
                    longest_after_switch_ms = std::max(longest_after_switch_ms,
                        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
                previous = count;
            } catch (const Xapian::Error& e) {
                ++failed;
                MESSAGE("search failed: " << e.get_description());
            } catch (const std::exception& e) {
                ++failed;
                MESSAGE("search failed: " << std::string(e.what()));
            }
            times_ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
            longest_ms = std::max(longest_ms, times_ms.back());
            ++searches;
        }
        if (searches > 20000) break;
    }
    if (child_running) ::waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(failed == 0);
    CHECK(partial == 0);
    CHECK(seen.size() == 2);
    std::sort(times_ms.begin(), times_ms.end());
    std::cout << "generations_test: " << searches << " searches during " << rebuilds
              << " rebuilds in another process: " << failed << " failed, " << partial << " partial; median "
              << times_ms[times_ms.size() / 2] << " ms, longest " << longest_ms
              << " ms, longest first search on a new generation " << longest_after_switch_ms << " ms\n";
}

TEST_CASE("NewIndexCleanup removes an index this run created and left empty, with the parents it created") {
    TempDir dir;
    const fs::path parent = dir.path / "made" / "for";
    const fs::path index = parent / "index";
    {
        revsearch::NewIndexCleanup cleanup(index);
        auto writer = revsearch::IndexWriter::open(index.string(), std::chrono::milliseconds(0),
                                                   revsearch::OpenMode::create_or_open);
        writer.close();
        CHECK(fs::exists(index / "XAPIANDB"));
        CHECK(cleanup.remove_if_empty());
        CHECK_FALSE(fs::exists(dir.path / "made"));
        CHECK(fs::exists(dir.path));
    }
    {
        // The lock file was removed under this process's lock: taking the lock again locks a new file.
        auto lock = revsearch::IndexLock::acquire(index.string(), std::chrono::milliseconds(0));
        CHECK(lock);
    }
    {
        // A directory that existed before the run is never removed, even empty.
        revsearch::NewIndexCleanup cleanup(dir.path);
        CHECK_FALSE(cleanup.remove_if_empty());
        CHECK(fs::exists(dir.path));
    }
}
