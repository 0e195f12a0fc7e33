// revindex delete: remove reviews by id, or every review of a batch file (its XF term) with its ledger entry.

#include <boost/program_options.hpp>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "crash_check.hpp"
#include "revsearch/batch_ledger.hpp"
#include "revsearch/db_location.hpp"
#include "revsearch/document_builder.hpp"
#include "revsearch/exit_codes.hpp"
#include "revsearch/index_writer.hpp"
#include "revsearch/table_check.hpp"
#include "revsearch/schema.hpp"

namespace revindex {

namespace po = boost::program_options;
namespace exit_code = revsearch::exit_code;

namespace {

constexpr const char* delete_usage =
    R"(usage: revindex delete [--db DIR] [--lock-timeout SECONDS] (--id ID... | --source PATH)

Removes reviews from the index in one transaction. --id takes review ids as revsearch --json prints them;
--source removes every review that was last written from that batch file (a kept stream batch by its ledger
name, inputs/stdin-NNNNNN), and its ledger entry, so that
adding the file again reads it anew. Prints "deleted N" on stderr.
Each deleted review leaves a tombstone in the index: no rebuild or compaction brings it back from a batch
applied before the deletion; a batch added after it (a new or changed file, standard input) brings it back.

Exit codes:
  0  something was deleted (or, with --source, the batch's ledger entry)
  1  nothing matched
  2  error: bad options, no index at the path, an index that cannot be written
  3  another revindex held the index longer than --lock-timeout

Options)";

}  // namespace

int run_delete(const std::vector<std::string>& args) {
    std::optional<std::string> db_flag;
    std::vector<std::string> ids;
    std::string source;
    double lock_timeout_seconds = 5;
    po::options_description options(delete_usage);
    options.add_options()
        ("help,h", "print this help")
        ("db", po::value<std::string>()->notifier([&](const std::string& v) { db_flag = v; }), "the index directory")
        ("id", po::value(&ids)->multitoken(), "review ids to delete")
        ("source", po::value(&source), "a batch file: delete every review indexed from it")
        ("lock-timeout", po::value(&lock_timeout_seconds)->default_value(5.0, "5"),
         "seconds to wait for another revindex to release the index, then exit 3");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "revindex delete: " << e.what() << "\n" << options;
        return exit_code::error;
    }
    if (vm.count("help")) {
        std::cout << options;
        return exit_code::ok;
    }
    if (ids.empty() == source.empty()) {
        std::cerr << "revindex delete: give either --id ID... or --source PATH\n";
        return exit_code::error;
    }
    if (!(lock_timeout_seconds >= 0) || lock_timeout_seconds > 86400) {
        std::cerr << "revindex delete: --lock-timeout must be between 0 and 86400 seconds\n";
        return exit_code::error;
    }

