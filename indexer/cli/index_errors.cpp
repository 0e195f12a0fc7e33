#include "index_errors.hpp"

#include "revsearch/table_check.hpp"

namespace revindex {

using revsearch::Error;
using revsearch::ErrorKind;

revsearch::Error index_error(const std::string& db_path, Corruption corruption) {
    try {
        throw;
    } catch (const Xapian::DatabaseOpeningError& error) {
        return Error(ErrorKind::not_found, "no index at " + db_path + " (" + error.get_msg() + ")");
    } catch (const Xapian::DatabaseError& error) {
        if (corruption == Corruption::as_reported)
            return Error(ErrorKind::io, "index at " + db_path + ": " + error.get_description());
        // Not only DatabaseCorruptError: a damaged compressed item fails as a plain DatabaseError ("inflate
        // failed"). The check says nothing more when every table is sound.
        return Error(ErrorKind::corrupt,
                     "index at " + db_path + ": " + revsearch::describe_corruption(db_path, error.get_description()));
    } catch (const Xapian::Error& error) {
        return Error(ErrorKind::io, "index at " + db_path + ": " + error.get_description());
    }
}

}  // namespace revindex
