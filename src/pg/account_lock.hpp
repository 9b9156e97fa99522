// Locks one account row (FOR NO KEY UPDATE) and reads what the transfer rules need. Callers
// lock the two accounts of a transfer in ascending id order, so opposite transfers between
// the same accounts queue instead of deadlocking.
#pragma once
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/account_snapshot.hpp"

namespace oscar_accounts::pg {

// Locks both accounts in one statement, lower id first, and returns them in that order.
// Throws LedgerError(AccountNotFound) for the first id (in id order) that does not exist.
std::pair<core::AccountSnapshot, core::AccountSnapshot> LockAccountPair(std::int64_t lower_id, std::int64_t higher_id);

// Locks every account in `ids` in one statement, in ascending id order (a batch's single
// sorted pass), and returns them by id. Throws LedgerError(AccountNotFound) for the first id
// of `ids`, in the given order, that does not exist.
std::unordered_map<std::int64_t, core::AccountSnapshot> LockAccounts(const std::vector<std::int64_t> &ids);

// Fills in the secondary-user facts the authorisation rule needs, only when it needs them
// (a user is given and the account has no primary user).
void ReadSecondaryUsers(core::AccountSnapshot &account, std::optional<std::int64_t> user_id);

// True when `account_id` is the account accounts_init() recorded as Lapsed.
bool IsLapsedAccount(std::int64_t account_id);

} // namespace oscar_accounts::pg
