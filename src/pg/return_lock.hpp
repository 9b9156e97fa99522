// Locks what an earlier transfer can still give back (its accounts.transfer_return row,
// created on first use) and reads it with the transfer's own legs.
#pragma once
#include <cstdint>

#include "core/return_state.hpp"

namespace oscar_accounts::pg {

// Throws LedgerError(TransferNotFound) when there is no such transfer.
core::ReturnState LockReturnState(std::int64_t transfer_id);

// Records the new returned total (and the reversal, when `reversal_id` is not 0) under the
// lock LockReturnState() took.
void SaveReturnState(std::int64_t transfer_id, const core::Money &returned, std::int64_t reversal_id);

} // namespace oscar_accounts::pg