    const std::string db_path = revsearch::resolve_db_path(db_flag);
    check_index_if_writer_crashes("delete", db_path);
    Xapian::doccount deleted = 0;
    bool forgot_batch = false;  // a ledger entry removed: the next add reads the file again
    try {
        const auto lock_timeout = std::chrono::milliseconds(static_cast<long>(lock_timeout_seconds * 1000));
        auto shards = revsearch::open_shards_for_writing(db_path, lock_timeout, revsearch::OpenMode::open_existing);
        auto& ledger_shard = shards.front();  // shards.hpp: shard 0 holds the ledger and commits last
        for (auto& shard : shards) shard.begin_transaction(/*flushed=*/true);
        // Every review deleted gets a tombstone, in the same transaction, so that no rebuild or compaction
        // brings it back from a batch applied before this deletion (batch_ledger.hpp, docs/indexing.md).
        const std::uint64_t seq = revsearch::last_sequence(ledger_shard) + 1;
        const revsearch::Tombstone tombstone{seq, revsearch::utc_timestamp_now(),
                                             source.empty() ? "delete --id"
                                                            : "delete --source " + source};
        std::size_t tombstones = 0;
        auto bury_ids_of = [&](const std::string& term) {
            const std::string prefix(revsearch::schema::id_prefix);
            for (auto& shard : shards) {
                for (auto posting = shard.postlist_begin(term); posting != shard.postlist_end(term); ++posting) {
                    auto id_term = shard.termlist_begin(*posting);
                    id_term.skip_to(prefix);
                    if (id_term == shard.termlist_end(*posting) || !(*id_term).starts_with(prefix)) continue;
                    revsearch::write_tombstone(ledger_shard, (*id_term).substr(prefix.size()), tombstone);
                    ++tombstones;
                }
            }
        };
        // Each term is looked for in every shard: a review is where its id hashes to, but a delete should not
        // depend on that to find it.
        auto delete_everywhere = [&](const std::string& term) {
            Xapian::doccount found = 0;
            for (auto& shard : shards) {
                const Xapian::doccount here = shard.get_termfreq(term);
                if (here > 0) shard.delete_document(term);
                found += here;
            }
            return found;
        };
        if (!source.empty()) {
            // A kept stream batch is recorded relative to the index ("inputs/stdin-000002"): named so, it is that one.
            const bool kept_stream = !ledger_shard.get_metadata(revsearch::ledger_key(source)).empty();
            const std::string identity = kept_stream ? source : revsearch::batch_identity(source);
            bury_ids_of(revsearch::schema::source_term(identity));
            deleted = delete_everywhere(revsearch::schema::source_term(identity));
            forgot_batch = !ledger_shard.get_metadata(revsearch::ledger_key(identity)).empty();
            if (forgot_batch) ledger_shard.set_metadata(revsearch::ledger_key(identity), "");  // empty removes it
            if (deleted == 0 && !forgot_batch)
                std::cerr << "revindex delete: no batch " << identity << " in the index at " << db_path << "\n";
        } else {
            for (const auto& id : ids) {
                bury_ids_of(revsearch::DocumentBuilder::id_term(id));
                const Xapian::doccount found = delete_everywhere(revsearch::DocumentBuilder::id_term(id));
                if (found == 0) std::cerr << "revindex delete: no review with id " << id << "\n";
                deleted += found;
            }
        }
        if (tombstones > 0) revsearch::set_last_sequence(ledger_shard, seq);
        for (std::size_t i = shards.size(); i-- > 0;) {
            shards[i].commit_transaction();
            shards[i].close();
        }
    } catch (const revsearch::IndexLockedError& e) {
        std::cerr << "revindex delete: " << e.what() << " (waited " << lock_timeout_seconds
                  << " s; see --lock-timeout)\n";
        return exit_code::locked;
    } catch (const Xapian::DatabaseOpeningError& e) {
        std::cerr << "revindex delete: no index at " << db_path << " (" << e.get_msg() << ")\n";
        return exit_code::error;
    } catch (const Xapian::DatabaseError& e) {
        // Stop, and say which table: nothing more is written into a damaged index. Not only DatabaseCorruptError:
        // a damaged compressed item fails as a plain DatabaseError ("inflate failed"); the check runs on failure
        // only, and says nothing more when every table is sound.
        std::cerr << "revindex delete: index at " << db_path << ": "
                  << revsearch::describe_corruption(db_path, e.get_description()) << "\n";
        return exit_code::error;
    } catch (const Xapian::Error& e) {
        std::cerr << "revindex delete: index at " << db_path << ": " << e.get_description() << "\n";
        return exit_code::error;
    } catch (const std::exception& e) {  // a missing or unusable stub (generations.hpp)
        std::cerr << "revindex delete: " << e.what() << "\n";
        return exit_code::error;
    }
    std::cerr << "deleted " << deleted << (forgot_batch ? ", batch forgotten" : "") << "\n";
    return deleted > 0 || forgot_batch ? exit_code::ok : exit_code::no_match;
}

}  // namespace revindex
