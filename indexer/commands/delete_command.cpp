// revindex delete: remove reviews by id, or every review of a batch file (its XF term) with its ledger entry.

#include <iostream>
#include <string>

#include "commands.hpp"
#include "crash_check.hpp"
#include "index_errors.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/index_writer.hpp"

namespace revindex {

namespace exit_code = revsearch::exit_code;

int run_delete(const DeleteOptions& options) {
    const std::string db_path = revsearch::resolve_db_path(options.db);
    check_index_if_writer_crashes("delete", db_path);
    const auto erasure = on_index(db_path, Corruption::name_table, [&] {
        auto writer = revsearch::IndexWriter::open(db_path, options.lock_timeout, revsearch::OpenMode::open_existing);
        auto erased = writer.erase(options.ids, options.source,
                                   options.source ? "delete --source " + *options.source : "delete --id");
        writer.close();
        return erased;
    });
    for (const auto& id : erasure.missing_ids) std::cerr << "revindex delete: no review with id " << id << "\n";
    if (options.source && erasure.deleted == 0 && !erasure.batch_forgotten)
        std::cerr << "revindex delete: no batch " << erasure.batch_identity << " in the index at " << db_path << "\n";
    std::cerr << "deleted " << erasure.deleted << (erasure.batch_forgotten ? ", batch forgotten" : "") << "\n";
    return erasure.deleted > 0 || erasure.batch_forgotten ? exit_code::ok : exit_code::no_match;
}

}  // namespace revindex
