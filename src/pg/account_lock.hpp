// Locks account rows (FOR NO KEY UPDATE) and reads what the transfer rules need. Every
// caller locks in one order, by id, so opposite transfers between the same accounts queue
// instead of deadlocking; a hot destination that is only credited is share-locked after.
#pragma once
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/account_snapshot.hpp"

namespace oscar_accounts::pg {

struct TransferAccounts {
	core::AccountSnapshot source;
	core::AccountSnapshot destination;
	// True when the destination is hot and the source is not: the destination is only
	// share-locked (see hot_credit.hpp), its balance column is not written, and the credit
	// goes to accounts.hot_credit. Otherwise both rows are locked and hot ones folded.
	bool credit_pending = false;
};

// Locks the accounts of one transfer in one statement, in the ledger's lock order. Throws
// LedgerError(AccountNotFound) for an account that does not exist (the lower id if both).
TransferAccounts LockTransferAccounts(std::int64_t source_id, std::int64_t destination_id);

// Locks every account in `ids` in one statement, in the ledger's lock order (a batch's
// single sorted pass), and returns them by id. Throws LedgerError(AccountNotFound) for the first id
// of `ids`, in the given order, that does not exist.
std::unordered_map<std::int64_t, core::AccountSnapshot> LockAccounts(const std::vector<std::int64_t> &ids);

// Fills in the secondary-user facts the authorisation rule needs, only when it needs them
// (a user is given and the account has no primary user).
void ReadSecondaryUsers(core::AccountSnapshot &account, std::optional<std::int64_t> user_id);

// True when `account_id` is the account accounts_init() recorded as Lapsed.
bool IsLapsedAccount(std::int64_t account_id);

} // namespace oscar_accounts::pg
