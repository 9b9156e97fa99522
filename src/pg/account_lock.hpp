// Locks one account row (FOR NO KEY UPDATE) and reads what the transfer rules need. Callers
// lock the two accounts of a transfer in ascending id order, so opposite transfers between
// the same accounts queue instead of deadlocking.
#pragma once
#include <cstdint>
#include <optional>

#include "core/account_snapshot.hpp"

namespace oscar_accounts::pg {

// Throws LedgerError(AccountNotFound) when there is no such account.
core::AccountSnapshot LockAccount(std::int64_t account_id, std::optional<std::int64_t> user_id);

// True when `account_id` is the account accounts_init() recorded as Lapsed.
bool IsLapsedAccount(std::int64_t account_id);

} // namespace oscar_accounts::pg
