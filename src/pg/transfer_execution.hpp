// Carries out one checked transfer inside an open SPI connection: locks the accounts in the
// ledger's lock order (see account_lock.hpp; a hot destination that is only credited is
// share-locked), runs the core rules under the locks, then writes the transfer, its two
// postings, the balances and (for refunds and reversals) the parent's returned total.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/account_snapshot.hpp"
#include "core/money.hpp"
#include "core/return_state.hpp"
#include "core/transfer_kind.hpp"
#include "pg/boundary.hpp"

namespace oscar_accounts::pg {

struct TransferOrder {
	core::TransferKind kind = core::TransferKind::Transfer;
	std::int64_t source_id = 0;
	std::int64_t destination_id = 0;
	core::Money amount;
	const core::ReturnState *parent = nullptr; // locked by LockReturnState() beforehand
	std::optional<std::int64_t> user_id;
	std::optional<std::string> username;
	std::optional<std::string> merchant_reference;
	std::optional<std::string> description;
	// Only for imports of historic transfers: the instant the transfer happened (also the
	// instant its validity checks use). Otherwise the transaction's start time.
	std::optional<core::Instant> date_created;
};

struct ExecutedTransfer {
	std::int64_t id = 0;
	Datum row = 0; // the new accounts.transfer row as a Datum of the result type, outside SPI memory
};

// A new transfer reference: 32 upper-case hex characters from 128 strong random bits.
std::string NewTransferReference();

ExecutedTransfer ExecuteTransfer(const TransferOrder &order, TupleDesc result_type);

} // namespace oscar_accounts::pg
