#pragma once
// The one error type of revsearch's libraries and tools. A library states what is wrong (the message) and how
// it can be got past (the remedy, as a thing to do, never a command-line flag); the command line names the flag
// for the remedy (indexer/cli/failure.hpp, searcher/main.cpp) and turns the kind into the exit code, through
// the one table below (README's "Exit codes").

#include <stdexcept>
#include <string>

namespace revsearch {

enum class ErrorKind {
    usage,         ///< a bad option or argument
    input,         ///< an input (batch file, source, query file) that cannot be read or is not reviews
    not_found,     ///< no index where one was asked for
    corrupt,       ///< the index is damaged or not one this version reads (a bad stub, a table that fails its check)
    io,            ///< reading or writing files failed, or Xapian failed otherwise
    refused,       ///< the index is not what the command needs (another language, another shard count, a loss)
    unavailable,   ///< a shard of a stub did not answer
    locked,        ///< another revindex held the index past the lock timeout
    check_failed,  ///< a new generation failed its check, or nothing could be read for it: the live index is kept
};

/// What would get past the error; the command line says which flag or command does it.
enum class Remedy {
    none,
    wait_longer,        ///< the lock may be free later (--lock-timeout)
    name_sources,       ///< say which batch files to build from (rebuild --from)
    accept_loss,        ///< switch although documents are lost (rebuild --allow-loss)
    rebuild_elsewhere,  ///< build a new index in another directory (--db) to change what this one was made with
    answer_partially,   ///< answer from the shards that answer (revsearch --allow-partial)
    create_index,       ///< there is no index yet (revindex add)
    rebuild_index,      ///< the index was written by another version (revindex rebuild)
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, Remedy remedy = Remedy::none)
        : std::runtime_error(message), kind_(kind), remedy_(remedy) {}
    ErrorKind kind() const { return kind_; }
    Remedy remedy() const { return remedy_; }

private:
    ErrorKind kind_;
    Remedy remedy_;
};

/// The process exit code of an error of `kind` (exit_codes.hpp), for both tools.
int exit_code_of(ErrorKind kind);

}  // namespace revsearch
