#pragma once
// Xapian's errors, met on the index at --db, as revsearch::Error (error.hpp): one line that says which index,
// with the kind that gives the exit code. Both revindex's command runner and its job log print these.

#include <string>
#include <utility>

#include <xapian.h>

#include "revsearch/error.hpp"

namespace revindex {

/// Whether a Xapian::DatabaseError is checked for the corrupt table it met (table_check.hpp): writers do, since
/// nothing more may be written into a damaged index; the check runs on failure only.
enum class Corruption { name_table, as_reported };

/// The Xapian::Error being handled (call from its catch block), met on the index at `db_path`.
revsearch::Error index_error(const std::string& db_path, Corruption corruption);

/// Runs `work` on the index at `db_path`, turning a Xapian::Error into index_error.
template <class Work>
auto on_index(const std::string& db_path, Corruption corruption, Work&& work) {
    try {
        return std::forward<Work>(work)();
    } catch (const Xapian::Error&) {
        throw index_error(db_path, corruption);
    }
}

}  // namespace revindex
