#include "revsearch/generations.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <xapian.h>

#include "revsearch/fault_point.hpp"
#include "revsearch/shards.hpp"
#include "revsearch/stub_codec.hpp"

namespace revsearch::generations {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view generation_prefix = "gen-";
const std::string stub_temp_prefix = std::string(stub_file) + std::string(stub_codec::temp_infix);

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

using stub_codec::sync_path;

void rename_or_throw(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) throw_errno("cannot rename " + from.string() + " to " + to.string());
}

bool is_glass_file(const std::string& name) {
    return name == "iamglass" || name == "flintlock" || (name.size() > 6 && name.ends_with(".glass"));
}

}  // namespace

std::string generation_name(unsigned number) { return fmt::format("gen-{:06}", number); }

std::optional<unsigned> parse_generation_name(std::string_view name) {
    if (!name.starts_with(generation_prefix)) return std::nullopt;
    const std::string_view digits = name.substr(generation_prefix.size());
    if (digits.size() < 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    unsigned number = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (error != std::errc() || end != digits.data() + digits.size() || number == 0) return std::nullopt;
    return number;
}

std::string stub_text(unsigned number) { return stub_codec::local_stub_text({generation_name(number)}); }

std::optional<unsigned> parse_stub_text(std::string_view text, const fs::path& dir) {
    // Exactly one "auto" or "glass" line (stub_codec.hpp has Xapian's syntax) naming a generation of DIR.
    const std::vector<stub_codec::Line> lines = stub_codec::parse(text);
    if (lines.size() != 1) return std::nullopt;
    const stub_codec::Line& line = lines.front();
    if ((line.type != "auto" && line.type != "glass") || line.target.empty()) return std::nullopt;
    fs::path path(line.target);
    if (path.is_absolute()) {
        // Accepted when it names a generation of this very directory.
        if (dir.empty() || path.parent_path().lexically_normal() != fs::absolute(dir).lexically_normal())
            return std::nullopt;
        path = path.filename();
    }
    return parse_generation_name(path.string());
}

static std::string restore_hint(const fs::path& dir, const DirectoryState& state) {
    // The newest generation that holds a database (glass, or shards behind their stub) is the likely live one.
    for (auto it = state.generation_dirs.rbegin(); it != state.generation_dirs.rend(); ++it) {
        const fs::path generation = dir / generation_name(*it);
        std::error_code ec;
        if (fs::exists(generation / "iamglass", ec) || fs::exists(generation / stub_file, ec))
            return fmt::format("the newest generation is {}: if it is the one to keep, restore the stub with "
                               "echo 'auto {}' > {}",
                               generation_name(*it), generation_name(*it), (dir / stub_file).string());
    }
    return "no generation holds a database";
}

/// DIR's only generation is generation 1, behind no stub, and no document was ever added to it: what
/// create_layout leaves when killed between promoting the empty generation and writing the stub. Any other
/// generation without its stub is refused, with the way to restore it: one that holds or held reviews (its
/// ledger, language and shard count are worth keeping even when its reviews were all deleted), or a later one.
static bool is_unswitched_first_generation(const fs::path& dir, const DirectoryState& state) {
    if (state.generation_dirs != std::vector<unsigned>{1}) return false;
    try {
        const Xapian::Database database((dir / generation_name(1)).string());
        return database.get_lastdocid() == 0;
    } catch (const Xapian::Error&) {
        return false;
    }
}

DirectoryState inspect(const fs::path& dir) {
    DirectoryState state;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return state;
    const bool has_glass = fs::exists(dir / "iamglass", ec);
    const bool has_stub = fs::exists(dir / stub_file, ec);
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (auto number = parse_generation_name(name); number && entry.is_directory()) {
            state.generation_dirs.push_back(*number);
        } else if (name.starts_with(scratch_prefix) || name.starts_with(stub_temp_prefix)) {
            state.scratch.push_back(entry.path());
        } else if (has_stub && !has_glass && is_glass_file(name)) {
            state.legacy_leftovers.push_back(entry.path());
        }
    }
    std::sort(state.generation_dirs.begin(), state.generation_dirs.end());
    std::sort(state.scratch.begin(), state.scratch.end());
    std::sort(state.legacy_leftovers.begin(), state.legacy_leftovers.end());
    if (has_glass) {
        state.layout = Layout::legacy;
    } else if (has_stub) {
        const std::string text = stub_codec::read_text(dir / stub_file);
        state.live = parse_stub_text(text, dir);
        if (!state.live) {
            std::string shown = text.substr(0, 200);
            std::replace(shown.begin(), shown.end(), '\n', ' ');
            throw Error(ErrorKind::corrupt, (dir / stub_file).string() + " does not name one generation of this index ('" + shown +
                            "'); " + restore_hint(dir, state));
        }
        state.layout = Layout::generations;
    } else if (!state.generation_dirs.empty()) {
        if (is_unswitched_first_generation(dir, state)) {
            // A new index killed between create_layout's promotion and its stub: no generation was ever live and
            // this one holds no review, so DIR is an index not created yet, and its writer clears it as scratch.
            state.scratch.push_back(dir / generation_name(state.generation_dirs.front()));
            state.generation_dirs.clear();
            return state;
        }
        // Generations without the stub that says which is live (deleted by hand, a broken copy): creating a new
        // index here would hide them, and the next rebuild would remove them.
        throw Error(ErrorKind::corrupt, dir.string() + " has generations but no " + std::string(stub_file) + " stub; refusing to "
                        "use it; " + restore_hint(dir, state));
    }
    return state;
}

