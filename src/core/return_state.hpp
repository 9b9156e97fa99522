// An earlier transfer seen as something that can be given back: its legs, its amount and
// how much of it refunds and a reversal have already returned. Read under the row lock of
// its accounts.transfer_return row, so two sessions never both see the same remainder.
#pragma once
#include <cstdint>

#include "core/money.hpp"
#include "core/transfer_kind.hpp"

namespace oscar_accounts::core {

struct ReturnState {
	std::int64_t transfer_id = 0;
	TransferKind kind = TransferKind::Transfer;
	std::int64_t source_id = 0;
	std::int64_t destination_id = 0;
	Money amount;
	Money returned; // sum of the refunds and the reversal already made against it
	bool reversed = false;

	// What may still be refunded or reversed.
	Money Remaining() const;
};

// Checks that `state` may be reversed and returns the amount the reversal moves back:
// what remains after earlier refunds. Throws TransferNotReturnable, TransferAlreadyReversed
// or NothingLeftToReturn.
Money PlanReversalAmount(const ReturnState &state);

// Checks that a refund of `amount` from `source_id` to `destination_id` may be made
// against `state`. Throws TransferNotReturnable, TransferAlreadyReversed,
// RefundWrongDirection or RefundExceedsRemaining.
void CheckRefund(const ReturnState &state, std::int64_t source_id, std::int64_t destination_id, Money amount);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
