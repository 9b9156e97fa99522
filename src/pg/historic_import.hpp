// Imports of historic transfers (accounts_import_transfer): each keeps its original instant.
// To keep every balance history meaningful, an import may not go back before the latest
// posting of either account, nor before its parent; and an account that receives a
// historic transfer is taken to have existed since then.
#pragma once

#include "pg/transfer_execution.hpp"

namespace oscar_accounts::pg {

// Refuses an import instant in the future or earlier than what the two accounts (locked by
// the caller) and the parent already record. Throws LedgerError(InvalidArgument).
void CheckImportInstant(const TransferOrder &order);

// Moves the accounts' date_created back to the import instant where it is later.
void BackdateAccounts(const TransferOrder &order);

} // namespace oscar_accounts::pg