std::optional<fs::path> live_database_path(const fs::path& dir) {
    const DirectoryState state = inspect(dir);
    switch (state.layout) {
        case Layout::legacy: return dir;
        case Layout::generations: return dir / generation_name(*state.live);
        case Layout::missing: break;
    }
    return std::nullopt;
}

unsigned next_generation_number(const DirectoryState& state) {
    unsigned next = state.layout == Layout::legacy ? legacy_number + 1 : 1;
    if (state.live) next = std::max(next, *state.live + 1);
    if (!state.generation_dirs.empty()) next = std::max(next, state.generation_dirs.back() + 1);
    return next;
}

fs::path scratch_path(const fs::path& dir, unsigned number) {
    return dir / fmt::format("{}{}-{}", scratch_prefix, ::getpid(), generation_name(number));
}

void point_stub_at(const fs::path& dir, unsigned number) {
    stub_codec::replace_durably(dir / stub_file, stub_text(number));  // the switch: old stub or new, never neither
}

void promote_scratch(const fs::path& dir, const fs::path& scratch, unsigned number) {
    rename_or_throw(scratch, dir / generation_name(number));
    sync_path(dir);
}

void create_layout(const fs::path& dir, unsigned shard_count) {
    fs::create_directories(dir);
    const DirectoryState state = inspect(dir);
    for (const auto& leftover : state.scratch) fs::remove_all(leftover);  // with an empty generation never switched to
    const unsigned number = next_generation_number(state);
    const fs::path scratch = scratch_path(dir, number);
    fs::remove_all(scratch);
    shards::create_empty(scratch, shard_count);
    promote_scratch(dir, scratch, number);
    fault_point("first-generation-unswitched");
    point_stub_at(dir, number);
}

void switch_from_legacy(const fs::path& dir, unsigned number) {
    point_stub_at(dir, number);  // (1) still invisible: DIR/iamglass wins
    const fs::path old = dir / generation_name(legacy_number);
    fs::create_directory(old);
    rename_or_throw(dir / "iamglass", old / "iamglass");  // (2) the switch
    sync_path(dir);
    fault_point("legacy-mid-move");
    for (const auto& entry : fs::directory_iterator(dir)) {  // (3) the rest of the old database follows
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && is_glass_file(name)) rename_or_throw(entry.path(), old / name);
    }
    sync_path(dir);
}

std::vector<std::string> finish_interrupted_work(const fs::path& dir) {
    std::vector<std::string> done;
    const DirectoryState state = inspect(dir);
    for (const auto& path : state.scratch) {
        fs::remove_all(path);
        done.push_back("removed scratch " + path.filename().string());
    }
    if (!state.legacy_leftovers.empty()) {
        const fs::path old = dir / generation_name(legacy_number);
        const bool has_old = fs::is_directory(old);
        for (const auto& path : state.legacy_leftovers) {
            if (has_old && !fs::exists(old / path.filename())) rename_or_throw(path, old / path.filename());
            else fs::remove(path);
        }
        done.push_back(fmt::format("finished moving the legacy index into {} ({} files)",
                                   generation_name(legacy_number), state.legacy_leftovers.size()));
    }
    if (state.layout == Layout::legacy && fs::exists(dir / stub_file)) {
        // Written by a first switch killed before it moved DIR/iamglass: Xapian ignored it, and it may name a
        // generation removed below.
        fs::remove(dir / stub_file);
        done.push_back("removed the unused stub of an unfinished first switch");
    }
    for (unsigned number : state.generation_dirs) {
        // In a legacy DIR every generation is a leftover; otherwise those past the live one were never switched to.
        const bool unreferenced = state.layout == Layout::legacy || (state.live && number > *state.live);
        if (!unreferenced) continue;
        fs::remove_all(dir / generation_name(number));
        done.push_back("removed unfinished " + generation_name(number));
    }
    return done;
}

std::vector<std::string> remove_stale_scratch(const fs::path& dir) {
    std::vector<std::string> done;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return done;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(scratch_prefix) && !name.starts_with(stub_temp_prefix)) continue;
        std::error_code remove_ec;
        fs::remove_all(entry.path(), remove_ec);
        if (!remove_ec) done.push_back("removed scratch " + name);
    }
    return done;
}

std::vector<unsigned> remove_old_generations(const fs::path& dir, unsigned keep) {
    const DirectoryState state = inspect(dir);
    std::vector<unsigned> removed;
    if (state.layout != Layout::generations) return removed;
    std::vector<unsigned> older;
    for (unsigned number : state.generation_dirs)
        if (number < *state.live) older.push_back(number);
    const std::size_t keep_older = keep > 0 ? keep - 1 : 0;
    if (older.size() <= keep_older) return removed;
    for (std::size_t i = 0; i + keep_older < older.size(); ++i) {
        fs::remove_all(dir / generation_name(older[i]));
        removed.push_back(older[i]);
    }
    return removed;
}

}  // namespace revsearch::generations
