// The transfers the extension itself wrote in the current transaction. Their own deferred
// check (on the transfer row) reads all their legs at commit, so the check fired by each of
// their postings can be skipped: one leg check per transfer instead of three.
#pragma once
#include <cstdint>

namespace oscar_accounts::pg {

void RememberWrittenTransfer(std::int64_t transfer_id);

// True when `transfer_id` was written by the extension in the current transaction.
bool WasWrittenInThisTransaction(std::int64_t transfer_id);

} // namespace oscar_accounts::pg
