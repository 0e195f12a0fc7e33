#include "revsearch/new_generation.hpp"

#include "revsearch/fault_point.hpp"

namespace revsearch {

namespace fs = std::filesystem;
namespace gen = generations;

namespace {

/// The lock first: nothing of DIR is read or cleaned before it is held.
IndexLock take_and_recover(const fs::path& dir, std::chrono::milliseconds timeout, EventLog& log) {
    IndexLock lock = IndexLock::take(dir.string(), timeout);
    for (const auto& line : gen::finish_interrupted_work(dir)) log.info("recovered", line);
    return lock;
}

}  // namespace

NewGeneration::NewGeneration(const fs::path& dir, std::chrono::milliseconds lock_timeout, EventLog& log)
    : dir_(dir),
      lock_(take_and_recover(dir, lock_timeout, log)),
      state_(gen::inspect(dir)),
      number_(gen::next_generation_number(state_)),
      scratch_(gen::scratch_path(dir, number_)) {}

NewGeneration::~NewGeneration() {
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);  // what was built beside the database, or all of it when not published
    if (promoted_ && !switched_) fs::remove_all(dir_ / gen::generation_name(number_), ignored);
}

std::optional<unsigned> NewGeneration::live_number() const {
    return state_.layout == gen::Layout::generations ? state_.live : std::nullopt;
}

std::vector<unsigned> NewGeneration::publish(const fs::path& database, unsigned keep,
                                             const std::function<void()>& on_switched) {
    gen::promote_scratch(dir_, database, number_);
    promoted_ = true;
    fault_point("before-switch");
    if (state_.layout == gen::Layout::legacy) gen::switch_from_legacy(dir_, number_);
    else gen::point_stub_at(dir_, number_);
    switched_ = true;
    if (on_switched) on_switched();
    fault_point("after-switch");
    return gen::remove_old_generations(dir_, keep);
}

}  // namespace revsearch
